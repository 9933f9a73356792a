// A level beside a member's name (issue 14).
import { useT } from "../i18n";
import "./community.css";

export function LevelBadge({ level }: { level: string }) {
  const { t } = useT();
  return (
    <span class="level">
      <span class="visually-hidden">{t("community.level")} </span>
      {level}
    </span>
  );
}
