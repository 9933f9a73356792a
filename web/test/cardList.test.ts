import { h, render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import { CardList, type Card } from "../src/components/CardList";

const root = document.createElement("div");
const loaded = { data: {}, loading: false, reload: () => undefined };
const show = (cards: Card[] | undefined, create?: { href: string; label: string }) => {
  render(h(CardList, { load: loaded, cards, empty: "None yet.", create }), root);
  return root;
};

afterEach(() => render(null, root));

describe("the list of campaigns or contests", () => {
  it("links each card's title to its page, its facts below", () => {
    const shown = show([{ id: "c1", href: "/contests/c1", title: "Savings", facts: "Round 1: open" }]);
    const link = shown.querySelector("li.idea-card h2 a");
    expect(link?.getAttribute("href")).toBe("/contests/c1");
    expect(link?.textContent).toBe("Savings");
    expect(shown.querySelector("li.idea-card p.small.muted")?.textContent).toBe("Round 1: open");
    expect(shown.querySelector("p.empty")).toBeNull();
  });

  it("says there are none only once the list came empty", () => {
    expect(show([]).querySelector("p.empty")?.textContent).toBe("None yet.");
    expect(show(undefined).querySelector("p.empty")).toBeNull();
  });

  it("offers the link to set a new one up only when given it (to the staff)", () => {
    expect(show([]).querySelector("a.button")).toBeNull();
    const create = show([], { href: "/contests/new", label: "New contest" }).querySelector("a.button");
    expect(create?.getAttribute("href")).toBe("/contests/new");
    expect(create?.textContent).toBe("New contest");
  });
});
