// Messages in French, English and Spanish: chosen from the browser's languages, switchable, kept in localStorage.
// A message missing in one language falls back to English, then to its key, so a new screen never shows a blank.
import { en, type Messages } from "./locales/en";
import { es } from "./locales/es";
import { fr } from "./locales/fr";
import { store, useStore } from "./store";

export const LOCALES = { en, fr, es } as const satisfies Record<string, Partial<Messages>>;
export type Locale = keyof typeof LOCALES;
export type MessageKey = keyof Messages;
const STORAGE_KEY = "idealab.locale";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && Object.hasOwn(LOCALES, value);
}

/** The saved choice, else the first browser language we speak ("fr-CA" → fr), else the lab's (English unless its
 * brand says otherwise). */
export function pickLocale(saved: string | null, browser: readonly string[], lab: Locale = "en"): Locale {
  if (isLocale(saved)) return saved;
  for (const tag of browser) {
    const base = tag.toLowerCase().split("-")[0];
    if (isLocale(base)) return base;
  }
  return lab;
}

export const locale = store<Locale>(pickLocale(readSaved(), navigator.languages ?? [navigator.language]));

function readSaved(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: the browser's language still applies
  }
}

/** The lab's own language (its brand's), for a reader who chose none and whose browser speaks none of ours. */
export function applyLabLanguage(lab: Locale): void {
  const picked = pickLocale(readSaved(), navigator.languages ?? [navigator.language], lab);
  document.documentElement.lang = picked;
  locale.set(picked);
}

export function setLocale(next: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // not persisted; the switch still applies to this page
  }
  document.documentElement.lang = next;
  locale.set(next);
}

export type Params = Record<string, string | number>;

/** The message `key` in `lang` with {name} placeholders filled; "a|b" messages pick the plural form by `count`. */
export function translate(
  lang: Locale,
  key: MessageKey,
  params: Params = {},
  tables: Record<Locale, Partial<Messages>> = LOCALES,
): string {
  const table = tables[lang];
  let text: string = table[key] ?? en[key] ?? key;
  if (text.includes("|") && typeof params.count === "number") {
    const [one, other] = text.split("|");
    text = new Intl.PluralRules(lang).select(params.count) === "one" ? one : other;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? format(lang, params[name]) : whole);
}

function format(lang: Locale, value: string | number): string {
  return typeof value === "number" ? new Intl.NumberFormat(lang).format(value) : value;
}

export interface Translator {
  lang: Locale;
  t: (key: MessageKey, params?: Params) => string;
  date: (iso: string) => string;
  number: (value: number) => string;
  /** The name of a value the API gives ("status", "planned" → "Planned"), or the value itself when unnamed. */
  label: (kind: string, value: string) => string;
}

/** The browser's own variant of `lang` for dates and numbers when it has one (fr-CA, en-GB, es-MX), else `lang`. */
export function regional(lang: Locale, browser: readonly string[]): string {
  return browser.find((tag) => tag.toLowerCase().split("-")[0] === lang) ?? lang;
}

export function translator(lang: Locale): Translator {
  const region = regional(lang, navigator.languages ?? [navigator.language]);
  const dates = new Intl.DateTimeFormat(region, { dateStyle: "medium", timeStyle: "short" });
  const numbers = new Intl.NumberFormat(region);
  return {
    lang,
    t: (key, params) => translate(lang, key, params),
    date: (iso) => dates.format(new Date(iso)),
    number: (value) => numbers.format(value),
    label: (kind, value) => {
      const key = `${kind}.${value}` as MessageKey;
      return key in en ? translate(lang, key) : value;
    },
  };
}

/** The current language's translator; components re-render when the language changes. */
export function useT(): Translator {
  return translator(useStore(locale));
}

/** The APIs explain refused fields in English (marshmallow's words and a few of their own): the usual ones are said
 * in the member's language; any other stays as the API wrote it. */
const FIELD_MESSAGES: [RegExp, MessageKey][] = [
  [/^Missing data for required field\.$|^Field may not be null\.$/, "form.missing"],
  [/^Length must be between (?<min>\d+) and (?<max>\d+)\.$/, "form.length"],
  [/^Shorter than minimum length (?<min>\d+)\.$/, "form.tooShort"],
  [/^Longer than maximum length (?<max>\d+)\.$/, "form.tooLong"],
  [/^Not a valid email address\.$/, "form.email"],
  [/^use at least (?<min>\d+) characters$/, "form.tooShort"],
  [/most common ones/, "form.commonPassword"],
  [/^lower-case letters, digits and dashes/, "form.choose"], // a category: the form offers a list
];

export function fieldMessage(lang: Locale, message: string): string {
  for (const [pattern, key] of FIELD_MESSAGES) {
    const found = pattern.exec(message);
    if (found) {
      const numbers = Object.fromEntries(Object.entries(found.groups ?? {}).map(([k, v]) => [k, Number(v)]));
      return translate(lang, key, numbers);
    }
  }
  return message;
}
