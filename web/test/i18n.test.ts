import { describe, expect, it } from "vitest";
import { fieldMessage, pickLocale, regional, translate, translator } from "../src/i18n";
import { en } from "../src/locales/en";
import { es } from "../src/locales/es";
import { fr } from "../src/locales/fr";

describe("pickLocale", () => {
  it("keeps the saved choice over the browser's languages", () => {
    expect(pickLocale("es", ["fr-FR", "en"])).toBe("es");
  });

  it("takes the first browser language it speaks, by its base language", () => {
    expect(pickLocale(null, ["de-DE", "fr-CA", "es"])).toBe("fr");
  });

  it("ignores a saved value that is not a language it speaks", () => {
    expect(pickLocale("klingon", ["es-MX"])).toBe("es");
    expect(pickLocale("toString", [])).toBe("en");
  });

  it("falls back to English", () => {
    expect(pickLocale(null, ["de", "ja"])).toBe("en");
  });
});

describe("regional", () => {
  it("formats dates and numbers in the browser's variant of the chosen language", () => {
    expect(regional("fr", ["en-GB", "fr-CA"])).toBe("fr-CA");
    expect(regional("en", ["en-GB", "fr-CA"])).toBe("en-GB");
    expect(regional("es", ["en-GB", "fr-CA"])).toBe("es");
  });
});

describe("translate", () => {
  it("fills placeholders, numbers in the language's format", () => {
    expect(translate("fr", "idea.progress", { count: 1234, threshold: 2000 })).toBe(
      `${new Intl.NumberFormat("fr").format(1234)} sur ${new Intl.NumberFormat("fr").format(2000)} votes nécessaires pour l’étude`,
    );
  });

  it("picks the plural form by the language's rules", () => {
    expect(translate("en", "ideas.votes", { count: 1 })).toBe("1 vote");
    expect(translate("en", "ideas.votes", { count: 0 })).toBe("0 votes");
    expect(translate("fr", "ideas.votes", { count: 0 })).toBe("0 vote"); // French: zero is singular
    expect(translate("es", "ideas.votes", { count: 2 })).toBe("2 votos");
  });

  it("falls back to English for a message a language lacks", () => {
    const { "nav.ideas": _, ...lacking } = fr;
    const tables = { en, fr: lacking, es };
    expect(translate("fr", "nav.ideas", {}, tables)).toBe("Ideas");
    expect(translate("fr", "nav.roadmap", {}, tables)).toBe("Feuille de route");
  });

  it("shows the key itself rather than nothing for an unknown message", () => {
    expect(translate("fr", "no.such.key" as never)).toBe("no.such.key");
  });

  it("names the API's values, and shows a value it has no name for as it is", () => {
    const { label } = translator("es");
    expect(label("status", "planned")).toBe("Planificada");
    expect(label("category", "crypto-assets")).toBe("crypto-assets");
  });
});

describe("the translations", () => {
  it("have no message English lacks, and fill the same placeholders", () => {
    for (const table of [fr, es]) {
      for (const [key, text] of Object.entries(table)) {
        expect(en).toHaveProperty(key);
        const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        expect(names(text as string), key).toEqual(names(en[key as keyof typeof en]));
      }
    }
  });
});

describe("fieldMessage", () => {
  it("says the APIs' usual field errors in the member's language, numbers included", () => {
    expect(fieldMessage("fr", "Length must be between 5 and 140.")).toBe("Entre 5 et 140 caractères.");
    expect(fieldMessage("es", "Missing data for required field.")).toBe("Obligatorio.");
    expect(fieldMessage("en", "use at least 10 characters")).toBe("At least 10 characters.");
  });

  it("leaves any other message as the API wrote it", () => {
    expect(fieldMessage("fr", "reply_to: no comment c-1 on this idea")).toBe("reply_to: no comment c-1 on this idea");
  });
});
