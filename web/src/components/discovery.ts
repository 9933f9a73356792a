// Finding ideas, without I/O: what the list's address asks for, the API query it makes, pages joined once each,
// tags as typed, and a debounce for the similar ideas suggested while a title is typed.

export const LIST_SORTS = ["newest", "most_voted", "most_discussed", "trending"] as const;
export type ListSort = (typeof LIST_SORTS)[number];
export type SearchSort = ListSort | "relevance";
export const FILTER_STATUSES = ["open", "under_review", "planned", "in_progress", "launched", "declined", "duplicate"];

/** What the ideas list shows, as its address says (`/?q=épargne&sort=trending&tag=mobile`). */
export interface Finding {
  q: string;
  sort: SearchSort;
  category: string;
  status: string;
  tag: string;
}

const TAG = /^[\p{L}\p{N}][\p{L}\p{N}_-]{0,29}$/u;
export const MAX_TAGS = 5;

/** The list's address read back; anything it does not know falls back to the default (newest, or relevance when
 * searching: relevance orders a search only). */
export function readFinding(query: URLSearchParams): Finding {
  const q = (query.get("q") ?? "").trim();
  const asked = query.get("sort") ?? "";
  const known = (LIST_SORTS as readonly string[]).includes(asked) || (q && asked === "relevance");
  return {
    q,
    sort: (known ? asked : q ? "relevance" : "newest") as SearchSort,
    category: query.get("category") ?? "",
    status: FILTER_STATUSES.includes(query.get("status") ?? "") ? query.get("status")! : "",
    tag: (query.get("tag") ?? "").trim().toLowerCase(),
  };
}

/** The address of a finding: only what differs from the defaults. */
export function findingPath(finding: Finding): string {
  const params = new URLSearchParams();
  if (finding.q.trim()) params.set("q", finding.q.trim());
  const fallback = finding.q.trim() ? "relevance" : "newest";
  if (finding.sort !== fallback && !(finding.sort === "relevance" && !finding.q.trim())) params.set("sort", finding.sort);
  for (const name of ["category", "status", "tag"] as const) if (finding[name]) params.set(name, finding[name]);
  const text = params.toString();
  return text ? `/?${text}` : "/";
}

/** Where the next page starts: the previous page's cursor (`next`) for a list, an offset for a search (the API
 * answers a search's pages by offset). */
export type PageStart = { after: string } | { offset: number } | null;

/** The API's query for a page of a finding. */
export function listQuery(finding: Finding, limit: number, start: PageStart = null): string {
  const params = new URLSearchParams();
  if (finding.q) params.set("q", finding.q);
  if (finding.sort !== "relevance" || finding.q) params.set("sort", finding.sort);
  for (const name of ["category", "status", "tag"] as const) if (finding[name]) params.set(name, finding[name]);
  params.set("limit", String(limit));
  if (start && "after" in start) params.set("after", start.after);
  if (start && "offset" in start && start.offset > 0) params.set("offset", String(start.offset));
  return params.toString();
}

/** The start of the page after one that held `count` ideas (`shownSoFar` with it), or null on the last page. */
export function nextStart(searching: boolean, next: string | null | undefined, count: number, limit: number,
                          shownSoFar: number): PageStart {
  if (searching) return count < limit ? null : { offset: shownSoFar };
  return next ? { after: next } : null;
}

/** Pages joined, each idea once, where first seen (votes may move one from a page to the next between requests). */
export function joinPages<T extends { id: string }>(...pages: T[][]): T[] {
  const seen = new Set<string>();
  const joined: T[] = [];
  for (const page of pages)
    for (const item of page)
      if (!seen.has(item.id)) {
        seen.add(item.id);
        joined.push(item);
      }
  return joined;
}

/** Tags as typed ("Mobile, savings  app"): words split by commas or spaces, lower case, each once, at most five.
 * `invalid` holds the words the API would refuse (letters, digits, - and _, 1-30 long, starting with a letter or
 * digit). */
export function parseTags(text: string): { tags: string[]; invalid: string[] } {
  const words = text.split(/[\s,;]+/).map((w) => w.replace(/^#/, "").toLowerCase()).filter(Boolean);
  const unique = [...new Set(words)];
  return { tags: unique.filter((w) => TAG.test(w)).slice(0, MAX_TAGS), invalid: unique.filter((w) => !TAG.test(w)) };
}

/** Whether a title being typed is worth asking similar ideas for: a few letters of a real word. */
export function worthSuggesting(title: string): boolean {
  return title.trim().replace(/[^\p{L}\p{N}]/gu, "").length >= 4;
}

/** `run(value)` once `value` has stopped changing for `ms`; `cancel` drops a pending run. */
export function debounce<T>(run: (value: T) => void, ms: number): { push: (value: T) => void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    push(value: T) {
      clearTimeout(timer);
      timer = setTimeout(() => run(value), ms);
    },
    cancel() {
      clearTimeout(timer);
    },
  };
}
