// The lab's APIs as the web lab uses them, one function per request, with the shapes the services answer.
import type { Localised } from "./campaigns";
import { api, Problem, type Tokens } from "./client";

const enc = encodeURIComponent;

/** A new idea reaches the votes and roadmap services by an event, a moment after the ideas service took it: until
 * then they answer 404. Asks again, less and less often (up to every 2 s, for about 40 s: a worker that just joined
 * its group can take that long), before believing the 404. */
export async function onceKnown<T>(ask: () => Promise<T>, attempts = 25, pauseMs = 250): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ask();
    } catch (error) {
      if (!(error instanceof Problem && error.status === 404) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(pauseMs * attempt, 2000)));
    }
  }
}

export const SORTS = ["newest", "most_voted", "most_discussed", "trending"] as const;
export type Sort = (typeof SORTS)[number];
export const TEAM_STATUSES = ["under_review", "planned", "in_progress", "launched", "declined"] as const;
export const ROADMAP_COLUMNS = ["open", "under_review", "planned", "in_progress", "launched", "declined", "duplicate"];

/** Set when a moderator hid the item: readers get the reason, not the text (staff get both). */
export interface Hidden {
  reason: string;
  at: string;
}

export interface Idea {
  id: string;
  title: string | null;
  description: string | null;
  category: string;
  author_id: string;
  space?: string | null;
  submitted_at: string;
  status: string;
  vote_count: number;
  comment_count?: number;
  hidden?: Hidden | null;
  image?: { id: string; url: string } | null;
  tags?: string[];
  trending?: number;
  /** Set on a duplicate: the id of the original it was merged into. */
  merged_into?: string | null;
}

/** A page of ideas; `next` is the cursor of the following page (lists, not searches), null on the last. */
export interface IdeaPage {
  ideas: Idea[];
  sort: string;
  offset: number;
  next?: string | null;
}

/** A member's latest choice on following an idea (null: none made; writing, voting or commenting follows it). */
export interface FollowChoice {
  idea_id: string;
  following: boolean | null;
  at: string | null;
}

/** An uploaded image, to attach to an idea by its id. */
export interface UploadedImage {
  id: string;
  url: string;
  content_type: string;
  size: number;
}

export const IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"];
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

export interface Comment {
  id: string;
  idea_id: string;
  author_id: string;
  text: string | null;
  reply_to: string | null;
  posted_at: string;
  hidden?: Hidden | null;
}

export interface Tally {
  idea_id: string;
  count: number;
  threshold: number;
  threshold_reached: boolean;
  my_vote: boolean | null;
}

export interface HistoryEntry {
  from: string;
  to: string;
  message: string;
  by: string;
  at: string;
  initiative_id?: string; // the initiative the idea moved with
}

export interface RoadmapItem {
  idea_id: string;
  title: string | null;
  category?: string | null;
  vote_count?: number;
  status: string;
  updated_at: string | null;
  history?: HistoryEntry[];
}

export interface InboxEntry {
  id: string;
  kind: string;
  idea_id: string;
  title: string;
  message: string;
  from: string;
  to: string;
  created_at: string;
  read: boolean;
}

export interface Inbox {
  user_id: string;
  unread: number;
  entries: InboxEntry[];
}

export interface Account {
  id: string;
  email: string;
  display_name: string;
  roles?: string[];
  spaces?: string[];
  email_verified: boolean;
}

export interface Provider {
  name: string;
  display_name: string;
}

export interface LinkedIdentity {
  provider: string;
  display_name: string;
  linked_at: string;
}

export const ideas = {
  list: (sort: Sort, limit: number, offset: number) =>
    api.get<{ ideas: Idea[] }>(`/api/ideas?sort=${sort}&limit=${limit}&offset=${offset}`),
  /** A page of ideas found: `query` from `listQuery` (words, order, filters, cursor or offset). */
  find: (query: string) => api.get<IdeaPage>(`/api/ideas?${query}`),
  similar: (title: string, limit = 5) =>
    api.get<{ ideas: Idea[] }>(`/api/ideas/similar?title=${enc(title)}&limit=${limit}`),
  followChoice: (id: string) => api.get<FollowChoice>(`/api/ideas/${enc(id)}/follow`),
  follow: (id: string, following: boolean) =>
    following ? api.put<FollowChoice>(`/api/ideas/${enc(id)}/follow`) : api.delete<FollowChoice>(`/api/ideas/${enc(id)}/follow`),
  /** Staff: merge the duplicate `id` into the original `into`. */
  merge: (id: string, into: string) => api.post<Idea>(`/api/ideas/${enc(id)}/merge`, { into }),
  setTags: (id: string, tags: string[]) => api.put<Idea>(`/api/ideas/${enc(id)}/tags`, { tags }),
  get: (id: string) => api.get<Idea>(`/api/ideas/${enc(id)}`),
  submit: (idea: { title: string; description: string; category: string; image_id?: string; tags?: string[];
    language?: string }) =>
    api.post<Idea>("/api/ideas", idea),
  uploadImage: (file: File, onProgress: (fraction: number) => void) => {
    const form = new FormData();
    form.append("image", file);
    return api.upload<UploadedImage>("/api/ideas/images", form, onProgress);
  },
  comments: (ideaId: string) => api.get<{ comments: Comment[] }>(`/api/ideas/${enc(ideaId)}/comments?limit=500`),
  comment: (ideaId: string, text: string, replyTo: string | null) =>
    api.post<Comment>(`/api/ideas/${enc(ideaId)}/comments`, { text, reply_to: replyTo }),
  /** Moderators: hide or restore an idea (no comment id) or one of its comments, with a public reason. */
  moderate: (action: "hide" | "restore", ideaId: string, commentId: string | null, reason: string) =>
    api.post<Idea | Comment>(
      `/api/ideas/${enc(ideaId)}${commentId ? `/comments/${enc(commentId)}` : ""}/${action}`,
      { reason },
    ),
};

