// An idea's tags, each a link to the ideas with that tag.
import { useT } from "../i18n";
import "./discovery.css";

export function Tags({ tags }: { tags?: string[] }) {
  const { t } = useT();
  if (!tags || tags.length === 0) return null;
  return (
    <ul class="tags" aria-label={t("tags.label")}>
      {tags.map((tag) => (
        <li key={tag}>
          <a class="tag" href={`/?tag=${encodeURIComponent(tag)}`}>
            #{tag}
          </a>
        </li>
      ))}
    </ul>
  );
}
