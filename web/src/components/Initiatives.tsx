// What the roadmap, an initiative's page and "you asked, we did" show of an initiative: its title in the reader's
// language, status, quarter and team, and the ideas it answers with their votes.
import { inLanguage } from "../api/campaigns";
import { session } from "../api/client";
import type { Initiative } from "../api/lab";
import { useT } from "../i18n";
import { useStore } from "../store";
import { StatusBadge } from "./ui";

const TEAM = ["product_team"];

/** Whether the signed-in user may draft, announce and move initiatives (the API decides; this hides the forms). */
export function useStaff(): boolean {
  return useStore(session)?.user.roles.some((role) => TEAM.includes(role)) ?? false;
}

export function InitiativeCard({ initiative, level }: { initiative: Initiative; level: 2 | 3 }) {
  const { t, lang, date } = useT();
  const Heading = level === 2 ? "h2" : "h3";
  return (
    <article class="card initiative">
      <Heading>
        <a href={`/initiatives/${encodeURIComponent(initiative.initiative_id)}`}>
          {inLanguage(initiative.title, lang)}
        </a>
      </Heading>
      <p class="small">
        <StatusBadge status={initiative.status} />
        {!initiative.announced && <> {t("initiative.draft")}</>}
        {initiative.target_quarter && <> · {t("initiative.quarter", { quarter: initiative.target_quarter })}</>}
        {" · "}
        {t("initiative.team", { team: initiative.owner_team })}
        {" · "}
        {t("initiative.votes", { count: initiative.votes })}
        {" · "}
        {t("initiative.updated")} <time dateTime={initiative.updated_at}>{date(initiative.updated_at)}</time>
      </p>
      <p class="small">{t("initiative.answers")}</p>
      <ul class="small">
        {initiative.ideas.map((idea) => (
          <li key={idea.idea_id}>
            <a href={`/ideas/${encodeURIComponent(idea.idea_id)}`}>{idea.title ?? idea.idea_id}</a>{" "}
            <span class="muted">({t("roadmap.votes", { count: idea.vote_count })})</span>
          </li>
        ))}
      </ul>
    </article>
  );
}
