// Client-side routes: the gateway answers every non-API path with index.html, and this picks the screen.
// Links are plain <a href>: a click on a same-site link becomes a history push instead of a page load.
import { store } from "./store";

export interface Place {
  path: string;
  query: URLSearchParams;
  hash: string;
}

function here(): Place {
  return { path: location.pathname, query: new URLSearchParams(location.search), hash: location.hash };
}

export const place = store<Place>(here());

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  place.set(here());
  scrollTo(0, 0);
}

/** Names the parts of `path` that `pattern` marks with ":" ("/ideas/:id" and "/ideas/42" → {id: "42"}). */
export function match(pattern: string, path: string): Record<string, string> | null {
  if (pattern === "/") return path === "/" ? {} : null;
  const want = pattern.split("/");
  const got = path.replace(/\/+$/, "").split("/");
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(":")) params[want[i].slice(1)] = decodeURIComponent(got[i]);
    else if (want[i] !== got[i]) return null;
  }
  return params;
}

/** The fragment's parameters: mail links and identity providers put tokens there, never in what servers log. */
export function fragment(hash: string): URLSearchParams {
  return new URLSearchParams(hash.replace(/^#/, ""));
}

/** Only paths of this site: a `next` pointing elsewhere would make the sign-in page an open redirect. */
export function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") && !next.startsWith("/api/")
    ? next
    : "/";
}

export function startRouting(): void {
  addEventListener("popstate", () => place.set(here()));
  addEventListener("hashchange", () => place.set(here())); // a mail link opened over the page it points to
  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
      return;
    const link = (event.target as Element | null)?.closest?.("a");
    if (!link || link.target || link.hasAttribute("download") || link.origin !== location.origin) return;
    if (link.pathname.startsWith("/api/")) return; // identity-provider redirects and downloads leave the app
    event.preventDefault();
    navigate(link.pathname + link.search + link.hash);
  });
}
