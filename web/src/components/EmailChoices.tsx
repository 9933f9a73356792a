// The account page's email choices (issue 15): per kind of notification, instant, a daily digest or none; the
// language of the emails and the time zone whose morning brings the digest; and a refused address, said plainly.
import { useEffect, useState } from "preact/hooks";
import { browserTimeZone, emailChoices, KINDS, MODES, type Kind, type Mode } from "../api/emailChoices";
import { Field, FormError, Pending, useLoad, useSubmit } from "./ui";
import { useT, type MessageKey } from "../i18n";

export function EmailChoicesSection({ userId }: { userId: string }) {
  const { t, lang, date } = useT();
  const choices = useLoad(() => emailChoices.get(userId), [userId]);
  const [kinds, setKinds] = useState<Record<Kind, Mode> | null>(null);
  const [language, setLanguage] = useState<string>(lang);
  const [timeZone, setTimeZone] = useState<string>(browserTimeZone());
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!choices.data) return;
    setKinds(choices.data.kinds);
    setLanguage(choices.data.language ?? lang);
    if (choices.data.time_zone !== "UTC") setTimeZone(choices.data.time_zone);
  }, [choices.data]);
  const form = useSubmit(
    () => emailChoices.set(userId, { kinds: kinds ?? undefined, language: language as "en", time_zone: timeZone }),
    (answer) => (choices.replace(answer), setSaved(true)),
  );
  return (
    <section aria-labelledby="email-choices-title">
      <h2 id="email-choices-title">{t("emails.title")}</h2>
      <Pending load={choices} />
      {choices.data?.bounce && (
        <div class="note note-error" role="alert" data-testid="email-bounce">
          <p>{t("emails.bounced", { address: choices.data.bounce.address, date: date(choices.data.bounce.at) })}</p>
          <p class="small">{choices.data.bounce.reason}</p>
        </div>
      )}
      {choices.data && !choices.data.email_address_known && <p class="muted">{t("emails.noAddress")}</p>}
      {choices.data && kinds && (
        <form onSubmit={form.submit} onInput={() => setSaved(false)}>
          <FormError error={form.error} />
          <p class="hint">{t("emails.intro")}</p>
          {KINDS.map((kind) => (
            <Field key={kind} name={`email-${kind}`} label={t(`emails.kind.${kind}` as MessageKey)}>
              <select id={`field-email-${kind}`} name={`email-${kind}`} value={kinds[kind]}
                      onChange={(e) => setKinds({ ...kinds, [kind]: (e.currentTarget as HTMLSelectElement).value as Mode })}>
                {MODES.map((mode) => (
                  <option key={mode} value={mode}>{t(`emails.mode.${mode}` as MessageKey)}</option>
                ))}
              </select>
            </Field>
          ))}
          <Field name="email-language" label={t("emails.language")}>
            <select id="field-email-language" name="email-language" value={language}
                    onChange={(e) => setLanguage((e.currentTarget as HTMLSelectElement).value)}>
              <option value="en">English</option>
              <option value="fr" lang="fr">Français</option>
              <option value="es" lang="es">Español</option>
            </select>
          </Field>
          <Field name="email-time-zone" label={t("emails.timeZone")} hint={t("emails.timeZone.hint")}
                 error={form.fieldError("time_zone")}
                 input={{ value: timeZone, onInput: setTimeZone, autoComplete: "off" }} />
          <button type="submit" disabled={form.sending}>{t("emails.save")}</button>
          {saved && <p role="status">{t("emails.saved")}</p>}
        </form>
      )}
    </section>
  );
}
