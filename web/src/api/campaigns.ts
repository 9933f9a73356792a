// Campaigns as the votes service answers them (issue 12): staff set one up, members cast one ballot, all see results.
import { api, session } from "./client";

const enc = encodeURIComponent;

export type Localised = Partial<Record<"fr" | "en" | "es", string>>;

export interface CampaignOption {
  id: string;
  name: string;
  description?: string;
  link?: string | null;
  /** The idea of the lab this option stands for. */
  idea_id?: string | null;
  /** An image the lab holds (an idea's), shown with the option. */
  image_id?: string | null;
}

export interface CampaignSetup {
  title: Localised;
  description: Localised;
  options: CampaignOption[];
  opens_at: string;
  closes_at: string;
  rule: { kind: "single" | "multiple" | "points"; k?: number | null };
  eligibility: { kind: "everyone" | "space" | "role"; space?: string | null; role?: string | null };
  results: "live" | "hidden";
  budget: { amount: number; currency: string } | null;
}

export interface Campaign extends CampaignSetup {
  id: string;
  state: "scheduled" | "open" | "closed";
  my_ballot: Record<string, number> | null;
}

export interface OptionResult {
  option_id: string;
  name: string;
  count: number;
  share: number;
  amount: number | null;
}

export interface Results {
  campaign_id: string;
  state: string;
  final: boolean;
  ballots: number;
  options: OptionResult[];
  turnout: { hour: string; ballots: number }[];
  budget: { amount: number; currency: string } | null;
  split_rule: string | null;
  digest: string | null;
}

export const campaigns = {
  list: () => api.get<{ campaigns: Campaign[] }>("/api/votes/campaigns"),
  get: (id: string) => api.get<Campaign>(`/api/votes/campaigns/${enc(id)}`),
  create: (setup: CampaignSetup) => api.post<Campaign>("/api/votes/campaigns", setup),
  edit: (id: string, setup: CampaignSetup) => api.put<Campaign>(`/api/votes/campaigns/${enc(id)}`, setup),
  cast: (id: string, choices: Record<string, number>) =>
    api.put<{ choices: Record<string, number> }>(`/api/votes/campaigns/${enc(id)}/ballot`, { choices }),
  results: (id: string) => api.get<Results>(`/api/votes/campaigns/${enc(id)}/results`),
  /** Keeps an uploaded image an option shows, so the ideas service's clean-up of unused images leaves it. */
  keepImage: (imageId: string) => api.put<void>(`/api/ideas/images/${enc(imageId)}/kept`),
  /** The export as a file to save: fetched with the member's token, since a space's campaign is not public. */
  exportFile: async (id: string, format: "json" | "csv"): Promise<Blob> => {
    const token = session.get()?.accessToken;
    const response = await fetch(`/api/votes/campaigns/${enc(id)}/export?format=${format}`, {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    });
    if (!response.ok) throw new Error(`export failed: ${response.status}`);
    return response.blob();
  },
};

/** A text in the reader's language, else in another the campaign has. */
export function inLanguage(text: Localised, lang: string): string {
  return text[lang as keyof Localised] ?? text.en ?? text.fr ?? text.es ?? "";
}

/** An amount kept in the currency's smallest unit, shown in the reader's format. */
export function money(amount: number, currency: string, lang: string): string {
  const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits;
  return new Intl.NumberFormat(lang, { style: "currency", currency }).format(amount / 10 ** (digits ?? 2));
}
