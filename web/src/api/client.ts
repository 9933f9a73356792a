// One way to call the lab's APIs: JSON in and out, the bearer token of the signed-in user, a token refresh (the
// refresh token rotates) when the access token has expired, and every failure as a Problem carrying the
// RFC 9457 problem+json fields and the X-Request-Id the gateway gave the request, to quote when reporting it.
import { store, type Store } from "../store";

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: Record<string, unknown> = {},
    readonly requestId: string | undefined = undefined,
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }

  /** The API's message for `field` ({"title": ["Too short."]} → "Too short."; several are joined, and those of a
   * nested field's parts too: {"title": {"_schema": ["at least one of fr, en, es"]}}). */
  fieldError(field: string): string | undefined {
    const said = messagesIn(this.errors[field]);
    return said.length ? said.join(" ") : undefined;
  }
}

function messagesIn(found: unknown): string[] {
  if (typeof found === "string") return [found];
  if (Array.isArray(found)) return found.flatMap(messagesIn);
  return found && typeof found === "object" ? Object.values(found).flatMap(messagesIn) : [];
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_in?: number;
}

export interface User {
  id: string;
  roles: string[];
  spaces: string[];
  emailVerified: boolean;
}

export interface Session {
  accessToken: string;
  refreshToken: string | null;
  user: User;
}

/** Who the access token says the user is. Only for what the page shows: the APIs verify the token themselves. */
export function userOf(accessToken: string): User {
  const payload = accessToken.split(".")[1] ?? "";
  const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "="));
  const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
  if (typeof claims.sub !== "string") throw new Error("the access token names no user");
  return {
    id: claims.sub,
    roles: Array.isArray(claims.roles) ? claims.roles : [],
    spaces: Array.isArray(claims.spaces) ? claims.spaces : [],
    emailVerified: claims.email_verified === true,
  };
}

export function sessionOf(tokens: Tokens): Session {
  return { accessToken: tokens.access_token, refreshToken: tokens.refresh_token ?? null, user: userOf(tokens.access_token) };
}

const REFRESH_PATH = "/api/accounts/sessions/refresh";

/** Sends a form and reports how much of it has gone (0 to 1); answers like fetch. */
export type Uploader = (
  path: string,
  form: FormData,
  token: string | undefined,
  onProgress: (fraction: number) => void,
) => Promise<Response>;

/** The browser's uploader: XMLHttpRequest, since fetch tells nothing of an upload's progress. */
export const xhrUpload: Uploader = (path, form, token, onProgress) =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", path);
    xhr.setRequestHeader("Accept", "application/json");
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.responseType = "text";
    xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    xhr.onload = () => {
      const headers = new Headers();
      for (const line of xhr.getAllResponseHeaders().trim().split(/[\r\n]+/)) {
        const at = line.indexOf(":");
        if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
      }
      resolve(new Response(xhr.status === 204 ? null : xhr.responseText, { status: xhr.status, headers }));
    };
    xhr.onerror = () => reject(new Problem(0, "Network error", "the upload did not reach the lab"));
    xhr.send(form);
  });

/** Runs `run` alone among the callers that share it. */
export type Exclusive = <T>(run: () => Promise<T>) => Promise<T>;

/** One token refresh at a time across the browser's tabs: two tabs trading the same refresh token look, to the
 * lab, like its theft, and it closes the session (the user would be signed out of every tab). */
export const acrossTabs: Exclusive = (run) =>
  typeof navigator !== "undefined" && navigator.locks ? navigator.locks.request("idealab.refresh", run) : run();

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
}

export class ApiClient {
  private refreshing: Promise<boolean> | null = null;

  /** `stored` reads the session as the other tabs left it, even before their change reaches `session`. */
  constructor(
    readonly session: Store<Session | null>,
    private readonly fetcher: typeof fetch = (...args) => fetch(...args),
    private readonly uploader: Uploader = xhrUpload,
    private readonly exclusive: Exclusive = (run) => run(),
    private readonly stored: () => Session | null = () => session.get(),
  ) {}

