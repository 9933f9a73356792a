import { describe, expect, it } from "vitest";
import { ApiClient, Problem, type Exclusive, type Session, type Uploader } from "../src/api/client";
import { store } from "../src/store";

/** An unsigned token with these claims: enough for the client, which only reads them. */
function token(sub: string, extra: Record<string, unknown> = {}): string {
  const part = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  return `${part({ alg: "RS256" })}.${part({ sub, roles: ["member"], ...extra })}.signature`;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const type = status >= 400 ? "application/problem+json" : "application/json";
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": type, ...headers },
  });
}

interface Call {
  method: string;
  path: string;
  auth: string | null;
  body: unknown;
}

/** A fake lab: `answer` decides each response; every call is recorded. */
function lab(answer: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetcher = (async (path: string, init: RequestInit) => {
    const headers = init.headers as Record<string, string>;
    const call = {
      method: init.method ?? "GET",
      path,
      auth: headers.Authorization ?? null,
      body: init.body ? JSON.parse(init.body as string) : undefined,
    };
    calls.push(call);
    return answer(call);
  }) as unknown as typeof fetch;
  return { calls, fetcher };
}

function signedIn(access = token("ann"), refresh = "refresh-1") {
  return store<Session | null>({ accessToken: access, refreshToken: refresh, user: { id: "ann", roles: [], spaces: [], emailVerified: false } });
}

describe("ApiClient", () => {
  it("sends the bearer token and JSON, and returns the JSON answer", async () => {
    const { calls, fetcher } = lab(() => json(201, { id: "i-1" }));
    const client = new ApiClient(signedIn("tok"), fetcher);
    expect(await client.post("/api/ideas", { title: "Dark mode" })).toEqual({ id: "i-1" });
    expect(calls).toEqual([{ method: "POST", path: "/api/ideas", auth: "Bearer tok", body: { title: "Dark mode" } }]);
  });

  it("turns a problem+json answer into a Problem with its field errors and the request id", async () => {
    const { fetcher } = lab(() =>
      json(422, { title: "Invalid input", status: 422, errors: { title: ["Too short."] } }, { "X-Request-Id": "req-42" }),
    );
    const failure = (await new ApiClient(store<Session | null>(null), fetcher).post("/api/ideas", {}).catch((e) => e)) as Problem;
    expect(failure).toBeInstanceOf(Problem);
    expect(failure.status).toBe(422);
    expect(failure.fieldError("title")).toBe("Too short.");
    expect(failure.fieldError("category")).toBeUndefined();
    expect(failure.requestId).toBe("req-42");
  });

  it("reads a nested field's messages as the field's own", () => {
    const failure = new Problem(422, "Invalid input", "", {
      title: { _schema: ["at least one of fr, en, es"] }, options: { 1: { name: ["Missing."] } },
    });
    expect(failure.fieldError("title")).toBe("at least one of fr, en, es");
    expect(failure.fieldError("options")).toBe("Missing.");
  });

  it("turns a network failure into a Problem of status 0", async () => {
    const fetcher = (async () => {
      throw new TypeError("Failed to fetch");
    }) as unknown as typeof fetch;
    const failure = await new ApiClient(store<Session | null>(null), fetcher).get("/api/ideas").catch((e) => e);
    expect(failure).toMatchObject({ status: 0 });
  });

  it("refreshes an expired access token once, keeps the rotated tokens, and retries the request", async () => {
    const fresh = token("ann", { roles: ["member", "product_team"] });
    const { calls, fetcher } = lab(({ path, auth }) => {
      if (path === "/api/accounts/sessions/refresh") return json(200, { access_token: fresh, refresh_token: "refresh-2" });
      return auth === `Bearer ${fresh}` ? json(200, { ok: true }) : json(401, { title: "Unauthorized" });
    });
    const session = signedIn("old");
    const client = new ApiClient(session, fetcher);

    const answers = await Promise.all([client.get("/api/a"), client.get("/api/b"), client.get("/api/c")]);

    expect(answers).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    const refreshes = calls.filter((c) => c.path.endsWith("/refresh"));
    expect(refreshes).toEqual([{ method: "POST", path: "/api/accounts/sessions/refresh", auth: null, body: { refresh_token: "refresh-1" } }]);
    expect(session.get()).toMatchObject({ accessToken: fresh, refreshToken: "refresh-2", user: { id: "ann", roles: ["member", "product_team"] } });
  });

  it("lets one tab refresh while another waits and takes the tokens it left, so the lab sees no reuse", async () => {
    const fresh = token("ann");
    let trades = 0;
    const { calls, fetcher } = lab(({ path, auth }) => {
      if (path.endsWith("/refresh")) {
        trades += 1; // the lab takes refresh-1 once: a second use would close the session
        return trades === 1 ? json(200, { access_token: fresh, refresh_token: "refresh-2" }) : json(401, { title: "Unauthorized" });
      }
      return auth === `Bearer ${fresh}` ? json(200, { ok: true }) : json(401, { title: "Unauthorized" });
    });
    let tail: Promise<unknown> = Promise.resolve();
    const lock: Exclusive = (run) => {
      const result = tail.then(run);
      tail = result.catch(() => undefined);
      return result;
    };
    let storage: Session | null = signedIn("old").get();
    const tab = () => {
      const session = signedIn("old");
      session.subscribe((value) => (storage = value)); // as localStorage, before the other tab hears of it
      return { session, client: new ApiClient(session, fetcher, undefined, lock, () => storage) };
    };
    const [first, second] = [tab(), tab()];

    const answers = await Promise.all([first.client.get("/api/a"), second.client.get("/api/b")]);

    expect(answers).toEqual([{ ok: true }, { ok: true }]);
    expect(calls.filter((c) => c.path.endsWith("/refresh"))).toHaveLength(1);
    expect([first.session.get()?.refreshToken, second.session.get()?.refreshToken]).toEqual(["refresh-2", "refresh-2"]);
  });

  it("refreshes again later after taking another tab's tokens once", async () => {
    const tokens = ["refresh-3"];
    const { calls, fetcher } = lab(({ path, auth }) => {
      if (path.endsWith("/refresh")) return json(200, { access_token: token("ann", { n: 3 }), refresh_token: tokens[0] });
      return auth === "Bearer valid" || auth === `Bearer ${token("ann", { n: 3 })}` ? json(200, { ok: true }) : json(401, { title: "Unauthorized" });
    });
    const session = signedIn("old");
    let storage: Session | null = { ...session.get()!, accessToken: "valid", refreshToken: "refresh-2" }; // another tab's
    session.subscribe((value) => (storage = value));
    const client = new ApiClient(session, fetcher, undefined, undefined, () => storage);

    expect(await client.get("/api/a")).toEqual({ ok: true });
    session.set({ ...session.get()!, accessToken: "expired again" });
    expect(await client.get("/api/b")).toEqual({ ok: true });

    expect(calls.filter((c) => c.path.endsWith("/refresh")).map((c) => c.body)).toEqual([{ refresh_token: "refresh-2" }]);
    expect(session.get()?.refreshToken).toBe("refresh-3");
  });

  it("signs out when the refresh token is refused, and reports the original 401", async () => {
    const { calls, fetcher } = lab(({ path }) =>
      path.endsWith("/refresh") ? json(401, { title: "Unauthorized", detail: "refresh token reused" }) : json(401, { title: "Unauthorized", detail: "expired" }),
    );
    const session = signedIn("old");
    const failure = await new ApiClient(session, fetcher).get("/api/x").catch((e) => e);
    expect(failure).toMatchObject({ status: 401, detail: "expired" });
    expect(session.get()).toBeNull();
    expect(calls.map((c) => c.path)).toEqual(["/api/x", "/api/accounts/sessions/refresh"]);
  });

  it("does not try to refresh without a refresh token", async () => {
    const { calls, fetcher } = lab(() => json(401, { title: "Unauthorized" }));
    await new ApiClient(store<Session | null>(null), fetcher).get("/api/x").catch(() => undefined);
    expect(calls).toHaveLength(1);
  });

  it("returns nothing for a 204", async () => {
    const { fetcher } = lab(() => new Response(null, { status: 204 }));
    expect(await new ApiClient(signedIn(), fetcher).delete("/api/votes/ideas/1")).toBeUndefined();
  });
});

