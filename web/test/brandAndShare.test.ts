import { describe, expect, it } from "vitest";
import { DEFAULT_BRAND, labelIn, parseBrand } from "../src/brand";
import { shareLinks } from "../src/components/Share";

describe("the lab's brand from /config.json", () => {
  it("takes a bank's name, logo, colours, footer links and language", () => {
    const brand = parseBrand({
      name: "Le Lab", logo: "logo.svg", default_language: "fr", colours: { brand: "#7a1f5c" },
      footer_links: [{ label: { fr: "Confidentialité", en: "Privacy" }, href: "https://bank.example/p" }],
    });
    expect(brand).toEqual({
      name: "Le Lab", logo: "/brand/logo.svg", default_language: "fr", colours: { brand: "#7a1f5c" },
      footer_links: [{ label: { fr: "Confidentialité", en: "Privacy" }, href: "https://bank.example/p" }],
    });
    expect(labelIn(brand.footer_links[0].label, "es")).toBe("Privacy");
  });

  it("keeps the lab's own for what is missing or malformed, and never a script link or a colour expression", () => {
    expect(parseBrand(null)).toEqual(DEFAULT_BRAND);
    const brand = parseBrand({
      name: "", logo: "../x.svg", default_language: "de", colours: { brand: "red;background:url(x)" },
      footer_links: [{ label: "Pwn", href: "javascript:alert(1)" }, { label: "", href: "/ok" }],
    });
    expect(brand).toEqual(DEFAULT_BRAND);
  });
});

describe("share links", () => {
  it("give each network the page's address and title, encoded", () => {
    const links = shareLinks("https://lab.example/ideas/a b", "Round-ups & more", "Look: https://lab.example/ideas/a b");
    expect(links.map((l) => l.network)).toEqual(["X", "Facebook", "LinkedIn", "WhatsApp", "email"]);
    expect(links[0].href).toBe("https://twitter.com/intent/tweet?url=https%3A%2F%2Flab.example%2Fideas%2Fa%20b&text=Round-ups%20%26%20more");
    expect(links[4].href).toBe("mailto:?subject=Round-ups%20%26%20more&body=Look%3A%20https%3A%2F%2Flab.example%2Fideas%2Fa%20b");
  });
});
