import { h, render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { session } from "../src/api/client";
import { CardList, SetupPage, type Card } from "../src/components/CampaignsAndContests";
import { inLanguages, textFields } from "../src/components/LanguageTexts";

const root = document.createElement("div");
const loaded = { data: {}, loading: false, reload: () => undefined };
const show = (cards: Card[] | undefined, create?: { href: string; label: string }) => {
  render(h(CardList, { load: loaded, cards, empty: "None yet.", create }), root);
  return root;
};

afterEach(() => {
  render(null, root);
  session.set(null);
});

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

describe("the staff's page that sets one up or edits it", () => {
  const signIn = (roles: string[]) =>
    session.set({ accessToken: "a", refreshToken: null, user: { id: "u1", roles, spaces: [], emailVerified: true } });
  const setUp = (id?: string, get = vi.fn(async (asked: string) => ({ name: `campaign ${asked}` }))) => {
    render(h(SetupPage<{ name: string }>, {
      id, get, staffOnly: "Staff only.", form: (existing) => h("form", null, existing?.name ?? "new"),
    }), root);
    return get;
  };

  it("is refused to a member who does not set them up", () => {
    signIn(["member"]);
    setUp("c1");
    expect(root.textContent).toBe("Staff only.");
  });

  it("opens an empty form for a new one, asking for nothing", () => {
    signIn(["product_team"]);
    expect(setUp()).not.toHaveBeenCalled();
    expect(root.querySelector("form")?.textContent).toBe("new");
  });

  it("opens the form on the one it edits once it came, waiting until then", async () => {
    signIn(["admin"]);
    let arrive = (_: { name: string }) => {};
    const get = setUp("c1", vi.fn(() => new Promise<{ name: string }>((resolve) => (arrive = resolve))));
    await vi.waitFor(() => expect(get).toHaveBeenCalledWith("c1"));
    expect(root.querySelector("[role=status]")?.textContent).toBe("Loading…");
    expect(root.querySelector("form")).toBeNull();
    arrive({ name: "campaign c1" });
    await vi.waitFor(() => expect(root.querySelector("form")?.textContent).toBe("campaign c1"));
  });
});

describe("the title and description of one being set up, in each language", () => {
  it("fill a form's fields from the one edited, and read back the languages filled in", () => {
    const fields = textFields({ title: { fr: "Épargne", en: "Savings" }, description: { es: "Ahorro" } });
    expect(fields).toEqual({
      title_fr: "Épargne", title_en: "Savings", title_es: "", description_fr: "", description_en: "", description_es: "Ahorro",
    });
    expect(inLanguages(fields, "title")).toEqual({ fr: "Épargne", en: "Savings" });
    expect(inLanguages(fields, "description")).toEqual({ es: "Ahorro" });
  });

  it("are empty for a new one", () => {
    expect(Object.values(textFields())).toEqual(["", "", "", "", "", ""]);
  });
});
