// Which emails a member wants (issue 15): per kind instant, a daily digest at their morning, or none; the language
// of their emails and the time zone of their morning; and whether the mail server refused their address for good.
import { api } from "./client";

const enc = encodeURIComponent;

export const KINDS = ["status_changes", "answers", "mentions", "campaign_results"] as const;
export const MODES = ["instant", "daily", "none"] as const;
export type Kind = (typeof KINDS)[number];
export type Mode = (typeof MODES)[number];

export interface EmailChoices {
  email: boolean;
  email_address_known: boolean;
  kinds: Record<Kind, Mode>;
  language: "en" | "fr" | "es" | null;
  time_zone: string;
  bounce: { address: string; reason: string; at: string } | null;
}

export const emailChoices = {
  get: (userId: string) => api.get<EmailChoices>(`/api/notifications/users/${enc(userId)}/preferences`),
  set: (userId: string, changes: Partial<Pick<EmailChoices, "kinds" | "language" | "time_zone">>) =>
    api.put<EmailChoices>(`/api/notifications/users/${enc(userId)}/preferences`, changes),
};

/** The browser's time zone, for a member who has not chosen one. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}
