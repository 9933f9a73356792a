// The language of what a member writes (an idea, a question, a private message): the team answers in it
// (the response-time promise). The lab's own language unless the member chooses another.
import { LANGUAGES } from "../api/promise";
import { useT } from "../i18n";
import { Field } from "./ui";

export function PostLanguage({ name, value, onChange }: { name: string; value: string; onChange: (value: string) => void }) {
  const { t } = useT();
  return (
    <Field name={name} label={t("post.language")} hint={t("post.languageHint")}>
      <select id={`field-${name}`} name="language" value={value} aria-describedby={`field-${name}-hint`}
              onChange={(event) => onChange((event.currentTarget as HTMLSelectElement).value)}>
        {LANGUAGES.map((language) => (
          <option key={language} value={language}>
            {t(`initiativeForm.lang.${language}` as "initiativeForm.lang.fr")}
          </option>
        ))}
      </select>
    </Field>
  );
}
