// Initiatives (issue 15): one initiative with its ideas and history, the product team's forms to draft, announce and
// move it, and "you asked, we did": the launched initiatives with the ideas and votes that led to them.
import { useState } from "preact/hooks";
import { inLanguage, type Localised } from "../api/campaigns";
import { INITIATIVE_STATUSES, roadmap, TEAM_STATUSES, type Initiative } from "../api/lab";
import { InitiativeCard, useStaff } from "../components/Initiatives";
import { RatingsSection } from "../components/Ratings";
import { ErrorNote, Field, FormError, Loading, PageTitle, Pending, StatusBadge, useLoad, useSubmit } from "../components/ui";
import { LOCALES, useT } from "../i18n";
import { navigate } from "../router";

const LANGUAGES = Object.keys(LOCALES) as (keyof Localised)[];

export function InitiativePage({ id }: { id: string }) {
  const { t, lang, label, date } = useT();
  const staff = useStaff();
  const found = useLoad(() => roadmap.initiative(id), [id]);
  const [initiative, setInitiative] = useState<Initiative | null>(null);
  const shown = initiative ?? found.data;
  if (found.error) return <ErrorNote error={found.error} onRetry={found.reload} />;
  if (!shown) return <Loading />;
  const description = inLanguage(shown.description, lang);
  return (
    <>
      <PageTitle>{inLanguage(shown.title, lang)}</PageTitle>
      {description && <p>{description}</p>}
      <InitiativeCard initiative={shown} level={2} />
      {shown.announced && shown.status === "launched" && <RatingsSection kind="initiatives" id={shown.initiative_id} />}
      <section aria-labelledby="initiative-history">
        <h2 id="initiative-history">{t("initiative.history")}</h2>
        <ol>
          {(shown.history ?? []).map((entry) => (
            <li key={entry.at}>
              <time dateTime={entry.at}>{date(entry.at)}</time>{" "}
              {entry.from === null ? t("initiative.announcedAs") : null} <StatusBadge status={entry.to} />
              <p>{entry.message}</p>
            </li>
          ))}
        </ol>
      </section>
      {staff && (
        <InitiativeMoveForm initiative={shown} onMoved={setInitiative} label={(s) => label("status", s)} />
      )}
    </>
  );
}

function InitiativeMoveForm({ initiative, onMoved, label }: {
  initiative: Initiative;
  onMoved: (moved: Initiative) => void;
  label: (status: string) => string;
}) {
  const { t } = useT();
  const [status, setStatus] = useState<string>(TEAM_STATUSES.find((s) => s !== initiative.status) ?? "launched");
  const [message, setMessage] = useState("");
  const form = useSubmit(
    () => initiative.announced
      ? roadmap.moveInitiative(initiative.initiative_id, status, message)
      : roadmap.announce(initiative.initiative_id, message),
    (moved) => {
      setMessage("");
      onMoved(moved);
    },
  );
  return (
    <section aria-labelledby="initiative-move">
      <h2 id="initiative-move">{initiative.announced ? t("initiative.move") : t("initiative.announce")}</h2>
      <p class="small">{t("initiative.moveHint")}</p>
      <form class="form" onSubmit={form.submit} noValidate>
        <FormError error={form.error} />
        {initiative.announced && (
          <Field name="status" label={t("initiative.field.status")} error={form.fieldError("status")}>
            <select id="field-status" name="status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
              {TEAM_STATUSES.map((s) => (
                <option value={s} key={s}>{label(s)}</option>
              ))}
            </select>
          </Field>
        )}
        <Field name="message" label={t("initiative.field.message")} error={form.fieldError("message")} multiline
          input={{ value: message, onInput: setMessage, required: true }} />
        <button type="submit" disabled={form.sending}>
          {initiative.announced ? t("initiative.move.submit") : t("initiative.announce.submit")}
        </button>
      </form>
    </section>
  );
}

export function InitiativeFormPage() {
  const { t, label } = useT();
  const [fields, setFields] = useState<Record<string, string>>({ owner_team: "", target_quarter: "", ideas: "",
    status: "planned" });
  const bind = (name: string) => ({ value: fields[name] ?? "", onInput: (v: string) => setFields({ ...fields, [name]: v }) });
  const byLanguage = (prefix: string): Localised =>
    Object.fromEntries(LANGUAGES.map((l) => [l, fields[`${prefix}_${l}`]?.trim()]).filter(([, v]) => v));
  const form = useSubmit(
    () => roadmap.draft({
      title: byLanguage("title"), description: byLanguage("description"),
      target_quarter: fields.target_quarter.trim() || null, owner_team: fields.owner_team.trim(),
      // Ids or the ideas' addresses, one per line or separated by commas or spaces.
      idea_ids: fields.ideas.split(/[\s,]+/).filter(Boolean).map((s) => s.replace(/^.*\/ideas\//, "")),
      status: fields.status,
    }),
    (created) => navigate(`/initiatives/${encodeURIComponent(created.initiative_id)}`),
  );
  return (
    <>
      <PageTitle>{t("initiativeForm.title")}</PageTitle>
      <p>{t("initiativeForm.intro")}</p>
      <form class="form" onSubmit={form.submit} noValidate>
        <FormError error={form.error} />
        {LANGUAGES.map((l) => (
          <Field key={`title_${l}`} name={`title_${l}`} label={t("initiativeForm.titleIn", { language: t(`initiativeForm.lang.${l}`) })}
            error={form.fieldError("title")} input={bind(`title_${l}`)} />
        ))}
        {LANGUAGES.map((l) => (
          <Field key={`description_${l}`} name={`description_${l}`} multiline
            label={t("initiativeForm.descriptionIn", { language: t(`initiativeForm.lang.${l}`) })}
            error={form.fieldError("description")} input={bind(`description_${l}`)} />
        ))}
        <Field name="ideas" label={t("initiativeForm.ideas")} hint={t("initiativeForm.ideas.hint")} multiline
          error={form.fieldError("idea_ids")} input={{ ...bind("ideas"), required: true }} />
        <Field name="owner_team" label={t("initiativeForm.team")} error={form.fieldError("owner_team")}
          input={{ ...bind("owner_team"), required: true }} />
        <Field name="target_quarter" label={t("initiativeForm.quarter")} hint={t("initiativeForm.quarter.hint")}
          error={form.fieldError("target_quarter")} input={bind("target_quarter")} />
        <Field name="status" label={t("initiative.field.status")} error={form.fieldError("status")}>
          <select id="field-status" name="status" value={fields.status}
            onChange={(e) => setFields({ ...fields, status: e.currentTarget.value })}>
            {INITIATIVE_STATUSES.map((s) => (
              <option value={s} key={s}>{label("status", s)}</option>
            ))}
          </select>
        </Field>
        <button type="submit" disabled={form.sending}>{t("initiativeForm.submit")}</button>
      </form>
    </>
  );
}

export function YouAskedPage() {
  const { t } = useT();
  const launched = useLoad(() => roadmap.initiatives("launched"), []);
  return (
    <>
      <PageTitle>{t("youAsked.title")}</PageTitle>
      <p>{t("youAsked.intro")}</p>
      <Pending load={launched} />
      {launched.data && launched.data.initiatives.length === 0 && <p class="muted">{t("youAsked.none")}</p>}
      {launched.data && (
        <ul class="initiatives" style={{ listStyle: "none", padding: 0 }}>
          {launched.data.initiatives.map((initiative) => (
            <li key={initiative.initiative_id}>
              <InitiativeCard initiative={initiative} level={2} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