export const votes = {
  tally: (ideaId: string) => api.get<Tally>(`/api/votes/ideas/${enc(ideaId)}`),
  cast: (ideaId: string) => api.post(`/api/votes/ideas/${enc(ideaId)}`),
  withdraw: (ideaId: string) => api.delete(`/api/votes/ideas/${enc(ideaId)}`),
};

export interface InitiativeIdea {
  idea_id: string;
  title: string | null;
  category: string | null;
  status: string;
  vote_count: number;
  updated_at: string | null;
}

export interface InitiativeEntry extends Omit<HistoryEntry, "from"> {
  from: string | null; // null: its announcement
}

export interface Initiative {
  initiative_id: string;
  title: Localised;
  description: Localised;
  target_quarter: string | null;
  owner_team: string;
  status: string;
  space: string | null;
  announced: boolean;
  announced_at: string | null;
  updated_at: string;
  ideas: InitiativeIdea[];
  votes: number;
  history?: InitiativeEntry[];
}

export interface InitiativeDraft {
  title: Localised;
  description: Localised;
  target_quarter: string | null;
  owner_team: string;
  idea_ids: string[];
  status: string;
}

export interface Board {
  initiatives: Initiative[];
  columns: Record<string, RoadmapItem[]>;
  open_list: string;
}

export const INITIATIVE_STATUSES = ["under_review", "planned", "in_progress", "launched"] as const;

export const roadmap = {
  board: (filters: { category?: string; space?: string }) => {
    const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v) as [string, string][]);
    return api.get<Board>(`/api/roadmap${query.size ? `?${query}` : ""}`);
  },
  initiatives: (status?: string) =>
    api.get<{ initiatives: Initiative[] }>(`/api/roadmap/initiatives${status ? `?status=${enc(status)}` : ""}`),
  initiative: (id: string) => api.get<Initiative>(`/api/roadmap/initiatives/${enc(id)}`),
  /** Staff: a draft, which only staff see until it is announced. */
  draft: (draft: InitiativeDraft) => api.post<Initiative>("/api/roadmap/initiatives", draft),
  announce: (id: string, message: string) =>
    api.post<Initiative>(`/api/roadmap/initiatives/${enc(id)}/announce`, { message }),
  moveInitiative: (id: string, status: string, message: string) =>
    api.post<Initiative>(`/api/roadmap/initiatives/${enc(id)}/status`, { status, message }),
  item: (ideaId: string) => api.get<RoadmapItem>(`/api/roadmap/ideas/${enc(ideaId)}`),
  changeStatus: (ideaId: string, status: string, message: string) =>
    api.post<RoadmapItem>(`/api/roadmap/ideas/${enc(ideaId)}/status`, { status, message }),
};

export interface Preferences {
  user_id: string;
  email: boolean;
  email_address_known: boolean;
}

export const notifications = {
  inbox: (userId: string, limit = 50) =>
    api.get<Inbox>(`/api/notifications/users/${enc(userId)}/inbox?limit=${limit}`),
  /** Marks these entries read, or every entry without `ids`; answers the unread count left. */
  markRead: (userId: string, ids?: string[]) =>
    api.post<{ unread: number }>(`/api/notifications/users/${enc(userId)}/inbox/read`, ids ? { ids } : {}),
  preferences: (userId: string) => api.get<Preferences>(`/api/notifications/users/${enc(userId)}/preferences`),
  setPreferences: (userId: string, email: boolean) =>
    api.put<Preferences>(`/api/notifications/users/${enc(userId)}/preferences`, { email }),
  unsubscribe: (token: string) => api.post(`/api/notifications/unsubscribe?token=${enc(token)}`),
};

/** Every service's part of "what the lab keeps about me" (accounts, ideas, votes, roadmap: my ratings,
 * notifications), in one file. */