describe("ApiClient.upload", () => {
  /** A fake uploader that reports halfway and then all sent, and answers with `answer(token)`. */
  function uploader(answer: (token?: string) => Response) {
    const sent: { path: string; token?: string; image: FormDataEntryValue | null }[] = [];
    const upload: Uploader = async (path, form, token, onProgress) => {
      sent.push({ path, token, image: form.get("image") });
      onProgress(0.5);
      onProgress(1);
      return answer(token);
    };
    return { sent, upload };
  }

  it("sends the form with the bearer token, reports its progress and returns the answer", async () => {
    const { sent, upload } = uploader(() => json(201, { id: "img-1" }));
    const client = new ApiClient(signedIn("tok"), lab(() => json(500, {})).fetcher, upload);
    const form = new FormData();
    form.append("image", new Blob(["GIF89a"], { type: "image/gif" }), "a.gif");
    const progress: number[] = [];

    expect(await client.upload("/api/ideas/images", form, (fraction) => progress.push(fraction))).toEqual({ id: "img-1" });

    expect(progress).toEqual([0.5, 1]);
    expect(sent.map((s) => [s.path, s.token])).toEqual([["/api/ideas/images", "tok"]]);
    expect(sent[0].image).toBeInstanceOf(Blob);
  });

  it("refreshes an expired token and sends the form again", async () => {
    const fresh = token("ann");
    const { fetcher } = lab(() => json(200, { access_token: fresh, refresh_token: "refresh-2" }));
    const { sent, upload } = uploader((t) => (t === fresh ? json(201, { id: "img-1" }) : json(401, { title: "Unauthorized" })));

    await new ApiClient(signedIn("old"), fetcher, upload).upload("/api/ideas/images", new FormData());

    expect(sent.map((s) => s.token)).toEqual(["old", fresh]);
  });

  it("turns a refusal into a Problem", async () => {
    const { upload } = uploader(() => json(413, { title: "Content Too Large", detail: "an image may be at most 2 MB" }));
    const failure = new ApiClient(signedIn(), lab(() => json(500, {})).fetcher, upload).upload("/api/ideas/images", new FormData());

    await expect(failure).rejects.toMatchObject({ status: 413, detail: "an image may be at most 2 MB" });
  });
});
