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
  const first = useLoad(() => ideas.list(sort, PAGE, 0).then((page) => page.ideas), [sort]);
  const [more, setMore] = useState<{ sort: Sort; ideas: Idea[]; done: boolean }>({ sort, ideas: [], done: false });
  const [failure, setFailure] = useState<unknown>(null);
  const extra = more.sort === sort ? more : { sort, ideas: [], done: false };
  // Votes can move an idea from one page to the next between two requests: shown once, where first seen.
  const shown = [...(first.data ?? []), ...extra.ideas].filter((idea, i, all) => all.findIndex((o) => o.id === idea.id) === i);
  const done = (first.data?.length ?? 0) < PAGE || extra.done;

  const showMore = async () => {
    setFailure(null);
    try {
      const page = await ideas.list(sort, PAGE, (first.data?.length ?? 0) + extra.ideas.length);
      setMore({ sort, ideas: [...extra.ideas, ...page.ideas], done: page.ideas.length < PAGE });
    } catch (error) {
      setFailure(error);
    }
  };

  return (
    <>
      <div class="page-head">
        <PageTitle>{t("ideas.title")}</PageTitle>
        <label class="inline">
          {t("ideas.sort")}{" "}
          <select value={sort} onChange={(event) => navigate(`/?sort=${event.currentTarget.value}`, { replace: true })}>
            {SORTS.map((name) => (
              <option value={name} key={name}>
                {t(`ideas.sort.${name}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {first.error ? <ErrorNote error={first.error} onRetry={first.reload} /> : null}
      {first.loading && !first.data && <Loading />}
      {first.data && shown.length === 0 && <p class="empty">{t("ideas.empty")}</p>}
      <ol class="cards" aria-busy={first.loading}>
        {shown.map((idea) => (
          <IdeaCard idea={idea} key={idea.id} />
        ))}
      </ol>
      {failure ? <ErrorNote error={failure} /> : null}
      {first.data && !done && (
        <button type="button" class="button-secondary" onClick={showMore}>
          {t("ideas.more")}
        </button>
      )}
    </>
  );
}

function IdeaCard({ idea }: { idea: Idea }) {
  const { t, date, label } = useT();
  return (
    <li class="card">
      <h2>
        <a href={`/ideas/${encodeURIComponent(idea.id)}`}>{idea.title ?? t("moderation.hiddenIdea")}</a>
      </h2>
      {idea.image && <img class="card-image" src={idea.image.url} alt={idea.title ?? ""} loading="lazy" />}
      {idea.hidden && <p class="hidden-note">{t("moderation.hidden", { reason: idea.hidden.reason })}</p>}
      {idea.description !== null && <p class="excerpt">{excerpt(idea.description)}</p>}
      <p class="meta">
        <StatusBadge status={idea.status} />
        <span class="votes">{t("ideas.votes", { count: idea.vote_count })}</span>
        {idea.comment_count !== undefined && <span>{t("ideas.comments", { count: idea.comment_count })}</span>}
        <span>{label("category", idea.category)}</span>
        <span>{t("ideas.submittedOn", { date: date(idea.submitted_at) })}</span>
      </p>
    </li>
  );
}

function excerpt(text: string, length = 180): string {
  return text.length <= length ? text : `${text.slice(0, length).replace(/\s+\S*$/, "")}…`;
}