export async function myData(): Promise<Record<string, unknown>> {
  const services = ["accounts", "ideas", "votes", "roadmap", "notifications"];
  const parts = await Promise.all(services.map((service) => api.get<unknown>(`/api/${service}/me/data`)));
  return Object.fromEntries(services.map((service, i) => [service, parts[i]]));
}

export const accounts = {
  signUp: (fields: { email: string; password: string; display_name: string }) =>
    api.post<Account>("/api/accounts/users", fields),
  signIn: (email: string, password: string) => api.post<Tokens>("/api/accounts/sessions", { email, password }),
  signOut: (refreshToken: string) => api.delete("/api/accounts/sessions", { refresh_token: refreshToken }),
  verifyEmail: (token: string) => api.post("/api/accounts/verifications", { token }),
  requestPasswordReset: (email: string) => api.post("/api/accounts/password-resets", { email }),
  resetPassword: (token: string, password: string) =>
    api.post("/api/accounts/password-resets/confirm", { token, password }),
  me: () => api.get<Account>("/api/accounts/me"),
  deleteMe: (password: string) => api.delete("/api/accounts/me", { password }),
  identities: () => api.get<LinkedIdentity[]>("/api/accounts/me/identities"),
  unlinkIdentity: (provider: string) => api.delete(`/api/accounts/me/identities/${enc(provider)}`),
  providers: () => api.get<Provider[]>("/api/accounts/providers"),
  providerStart: (name: string, returnTo: string) =>
    `/api/accounts/oidc/${enc(name)}/start?return_to=${enc(returnTo)}`,
  acceptInvitation: (token: string) => api.post("/api/accounts/invitations/accept", { token }),
};

/** The team's answer pinned at the top of an idea or a question: the bank's word on it. */
export interface TeamAnswer {
  id: string;
  text: string;
  author_id: string | null;
  posted_at: string;
}

export interface Question {
  id: string;
  title: string | null;
  body: string | null;
  author_id: string | null;
  space: string | null;
  asked_at: string;
  team_answer: TeamAnswer | null;
  answered_privately: boolean;
  hidden: Hidden | null;
}

export interface Answer {
  id: string;
  about: "idea" | "question";
  about_id: string;
  author_id: string | null;
  text: string;
  posted_at: string;
}

export interface PrivateMessage {
  id: string;
  author_id: string | null;
  from_team: boolean;
  text: string;
  at: string;
}

/** A conversation between one member and the team, readable by them only. */
export interface PrivateThread {
  id: string;
  member_id: string;
  about: "idea" | "question" | "comment" | "account";
  about_id: string | null;
  idea_id: string | null;
  opened_at: string;
  last_message_at: string;
  messages?: PrivateMessage[];
}

/** Who answers for the bank: public answers, the team's answer, private replies. */
export const ANSWERERS = ["product_team", "adviser", "admin"];

export const conversations = {
  questions: () => api.get<{ questions: Question[] }>("/api/ideas/questions?limit=100"),
  question: (id: string) => api.get<Question>(`/api/ideas/questions/${enc(id)}`),
  ask: (question: { title: string; body: string; language?: string }) =>
    api.post<Question>("/api/ideas/questions", question),
  answers: (about: "idea" | "question", id: string) =>
    api.get<{ answers: Answer[] }>(about === "idea" ? `/api/ideas/${enc(id)}/answers` : `/api/ideas/questions/${enc(id)}/answers`),
  answer: (about: "idea" | "question", id: string, text: string, pin: boolean) =>
    api.post<Answer>(about === "idea" ? `/api/ideas/${enc(id)}/answers` : `/api/ideas/questions/${enc(id)}/answers`, { text, pin }),
  /** The team: answer an idea's or a question's author privately (a comment's: `commentOf` its idea). */
  replyPrivately: (about: "idea" | "question" | "comment", id: string, text: string, commentOf?: string) =>
    api.post<PrivateThread>(
      about === "idea"
        ? `/api/ideas/${enc(id)}/private-replies`
        : about === "question"
          ? `/api/ideas/questions/${enc(id)}/private-replies`
          : `/api/ideas/${enc(commentOf ?? "")}/comments/${enc(id)}/private-replies`,
      { text },
    ),
  threads: () => api.get<{ threads: PrivateThread[] }>("/api/ideas/private-threads?limit=100"),
  thread: (id: string) => api.get<PrivateThread>(`/api/ideas/private-threads/${enc(id)}`),
  openThread: (text: string, language?: string) =>
    api.post<PrivateThread>("/api/ideas/private-threads", { text, language }),
  write: (id: string, text: string) => api.post<PrivateThread>(`/api/ideas/private-threads/${enc(id)}/messages`, { text }),
};

/** What an idea says of the team's answers (the idea API adds these to every idea). */
export type Answered = { team_answer?: TeamAnswer | null; answered_privately?: boolean };
