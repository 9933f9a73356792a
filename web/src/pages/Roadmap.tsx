// The public roadmap (issue 15): the announced initiatives first, each with its ideas and their votes, then a column
// per status; the open column shows its most voted few and links to the whole list. Filters: category and space.
import { useState } from "preact/hooks";
import { session } from "../api/client";
import { roadmap, ROADMAP_COLUMNS } from "../api/lab";
import { inLanguage } from "../api/campaigns";
import { InitiativeCard, useStaff } from "../components/Initiatives";
import { SpaceOptions } from "../components/SpaceOptions";
import { Field, PageTitle, Pending, useLoad } from "../components/ui";
import { useT } from "../i18n";
import { useStore } from "../store";
import { CATEGORIES } from "./Submit";

export function RoadmapPage() {
  const { t, label, date } = useT();
  const staff = useStaff();
  const spaces = useStore(session)?.user.spaces ?? [];
  const [filters, setFilters] = useState({ category: "", space: "" });
  const board = useLoad(() => roadmap.board(filters), [filters.category, filters.space]);
  const columns = board.data?.columns ?? {};
  const shown = ROADMAP_COLUMNS.filter((status) => status !== "duplicate" || columns[status]?.length);
  const choose = (name: "category" | "space") => (event: Event) =>
    setFilters({ ...filters, [name]: (event.currentTarget as HTMLSelectElement).value });

  return (
    <>
      <PageTitle>{t("roadmap.title")}</PageTitle>
      <p>{t("roadmap.intro")}</p>
      <p>
        <a href="/you-asked-we-did">{t("youAsked.title")}</a>
        {" · "}
        <a href="/api/roadmap/feed.atom" type="application/atom+xml">{t("roadmap.feed")}</a>
        {staff && (
          <>
            {" · "}
            <a href="/initiatives/new">{t("initiative.new")}</a>
          </>
        )}
      </p>
      <form class="filters" role="search" aria-label={t("roadmap.filters")} onSubmit={(e) => e.preventDefault()}>
        <Field name="roadmap-category" label={t("filters.category")}>
          <select id="field-roadmap-category" value={filters.category} onChange={choose("category")}>
            <option value="">{t("filters.any")}</option>
            {CATEGORIES.map((name) => (
              <option value={name} key={name}>{label("category", name)}</option>
            ))}
          </select>
        </Field>
        {spaces.length > 0 && (
          <Field name="roadmap-space" label={t("roadmap.space")}>
            <select id="field-roadmap-space" value={filters.space} onChange={choose("space")}>
              <SpaceOptions spaces={spaces} all={t("roadmap.space.all")} />
            </select>
          </Field>
        )}
      </form>
      {staff && <Drafts />}
      <Pending load={board} />
      {board.data && (
        <>
          <section aria-labelledby="initiatives-heading">
            <h2 id="initiatives-heading">{t("roadmap.initiatives")}</h2>
            {board.data.initiatives.length === 0 ? (
              <p class="muted small">{t("roadmap.initiatives.none")}</p>
            ) : (
              <ul class="initiatives" style={{ listStyle: "none", padding: 0 }}>
                {board.data.initiatives.map((initiative) => (
                  <li key={initiative.initiative_id}>
                    <InitiativeCard initiative={initiative} level={3} />
                  </li>
                ))}
              </ul>
            )}
          </section>
          <h2>{t("roadmap.ideas")}</h2>
          <div class="board">
            {shown.map((status) => (
              <section class={`column column-${status}`} aria-labelledby={`column-${status}`} key={status}>
                <h3 id={`column-${status}`}>
                  {label("status", status)} <span class="muted">({(columns[status] ?? []).length})</span>
                </h3>
                {status === "open" && <p class="small muted">{t("roadmap.open.mostVoted")}</p>}
                {(columns[status] ?? []).length === 0 ? (
                  <p class="muted small">{t("roadmap.empty")}</p>
                ) : (
                  <ul>
                    {columns[status].map((item) => (
                      <li key={item.idea_id}>
                        <a href={`/ideas/${encodeURIComponent(item.idea_id)}`}>{item.title ?? item.idea_id}</a>
                        <span class="small muted">
                          {" "}
                          {t("roadmap.votes", { count: item.vote_count ?? 0 })}
                          {item.updated_at && (
                            <>
                              {" · "}
                              <time dateTime={item.updated_at}>{date(item.updated_at)}</time>
                            </>
                          )}
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
                {status === "open" && (
                  <p>
                    <a href={board.data!.open_list}>{t("roadmap.open.all")}</a>
                  </p>
                )}
              </section>
            ))}
          </div>
        </>
      )}
    </>
  );
}

/** The product team's drafts, which only staff see until they are announced (from their page). */
function Drafts() {
  const { t, lang } = useT();
  const all = useLoad(() => roadmap.initiatives(), []);
  const drafts = (all.data?.initiatives ?? []).filter((initiative) => !initiative.announced);
  if (drafts.length === 0) return null;
  return (
    <section aria-labelledby="drafts-heading">
      <h2 id="drafts-heading">{t("roadmap.drafts")}</h2>
      <ul>
        {drafts.map((draft) => (
          <li key={draft.initiative_id}>
            <a href={`/initiatives/${encodeURIComponent(draft.initiative_id)}`}>{inLanguage(draft.title, lang)}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}
