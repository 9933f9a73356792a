// The response-time promise (issue 13): the team's queue of posts waiting for an answer (claim, hand over), each
// space's targets, and the monthly figures the bank publishes (the ideas service, under /api/ideas/promise).
import { api } from "./client";

const enc = encodeURIComponent;

export const KINDS = ["idea", "question", "message"] as const;
export type Kind = (typeof KINDS)[number];
export const LANGUAGES = ["fr", "en", "es"] as const;

export interface Waiting {
  kind: Kind;
  item_id: string;
  about_id: string | null;
  thread_id: string;
  title: string | null; // a private message shows none
  space: string | null;
  language: string;
  posted_at: string;
  acknowledge_due: string;
  answer_due: string;
  owed: "acknowledge" | "answer";
  due_at: string;
  overdue: boolean;
  acknowledged_at: string | null;
  claimed_by: string | null;
}

export interface QueueFilters {
  space?: string;
  kind?: string;
  language?: string;
  waiting_for?: string;
}

export interface Step {
  within_target: number;
  settled: number;
  pending: number;
  share_within_target: number | null;
  median_minutes: number | null;
}

export interface KindFigures {
  kind?: Kind;
  posted: number;
  acknowledge: Step;
  answer: Step;
}

export interface Figures {
  space: string | null;
  month: string;
  targets: { acknowledge_minutes: number; answer_minutes: number };
  kinds: KindFigures[];
  all: KindFigures;
}

function query(values: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}

export const promise = {
  queue: (filters: QueueFilters) =>
    api.get<{ at: string; waiting: Waiting[] }>(`/api/ideas/promise/queue${query({ ...filters, limit: "200" })}`),
  claim: (item: Waiting) => api.post<Waiting>(`/api/ideas/promise/queue/${item.kind}/${enc(item.item_id)}/claim`),
  handOver: (item: Waiting, to: string) =>
    api.post<Waiting>(`/api/ideas/promise/queue/${item.kind}/${enc(item.item_id)}/hand-over`, { to }),
  setTargets: (space: string | undefined, targets: { acknowledge_minutes: number; answer_minutes: number }) =>
    api.put<Figures["targets"]>(`/api/ideas/promise/targets${query({ space })}`, targets),
  figures: (month: string, space?: string) =>
    api.get<Figures>(`/api/ideas/promise/figures${query({ month, space })}`),
};

/** Where staff read a waiting post: its idea, its question, or the member's private thread. */
export function pageOf(item: Waiting): string {
  if (item.kind === "idea") return `/ideas/${enc(item.item_id)}`;
  if (item.kind === "question") return `/questions/${enc(item.item_id)}`;
  return `/private/${enc(item.thread_id)}`;
}
