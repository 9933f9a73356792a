// The ideas list: searched by words, filtered by category, status and tag, sorted as the member chooses (trending
// too), a page at a time (lists follow the API's cursor, `next`; searches go on by offset). The address holds the
// whole finding, so a search can be bookmarked, shared and gone back to.
import { useState } from "preact/hooks";
import { ideas, type Idea } from "../api/lab";
import {
  FILTER_STATUSES, findingPath, joinPages, LIST_SORTS, listQuery, nextStart, readFinding, type Finding, type PageStart,
} from "../components/discovery";
import "../components/discovery.css";
import { Tags } from "../components/Tags";
import { ErrorNote, PageTitle, Pending, StatusBadge, useLoad } from "../components/ui";
import { useT, type MessageKey } from "../i18n";
import { navigate, place } from "../router";
import { useStore } from "../store";
import { CATEGORIES } from "./Submit";
import { useLive } from "../live";
import { HiddenNotice } from "../components/Flag";

const PAGE = 20;

export function IdeasPage() {
  const { t, label } = useT();
  const finding = readFinding(useStore(place).query);
  const path = findingPath(finding);
  const searching = !!finding.q;
  const first = useLoad(() => ideas.find(listQuery(finding, PAGE)), [path]);
  // The pages after the first, for the finding at `path` (none yet: the first page's `next` says where to go on).
  const [more, setMore] = useState<{ path: string; ideas: Idea[]; start: PageStart }>({ path: "", ideas: [], start: null });
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // What the member is typing, before they search: the address changes on submit only.
  const [typed, setTyped] = useState<{ path: string; q: string; tag: string }>({ path, q: finding.q, tag: finding.tag });
  const draft = typed.path === path ? typed : { path, q: finding.q, tag: finding.tag };
  const firstStart = first.data
    ? nextStart(searching, first.data.next, first.data.ideas.length, PAGE, first.data.ideas.length)
    : null;
  const extra = more.path === path ? more : { path, ideas: [], start: firstStart };
  const start = more.path === path ? more.start : firstStart;
  const shown = joinPages(first.data?.ideas ?? [], extra.ideas);

  const go = (changes: Partial<Finding>) => navigate(findingPath({ ...finding, ...draft, ...changes }), { replace: false });
  const showMore = async () => {
    if (!start) return;
    setFailure(null);
    setBusy(true);
    try {
      const page = await ideas.find(listQuery(finding, PAGE, start));
      const sofar = (first.data?.ideas.length ?? 0) + extra.ideas.length + page.ideas.length;
      setMore({ path, ideas: [...extra.ideas, ...page.ideas], start: nextStart(searching, page.next, page.ideas.length, PAGE, sofar) });
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  const sorts: readonly string[] = searching ? ["relevance", ...LIST_SORTS] : LIST_SORTS;
  const filtered = !!(finding.category || finding.status || finding.tag);

  return (
    <>
      <div class="page-head">
        <PageTitle>{searching ? t("search.resultsFor", { q: finding.q }) : t("ideas.title")}</PageTitle>
        <label class="inline">
          {t("ideas.sort")}{" "}
          <select value={finding.sort} onChange={(event) => go({ sort: event.currentTarget.value as Finding["sort"] })}>
            {sorts.map((name) => (
              <option value={name} key={name}>
                {t(`ideas.sort.${name}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <form
        class="finder"
        role="search"
        aria-label={t("search.region")}
        onSubmit={(event) => {
          event.preventDefault();
          go({ q: draft.q, tag: draft.tag.trim().replace(/^#/, "").toLowerCase(), sort: draft.q.trim() === finding.q ? finding.sort : draft.q.trim() ? "relevance" : "newest" });
        }}
      >
        <div class="search-row">
          <div class="field">
            <label for="search-q">{t("search.label")}</label>
            <input
              id="search-q"
              type="search"
              name="q"
              maxLength={200}
              value={draft.q}
              onInput={(event) => setTyped({ ...draft, q: event.currentTarget.value })}
            />
          </div>
          <button type="submit" class="button">
            {t("search.submit")}
          </button>
        </div>
        <div class="filter-row">
          <div class="field">
            <label for="filter-category">{t("filters.category")}</label>
            <select id="filter-category" value={finding.category} onChange={(event) => go({ category: event.currentTarget.value })}>
              <option value="">{t("filters.any")}</option>
              {CATEGORIES.map((name) => (
                <option value={name} key={name}>
                  {label("category", name)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="filter-status">{t("filters.status")}</label>
            <select id="filter-status" value={finding.status} onChange={(event) => go({ status: event.currentTarget.value })}>
              <option value="">{t("filters.any")}</option>
              {FILTER_STATUSES.map((name) => (
                <option value={name} key={name}>
                  {label("status", name)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="filter-tag">{t("filters.tag")}</label>
            <input
              id="filter-tag"
              name="tag"
              maxLength={31}
              value={draft.tag}
              autoComplete="off"
              onInput={(event) => setTyped({ ...draft, tag: event.currentTarget.value })}
            />
          </div>
          {(searching || filtered) && (
            <a class="button-secondary" href="/">
              {t("search.clear")}
            </a>
          )}
        </div>
      </form>
      <Pending load={first} />
      {first.data && !first.loading && (
        <p class="found-summary muted" role="status">
          {shown.length === 0
            ? searching || filtered
              ? t("search.none")
              : t("ideas.empty")
            : t("search.shown", { count: shown.length })}
        </p>
      )}
      <ol class="cards" aria-busy={first.loading}>
        {shown.map((idea) => (
          <IdeaCard idea={idea} key={idea.id} />
        ))}
      </ol>
      {failure ? <ErrorNote error={failure} /> : null}
      {first.data && !first.loading && start && (
        <button type="button" class="button-secondary" onClick={showMore} disabled={busy}>
          {t("ideas.more")}
        </button>
      )}
    </>
  );
}

function IdeaCard({ idea }: { idea: Idea }) {
  const { t, date, label } = useT();
  const [votes, setVotes] = useState(idea.vote_count);
  useLive((m) => m.type === "tally" && m.idea === idea.id && setVotes(m.votes!));
  return (
    <li class="card">
      <h2>
        <a href={`/ideas/${encodeURIComponent(idea.id)}`}>{idea.title ?? t("moderation.hiddenIdea")}</a>
      </h2>
      {idea.image && <img class="card-image" src={idea.image.url} alt={idea.title ?? ""} loading="lazy" />}
      {idea.hidden && <HiddenNotice hidden={idea.hidden} />}
      {idea.merged_into && <p class="small">{t("merged.card")}</p>}
      {idea.description !== null && <p class="excerpt">{excerpt(idea.description)}</p>}
      <p class="meta">
        <StatusBadge status={idea.status} />
        <span class="votes">{t("ideas.votes", { count: votes })}</span>
        {idea.comment_count !== undefined && <span>{t("ideas.comments", { count: idea.comment_count })}</span>}
        <span>{label("category", idea.category)}</span>
        <span>{t("ideas.submittedOn", { date: date(idea.submitted_at) })}</span>
      </p>
      <Tags tags={idea.tags} />
    </li>
  );
}

function excerpt(text: string, length = 180): string {
  return text.length <= length ? text : `${text.slice(0, length).replace(/\s+\S*$/, "")}…`;
}
