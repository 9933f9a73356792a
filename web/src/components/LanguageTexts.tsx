// A campaign's or a contest's title and description, each in any of the lab's languages (any subset filled in).
import type { Localised } from "../api/campaigns";
import { useT } from "../i18n";
import { Field, type InputProps } from "./ui";

export const LANGUAGES = ["fr", "en", "es"] as const;

/** A form's `<name>_<language>` fields, filled from the texts of the one it edits (inLanguages reads them back). */
export function textFields(texts?: { title: Localised; description: Localised }) {
  return Object.fromEntries((["title", "description"] as const).flatMap((name) =>
    LANGUAGES.map((l) => [`${name}_${l}`, texts?.[name][l] ?? ""]))) as
    Record<`${"title" | "description"}_${(typeof LANGUAGES)[number]}`, string>;
}

/** The texts filled in, by language, from a form's `<name>_<language>` fields. */
export function inLanguages(fields: Record<string, string>, name: "title" | "description"): Localised {
  return Object.fromEntries(LANGUAGES.map((l) => [l, fields[`${name}_${l}`].trim()]).filter(([, text]) => text));
}

/** The title and description inputs, one pair per language, in a fieldset that says any of them will do;
 * `fieldError` gives the API's word when neither language has a title (or a description). */
export function LanguageTexts<K extends string>({ bind, fieldError }: {
  bind: (name: K) => InputProps;
  fieldError?: (name: string) => string | undefined;
}) {
  const { t } = useT();
  return (
    <fieldset>
      <legend>{t("campaignForm.texts")}</legend>
      <p class="hint">{t("campaignForm.texts.hint")}</p>
      {(["title", "description"] as const).map((name) => fieldError?.(name) && (
        <p class="field-error" key={name}>{t(`campaignForm.${name}Missing`)} {fieldError(name)}</p>
      ))}
      {LANGUAGES.map((l) => (
        <div key={l}>
          <Field name={`title_${l}`} label={t("campaignForm.nameIn", { language: t(`initiativeForm.lang.${l}`) })}
            input={bind(`title_${l}` as K)} />
          <Field name={`description_${l}`} multiline input={bind(`description_${l}` as K)}
            label={t("campaignForm.descriptionIn", { language: t(`initiativeForm.lang.${l}`) })} />
        </div>
      ))}
    </fieldset>
  );
}
