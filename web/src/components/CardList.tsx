// The list pages of campaigns and of contests: the staff's link to set a new one up, then a card for each, its title
// linking to its page above a line of facts.
import { Pending, type LoadState } from "./ui";

export interface Card {
  id: string;
  href: string;
  title: string;
  facts: string;
}

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
