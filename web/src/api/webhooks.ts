// Webhook endpoints for the bank's own systems (issue 15), for admins: register one with the event types it takes
// (its secret is shown once), rotate the secret, turn it on or off, read its delivery log and replay a delivery.
import { api } from "./client";

const enc = encodeURIComponent;

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: string[];
  description: string;
  enabled: boolean;
  created_at: string;
  failing_since: string | null;
  disabled_at: string | null;
  live_secrets: number;
  secret?: string; // only in the answer that made it: register or rotate
}

export interface WebhookAttempt {
  at: string;
  status: number | null;
  error: string | null;
  ms: number;
}

export interface WebhookDelivery {
  id: string; // the webhook-id header
  type: string;
  state: "queued" | "delivered" | "failed" | "withheld";
  attempts: number;
  created_at: string;
  next_attempt_at: string;
  delivered_at?: string;
  error?: string | null;
  log?: WebhookAttempt[];
}

export const webhooks = {
  endpoints: () => api.get<{ endpoints: WebhookEndpoint[]; event_types: string[] }>("/api/notifications/webhooks/endpoints"),
  register: (url: string, events: string[], description: string) =>
    api.post<WebhookEndpoint>("/api/notifications/webhooks/endpoints", { url, events, description }),
  change: (id: string, changes: Partial<Pick<WebhookEndpoint, "url" | "events" | "description" | "enabled">>) =>
    api.put<WebhookEndpoint>(`/api/notifications/webhooks/endpoints/${enc(id)}`, changes),
  rotate: (id: string) => api.post<WebhookEndpoint>(`/api/notifications/webhooks/endpoints/${enc(id)}/secrets`),
  log: (id: string) =>
    api.get<{ endpoint: WebhookEndpoint; deliveries: WebhookDelivery[] }>(
      `/api/notifications/webhooks/endpoints/${enc(id)}/deliveries?limit=50`),
  replay: (deliveryId: string) =>
    api.post<WebhookDelivery>(`/api/notifications/webhooks/deliveries/${enc(deliveryId)}/replay`),
};

export const isAdmin = (roles: string[] | undefined) => !!roles?.includes("admin");
