// The ideas list: sorted as the member chooses, a page at a time.
import { useState } from "preact/hooks";
import { ideas, SORTS, type Idea, type Sort } from "../api/lab";
import { ErrorNote, Loading, PageTitle, StatusBadge, useLoad } from "../components/ui";
import { useT, type MessageKey } from "../i18n";
import { navigate, place } from "../router";
import { useStore } from "../store";

const PAGE = 20;

export function IdeasPage() {
  const { t } = useT();
  const query = useStore(place).query;
  const sort: Sort = (SORTS as readonly string[]).includes(query.get("sort") ?? "") ? (query.get("sort") as Sort) : "newest";
  const [pages, setPages] = useState(1);
  const list = useLoad(() => ideasUpTo(sort, pages), [sort, pages]);
  const shown = list.data ?? [];

  return (
    <>
      <div class="page-head">
        <PageTitle>{t("ideas.title")}</PageTitle>
        <label class="inline">
          {t("ideas.sort")}{" "}
          <select
            value={sort}
            onChange={(event) => {
              setPages(1);
              navigate(`/?sort=${event.currentTarget.value}`, { replace: true });
            }}
          >
            {SORTS.map((name) => (
              <option value={name} key={name}>
                {t(`ideas.sort.${name}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {list.error ? <ErrorNote error={list.error} onRetry={list.reload} /> : null}
      {list.loading && !list.data && <Loading />}
      {list.data && shown.length === 0 && <p class="empty">{t("ideas.empty")}</p>}
      <ol class="cards" aria-busy={list.loading}>
        {shown.map((idea) => (
          <IdeaCard idea={idea} key={idea.id} />
        ))}
      </ol>
      {shown.length === pages * PAGE && (
        <button type="button" class="button-secondary" onClick={() => setPages(pages + 1)}>
          {t("ideas.more")}
        </button>
      )}
    </>
  );
}

/** The first `pages` pages in one request, so "show more" keeps the order even when votes move ideas around. */
function ideasUpTo(sort: Sort, pages: number): Promise<Idea[]> {
  return ideas.list(sort, PAGE * pages, 0).then((page) => page.ideas);
}

function IdeaCard({ idea }: { idea: Idea }) {
  const { t, date, label } = useT();
  return (
    <li class="card">
      <h2>
        <a href={`/ideas/${encodeURIComponent(idea.id)}`}>{idea.title}</a>
      </h2>
      <p class="excerpt">{excerpt(idea.description)}</p>
      <p class="meta">
        <StatusBadge status={idea.status} />
        <span class="votes">{t("ideas.votes", { count: idea.vote_count })}</span>
        <span>{label("category", idea.category)}</span>
        <span>{t("ideas.submittedOn", { date: date(idea.submitted_at) })}</span>
      </p>
    </li>
  );
}

function excerpt(text: string, length = 180): string {
  return text.length <= length ? text : `${text.slice(0, length).replace(/\s+\S*$/, "")}…`;
}
