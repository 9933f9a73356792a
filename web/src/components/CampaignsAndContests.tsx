// What the campaigns' and the contests' pages share: who sets them up, their list page and the staff's form page.
import type { VNode } from "preact";
import { session } from "../api/client";
import { useStore } from "../store";
import { ErrorNote, Loading, Pending, useLoad, type LoadState } from "./ui";

const STAFF = ["product_team", "admin"];

/** Whether the signed-in user may set campaigns and contests up (the API decides; this hides the links and forms). */
export function useStaff(): boolean {
  return useStore(session)?.user.roles.some((role) => STAFF.includes(role)) ?? false;
}

/** An instant as a datetime-local input shows it: the reader's local time, to the minute. */
export function localInput(iso: string): string {
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

export interface Card {
  id: string;
  href: string;
  title: string;
  facts: string;
}

/** The list page: the staff's link to set a new one up, then a card for each, its title linking to its page above a
 * line of facts. */
export function CardList({ load, cards, empty, create }: {
  load: LoadState;
  cards?: Card[];
  empty: string;
  create?: { href: string; label: string }; // for the staff
}) {
  return (
    <>
      {create && (
        <p>
          <a class="button" href={create.href}>{create.label}</a>
        </p>
      )}
      <Pending load={load} />
      {cards?.length === 0 && <p class="empty">{empty}</p>}
      <ul class="ideas">
        {cards?.map((card) => (
          <li key={card.id} class="idea-card">
            <h2>
              <a href={card.href}>{card.title}</a>
            </h2>
            <p class="small muted">{card.facts}</p>
          </li>
        ))}
      </ul>
    </>
  );
}

/** The staff's page that sets a new one up, or edits the one `id` names once `get` has brought it. */
export function SetupPage<T>({ id, get, staffOnly, form }: {
  id?: string;
  get: (id: string) => Promise<T>;
  staffOnly: string;
  form: (existing?: T) => VNode;
}) {
  const staff = useStaff();
  const existing = useLoad(() => (id ? get(id) : Promise.resolve(undefined)), [id]);
  if (!staff) return <p>{staffOnly}</p>;
  if (id && !existing.data) return existing.error ? <ErrorNote error={existing.error} /> : <Loading />;
  return form(existing.data);
}