  get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>("GET", path, options);
  }

  post<T>(path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>("POST", path, { ...options, body });
  }

  put<T>(path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>("PUT", path, { ...options, body });
  }

  delete<T = void>(path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>("DELETE", path, { ...options, body });
  }

  request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    return this.signed<T>(path, (token) => this.send(method, path, options, token));
  }

  /** Posts a multipart form, telling `onProgress` how much of it has gone (0 to 1). */
  upload<T>(path: string, form: FormData, onProgress: (fraction: number) => void = () => {}): Promise<T> {
    return this.signed<T>(path, (token) => this.uploader(path, form, token, onProgress));
  }

  private async signed<T>(path: string, send: (token?: string) => Promise<Response>): Promise<T> {
    const sent = this.session.get();
    let response = await send(sent?.accessToken);
    if (response.status === 401 && sent?.refreshToken && path !== REFRESH_PATH && (await this.refresh(sent))) {
      response = await send(this.session.get()?.accessToken);
    }
    return this.read<T>(response);
  }

  /** Takes fresh tokens now, for a change the access token's claims must show at once (joining a space). */
  async renew(): Promise<void> {
    const current = this.session.get();
    if (current?.refreshToken) await this.refresh(current);
  }

  private async send(method: string, path: string, options: RequestOptions, token?: string): Promise<Response> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (options.body !== undefined) {
      headers["Content-Type"] = "application/json";
      // What the member writes is in the language they use the lab in, unless they chose another (ideas.promise).
      if (typeof document !== "undefined" && document.documentElement.lang) headers["Accept-Language"] = document.documentElement.lang;
    }
    try {
      return await this.fetcher(path, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === "AbortError") throw error;
      throw new Problem(0, "Network error", error instanceof Error ? error.message : String(error));
    }
  }

  /** Trades the refresh token for new tokens once, however many requests (and tabs) met the 401 at the same
   * moment. */
  private refresh(expired: Session): Promise<boolean> {
    if (!this.refreshing) {
      const refreshing = this.exclusive(() => this.trade(expired));
      this.refreshing = refreshing;
      const done = () => {
        if (this.refreshing === refreshing) this.refreshing = null;
      };
      refreshing.then(done, done);
    }
    return this.refreshing;
  }

  private async trade(expired: Session): Promise<boolean> {
    try {
      const current = this.stored();
      if (!current) return false; // signed out meanwhile
      if (current.refreshToken !== expired.refreshToken) {
        if (current.refreshToken !== this.session.get()?.refreshToken) this.session.set(current);
        return true; // another tab or call did it
      }
      const response = await this.send("POST", REFRESH_PATH, { body: { refresh_token: expired.refreshToken } });
      if (!response.ok) {
        this.session.set(null); // the refresh token is spent or revoked: sign in again
        return false;
      }
      this.session.set(sessionOf((await response.json()) as Tokens));
      return true;
    } catch {
      return false;
    }
  }

  private async read<T>(response: Response): Promise<T> {
    const requestId = response.headers.get("X-Request-Id") ?? undefined;
    const type = response.headers.get("Content-Type") ?? "";
    const body = type.includes("json") ? await response.json().catch(() => null) : null;
    if (response.ok) return (response.status === 204 ? undefined : body) as T;
    const problem = body && typeof body === "object" ? body : {};
    throw new Problem(
      response.status,
      typeof problem.title === "string" ? problem.title : response.statusText || `HTTP ${response.status}`,
      typeof problem.detail === "string" ? problem.detail : undefined,
      problem.errors && typeof problem.errors === "object" ? problem.errors : {},
      requestId ?? (typeof problem.request_id === "string" ? problem.request_id : undefined),
    );
  }
}

const SESSION_KEY = "idealab.session";

function savedSession(): Session | null {
  try {
    const saved = localStorage.getItem(SESSION_KEY);
    return saved ? (JSON.parse(saved) as Session) : null;
  } catch {
    return null;
  }
}

/** The signed-in user's tokens, kept across reloads and tabs. */
export const session = store<Session | null>(savedSession());
session.subscribe((value) => {
  try {
    if (value) localStorage.setItem(SESSION_KEY, JSON.stringify(value));
    else localStorage.removeItem(SESSION_KEY);
  } catch {
    // storage disabled: signed in for this page only
  }
});
addEventListener("storage", (event) => {
  if (event.key === SESSION_KEY) session.set(savedSession());
});

export const api = new ApiClient(session, undefined, undefined, acrossTabs, savedSession);
