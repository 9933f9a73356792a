// Live pages: one server-sent-event stream per browser, on the channels GET /api/notifications/live hands out to the
// signed-in member (or to anyone). One tab holds it (the holder of a Web Lock) and passes every message on to the
// others (a BroadcastChannel); when that tab closes, another takes over and resumes where it stopped. Messages carry
// ids, counts and statuses, never text: a page that hears of a change reads it from the APIs. "reauthorize" means
// the member lost a right (a space, staff): ask for the channels again.
import { useEffect, useRef } from "preact/hooks";
import { api, session } from "./api/client";

export interface LiveMessage {
  type: "idea" | "tally" | "status" | "comment" | "campaign" | "private_answer" | "reauthorize";
  idea?: string;
  votes?: number;
  version?: number;
  status?: string;
  campaign?: string;
}

interface Stream {
  url: string;
  following: string[];
}

/** What the holding tab tells the others: a message, or the stream's state (to whoever joins or takes over). */
interface Relayed {
  message?: LiveMessage;
  state?: { url: string; lastEventId: string; following: string[] };
  hello?: true;
}

const RETRY_MS = 5_000;
const listeners = new Set<(message: LiveMessage) => void>();
const tabs = typeof BroadcastChannel !== "undefined" ? new BroadcastChannel("idealab.live") : null;
let source: EventSource | null = null;
let state = { url: "", lastEventId: "", following: [] as string[] };
let holding = false;
let opening = 0;

/** Whether the signed-in member follows the idea (their inbox gets its status changes). */
export function follows(ideaId: string): boolean {
  return state.following.includes(ideaId);
}

/** Joins the browser's stream: opens it if no other tab holds it, and takes it over when that tab closes. */
export function startLive(): void {
  if (typeof EventSource === "undefined") return; // the pages still work; they just do not move by themselves
  tabs?.addEventListener("message", (event: MessageEvent<Relayed>) => heard(event.data));
  const hold = () => {
    holding = true;
    let user = session.get()?.user.id;
    session.subscribe((next) => {
      if (next?.user.id !== user) {
        user = next?.user.id;
        void open(false);
      }
    });
    void open(true);
    return new Promise<never>(() => undefined); // held until the tab closes
  };
  if (tabs && typeof navigator !== "undefined" && navigator.locks) {
    void navigator.locks.request("idealab.live", hold);
    tabs.postMessage({ hello: true } satisfies Relayed);
  } else void hold();
}

function heard(relayed: Relayed): void {
  if (relayed.hello && holding) tabs?.postMessage({ state } satisfies Relayed);
  if (relayed.state && !holding) state = relayed.state;
  if (relayed.message) deliver(relayed.message);
}

function deliver(message: LiveMessage): void {
  listeners.forEach((listener) => listener(message));
}

async function open(resuming: boolean): Promise<void> {
  const attempt = ++opening;
  source?.close();
  source = null;
  let stream: Stream;
  try {
    stream = await api.get<Stream>("/api/notifications/live");
  } catch {
    if (attempt === opening) setTimeout(() => attempt === opening && void open(false), RETRY_MS);
    return;
  }
  if (attempt !== opening) return; // a newer session asked meanwhile
  // Taking over from a closed tab on the same channels: from the last message it passed on.
  const from = resuming && stream.url === state.url && state.lastEventId ? state.lastEventId : "";
  state = { url: stream.url, lastEventId: from, following: stream.following };
  tabs?.postMessage({ state } satisfies Relayed);
  source = new EventSource(from ? `${stream.url}&last_event_id=${encodeURIComponent(from)}` : stream.url);
  source.onmessage = (event) => {
    const message = JSON.parse(event.data) as LiveMessage;
    if (message.type === "reauthorize") return void open(false);
    state.lastEventId = event.lastEventId;
    tabs?.postMessage({ message, state } satisfies Relayed);
    deliver(message);
  };
  // The browser resumes a dropped stream by itself (with Last-Event-ID); a refused one is asked for again.
  source.onerror = () => {
    if (source?.readyState === EventSource.CLOSED && attempt === opening) setTimeout(() => void open(true), RETRY_MS);
  };
}

/** Calls `listener` with every live message while the component is shown. */
export function useLive(listener: (message: LiveMessage) => void): void {
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => {
    const forward = (message: LiveMessage) => latest.current(message);
    listeners.add(forward);
    return () => void listeners.delete(forward);
  }, []);
}
