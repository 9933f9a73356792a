// The bank's own lab (issue 15): its name, logo, colours, footer links and default language, from the gateway's
// /config.json (the operator's brand file, deploy/README.md). What is missing or malformed keeps the lab's own; the
// services refuse a brand whose colours fail WCAG AA, and this checks the same shapes again before applying any.
import { isLocale, type Locale } from "./i18n";
import { store } from "./store";

export type Label = string | Partial<Record<Locale, string>>;

export interface Brand {
  name: string;
  logo: string | null;
  colours: { brand?: string; brand_dark?: string };
  footer_links: { label: Label; href: string }[];
  default_language: Locale | null;
}

export const DEFAULT_BRAND: Brand = { name: "Idea Lab", logo: null, colours: {}, footer_links: [], default_language: null };
export const brand = store<Brand>(DEFAULT_BRAND);

const HEX = /^#[0-9a-fA-F]{6}$/;
const FILE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const HREF = /^(https?:\/\/|\/)[^\s"<>]*$/;

const text = (value: unknown, max: number): value is string =>
  typeof value === "string" && value.length > 0 && value.length <= max;

function label(value: unknown): Label | null {
  if (text(value, 80)) return value;
  if (!value || typeof value !== "object") return null;
  const entries = Object.entries(value).filter(([lang, t]) => isLocale(lang) && text(t, 80));
  return entries.length ? Object.fromEntries(entries) : null;
}

/** The brand of a configuration, each part taken only when well-formed. */
export function parseBrand(raw: unknown): Brand {
  const given = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const colours = (given.colours && typeof given.colours === "object" ? given.colours : {}) as Record<string, unknown>;
  const links = Array.isArray(given.footer_links) ? given.footer_links : [];
  return {
    name: text(given.name, 60) ? given.name : DEFAULT_BRAND.name,
    logo: typeof given.logo === "string" && FILE.test(given.logo) ? `/brand/${given.logo}` : null,
    colours: Object.fromEntries(
      (["brand", "brand_dark"] as const).filter((k) => typeof colours[k] === "string" && HEX.test(colours[k] as string))
        .map((k) => [k, colours[k] as string]),
    ),
    footer_links: links.flatMap((link) => {
      const l = link && typeof link === "object" ? (link as Record<string, unknown>) : {};
      const shown = label(l.label);
      return shown && typeof l.href === "string" && HREF.test(l.href) ? [{ label: shown, href: l.href }] : [];
    }).slice(0, 10),
    default_language: isLocale(given.default_language) ? given.default_language : null,
  };
}

/** A footer link's label in the reader's language, else in another it has. */
export function labelIn(value: Label, lang: Locale): string {
  return typeof value === "string" ? value : value[lang] ?? value.en ?? value.fr ?? value.es ?? "";
}

/** Fetches and applies the lab's brand: its colours on the page's root, its name in the title. */
export async function loadBrand(): Promise<Brand> {
  let loaded = DEFAULT_BRAND;
  try {
    const response = await fetch("/config.json", { headers: { Accept: "application/json" } });
    if (response.ok) loaded = parseBrand(await response.json());
  } catch {
    // no configuration reachable: the lab's own look
  }
  const root = document.documentElement.style;
  if (loaded.colours.brand) root.setProperty("--brand", loaded.colours.brand);
  const dark = loaded.colours.brand_dark ?? loaded.colours.brand;
  if (dark) root.setProperty("--brand-dark", dark);
  document.title = loaded.name;
  brand.set(loaded);
  return loaded;
}
