// The moderation queue (issue 13): members flag ideas, comments and questions with a reason from a closed list;
// moderators read the flagged items, uphold (hidden with the reason) or dismiss, and see who is proposed for a ban.
import { api } from "./client";

const enc = encodeURIComponent;

/** The only reasons a flag (or a hiding after review) may give; criticism of the bank is not one. */
export const REASONS = ["abuse", "personal_data", "spam", "off_topic", "illegal"] as const;
export type Reason = (typeof REASONS)[number];
export type FlagKind = "idea" | "comment" | "question";

/** What a hidden item tells readers: pending review (hidden by members' flags) or upheld for a listed reason. */
export interface HiddenState {
  reason: string;
  at: string;
  pending_review?: boolean;
  category?: Reason;
  note?: string | null;
}

export interface Flagged {
  kind: FlagKind;
  item_id: string;
  reason: Reason;
  at: string;
  hidden_pending_review: boolean;
}

export interface Report {
  id: string;
  kind: FlagKind;
  item_id: string;
  idea_id: string | null;
  space: string | null;
  author_id: string | null;
  flags: number;
  reasons: Partial<Record<Reason, number>>;
  first_flagged_at: string;
  last_flagged_at: string;
  pending_review: boolean;
  item: { title?: string | null; description?: string | null; text?: string | null; body?: string | null } | null;
}

export interface BanProposal {
  member_id: string;
  display_name: string | null;
  upheld_abuse: number;
  last_upheld_at: string;
}

/** Where a flag goes: `/api/ideas/<idea>`, `…/comments/<comment>`, `/api/ideas/questions/<question>`. */
export function flagPath(kind: FlagKind, id: string, ideaId?: string): string {
  if (kind === "question") return `/api/ideas/questions/${enc(id)}/flags`;
  if (kind === "comment") return `/api/ideas/${enc(ideaId ?? "")}/comments/${enc(id)}/flags`;
  return `/api/ideas/${enc(id)}/flags`;
}

/** The lab's page of a flagged item, for moderators to read it in place. */
export function pageOf(report: Report): string {
  if (report.kind === "question") return `/questions/${enc(report.item_id)}`;
  const idea = `/ideas/${enc(report.idea_id ?? report.item_id)}`;
  return report.kind === "comment" ? `${idea}#comment-${enc(report.item_id)}` : idea;
}

export const moderation = {
  flag: (kind: FlagKind, id: string, reason: Reason, ideaId?: string) =>
    api.post<Flagged>(flagPath(kind, id, ideaId), { reason }),
  flagRight: () => api.get<{ may_flag: boolean; until: string | null }>("/api/ideas/me/flag-right"),
  reports: () => api.get<{ reports: Report[] }>("/api/ideas/moderation/reports"),
  uphold: (report: Report, reason: Reason, note: string) =>
    api.post(`/api/ideas/moderation/reports/${enc(report.id)}/uphold`, { reason, note: note || null }),
  dismiss: (report: Report, note: string) =>
    api.post(`/api/ideas/moderation/reports/${enc(report.id)}/dismiss`, { note: note || null }),
  hideQuestion: (id: string, reason: Reason, note: string) =>
    api.post(`/api/ideas/questions/${enc(id)}/hide`, { reason, note: note || null }),
  restoreQuestion: (id: string, reason: string) => api.post(`/api/ideas/questions/${enc(id)}/restore`, { reason }),
  banProposals: () => api.get<{ proposals: BanProposal[] }>("/api/ideas/moderation/ban-proposals"),
  ban: (memberId: string, reason: string) => api.post(`/api/accounts/users/${enc(memberId)}/ban`, { reason }),
};

/** The parts of a comment's text, its @mentions apart, to show them as mentions. */
export function mentionParts(text: string): { text: string; mention: boolean }[] {
  const parts: { text: string; mention: boolean }[] = [];
  let last = 0;
  for (const found of text.matchAll(/(^|[^\p{L}\p{N}_@])(@[\p{L}\p{N}](?:[\p{L}\p{N}_.-]{0,78}[\p{L}\p{N}_])?)/gu)) {
    const start = (found.index ?? 0) + found[1].length;
    if (start > last) parts.push({ text: text.slice(last, start), mention: false });
    parts.push({ text: found[2], mention: true });
    last = start + found[2].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), mention: false });
  return parts;
}
