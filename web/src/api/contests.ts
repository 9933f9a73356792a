// Contests as the votes service answers them (issue 12, Genios del Ahorro), and their entries: ideas of the lab
// submitted with the contest's id (the ideas service), voted for like any idea (one vote per member per entry).
import { api } from "./client";
import type { Idea } from "./lab";
import type { Localised } from "./campaigns";

const enc = encodeURIComponent;

export interface RankedEntry {
  entry_id: string;
  rank: number;
  votes: number;
  shortlisted: boolean;
  jury_score: number | null;
}

export interface ContestRound {
  round: number;
  final: boolean;
  opens_at: string;
  closes_at: string;
  judging_ends_at: string;
  prize: number;
  state: "scheduled" | "open" | "closing" | "judging" | "decided";
  shortlist?: string[];
  ranking?: RankedEntry[];
  winner?: string | null;
}

export interface Criterion {
  id: string;
  name: Localised;
}

export interface RoundSetup {
  opens_at: string;
  closes_at: string;
  judging_ends_at: string;
  prize: number;
}

export interface ContestSetup {
  title: Localised;
  description: Localised;
  space?: string | null;
  currency: string;
  shortlist_size: number;
  criteria: Criterion[];
  jury: { kind: "role" | "list"; members?: string[] | null };
  rounds: RoundSetup[];
  final: { closes_at: string; judging_ends_at: string; prize: number };
}

export interface Contest extends Omit<ContestSetup, "rounds"> {
  id: string;
  rounds: ContestRound[];
  may_judge: boolean;
  shortlist_rule: string;
  winner_rule: string;
}

export interface Entry extends Idea {
  contest: { id: string; round: number } | null;
  video: { id: string; url: string; content_type: string } | null;
  video_link: string | null;
}

export type Scores = Record<string, Record<string, number>>;

export const MAX_VIDEO_BYTES = 8 * 1024 * 1024;
export const VIDEO_TYPES = ["video/mp4", "video/webm"];

export const contests = {
  list: () => api.get<{ contests: Contest[] }>("/api/votes/contests"),
  get: (id: string) => api.get<Contest>(`/api/votes/contests/${enc(id)}`),
  create: (setup: ContestSetup) => api.post<Contest>("/api/votes/contests", setup),
  edit: (id: string, setup: ContestSetup) => api.put<Contest>(`/api/votes/contests/${enc(id)}`, setup),
  entries: (id: string) => api.get<{ entries: Entry[] }>(`/api/ideas/contests/${enc(id)}/entries?limit=500`),
  enter: (entry: { title: string; description: string; category: string; contest_id: string; image_id?: string;
    video_id?: string; video_link?: string }) => api.post<Entry>("/api/ideas", entry),
  uploadVideo: (file: File, onProgress: (fraction: number) => void) => {
    const form = new FormData();
    form.append("video", file);
    return api.upload<{ id: string; url: string; content_type: string }>("/api/ideas/videos", form, onProgress);
  },
  score: (id: string, round: number, scores: Scores) =>
    api.put<{ scores: Scores }>(`/api/votes/contests/${enc(id)}/rounds/${round}/scoresheet`, { scores }),
  myScores: (id: string, round: number) =>
    api.get<{ scores: Scores }>(`/api/votes/contests/${enc(id)}/rounds/${round}/scoresheet`),
};
