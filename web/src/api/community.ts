// The community's APIs (issue 14): points, levels and leaderboards, members' profiles and comments marked helpful
// (the ideas service), and ratings of what was launched (the roadmap service).
import { api } from "./client";

const enc = encodeURIComponent;

export const PERIODS = ["week", "month", "all"] as const;
export type Period = (typeof PERIODS)[number];

export interface Level {
  name: string;
  points: number; // reached from this many points
}

export interface LeaderboardEntry {
  rank: number;
  member_id: string;
  display_name: string | null;
  points: number;
  level: string;
}

export interface Leaderboard {
  space: string | null;
  period: Period;
  entries: LeaderboardEntry[];
}

export interface Profile {
  member_id: string;
  display_name: string;
  points: number;
  level: Level;
  next_level: Level | null;
  ideas: { id: string; title: string | null; space: string | null; submitted_at: string; status: string;
    vote_count: number; comment_count: number }[];
  comments: { id: string; idea_id: string; text: string; posted_at: string; helpful: boolean }[];
}

export interface MemberName {
  member_id: string;
  display_name: string;
  level: string;
}

export type RatedKind = "ideas" | "initiatives";

export interface Rating {
  member_id: string;
  stars: number;
  review: string | null;
  rated_at: string;
  updated_at: string;
  hidden: { reason: string; at: string } | null;
}

export interface RatingSummary {
  count: number;
  average: number | null;
  distribution: Record<string, number>; // "1".."5" → how many
}

export interface Ratings {
  summary: RatingSummary;
  mine: Rating | null;
  reviews: Rating[];
}

export interface Launch extends RatingSummary {
  kind: "idea" | "initiative";
  id: string;
  title: string | Record<string, string> | null;
  space: string | null;
  launched_at: string;
}

export const community = {
  leaderboard: (period: Period, space?: string | null, limit = 20) =>
    api.get<Leaderboard>(`/api/ideas/leaderboard?period=${period}&limit=${limit}${space ? `&space=${enc(space)}` : ""}`),
  levels: () => api.get<{ levels: Level[] }>("/api/ideas/levels"),
  /** Names with their level (up to 100 ids); unknown members are left out. */
  names: (ids: string[]) =>
    api.get<{ members: MemberName[] }>(`/api/ideas/members?ids=${ids.map(enc).join(",")}`),
  profile: (memberId: string) => api.get<Profile>(`/api/ideas/members/${enc(memberId)}`),
  /** Staff: mark a comment helpful (its author earns points), or take the mark back. */
  markHelpful: (ideaId: string, commentId: string, helpful: boolean) => {
    const path = `/api/ideas/${enc(ideaId)}/comments/${enc(commentId)}/helpful`;
    return helpful ? api.put<{ helpful: boolean }>(path) : api.delete<{ helpful: boolean }>(path);
  },
  ratings: (kind: RatedKind, id: string) => api.get<Ratings>(`/api/roadmap/${kind}/${enc(id)}/ratings?limit=50`),
  rate: (kind: RatedKind, id: string, stars: number, review: string | null) =>
    api.put<Rating>(`/api/roadmap/${kind}/${enc(id)}/ratings/mine`, { stars, review }),
  /** Moderators: hide or restore a member's review, with a public reason. */
  moderateReview: (kind: RatedKind, id: string, memberId: string, action: "hide" | "restore", reason: string) =>
    api.post<Rating>(`/api/roadmap/${kind}/${enc(id)}/ratings/${enc(memberId)}/${action}`, { reason }),
  launches: () => api.get<{ launches: Launch[] }>("/api/roadmap/launches"),
};
