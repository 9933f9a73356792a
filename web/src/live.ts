// Live pages: one server-sent-event stream per tab, on the channels GET /api/notifications/live hands out to the
// signed-in member (or to anyone). Messages carry ids, counts and statuses, never text: a page that hears of a change
// reads it from the APIs. "reauthorize" means the member lost a right (a space, staff): ask for the channels again.
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

const RETRY_MS = 5_000;
const listeners = new Set<(message: LiveMessage) => void>();
let source: EventSource | null = null;
let following = new Set<string>();
let opening = 0;

/** Whether the signed-in member follows the idea (their inbox gets its status changes). */
export function follows(ideaId: string): boolean {
  return following.has(ideaId);
}

/** Opens this tab's stream, and opens it again whenever the session changes. */
export function startLive(): void {
  if (typeof EventSource === "undefined") return; // the pages still work; they just do not move by themselves
  let user = session.get()?.user.id;
  session.subscribe((next) => {
    if (next?.user.id !== user) {
      user = next?.user.id;
      void open();
    }
  });
  void open();
}

async function open(): Promise<void> {
  const attempt = ++opening;
  source?.close();
  source = null;
  let stream: Stream;
  try {
    stream = await api.get<Stream>("/api/notifications/live");
  } catch {
    if (attempt === opening) setTimeout(() => attempt === opening && void open(), RETRY_MS);
    return;
  }
  if (attempt !== opening) return; // a newer session asked meanwhile
  following = new Set(stream.following);
  source = new EventSource(stream.url);
  source.onmessage = (event) => {
    const message = JSON.parse(event.data) as LiveMessage;
    if (message.type === "reauthorize") void open();
    else listeners.forEach((listener) => listener(message));
  };
  // The browser resumes a dropped stream by itself (with Last-Event-ID); a refused one is asked for again.
  source.onerror = () => {
    if (source?.readyState === EventSource.CLOSED && attempt === opening) setTimeout(() => void open(), RETRY_MS);
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
