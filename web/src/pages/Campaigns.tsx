// Campaigns (issue 12): the list, one campaign with my ballot and its results (a table and a bar chart of the same
// numbers, so the chart is decoration for sighted readers and the table is what screen readers read), and the staff
// form that sets one up or edits it before it opens.
import { useState } from "preact/hooks";
import { session } from "../api/client";
import { campaigns, inLanguage, money, type Campaign, type CampaignOption, type CampaignSetup, type Results } from "../api/campaigns";
import { CardList, localInput, SetupPage, useStaff } from "../components/CampaignsAndContests";
import { ImageField } from "../components/ImageField";
import { Share } from "../components/Share";
import { ColumnHeads, Field, FormError, PageTitle, Pending, useLoad, useSubmit } from "../components/ui";
import { useT } from "../i18n";
import { navigate } from "../router";
import { useStore } from "../store";
import { useLive } from "../live";
import { inLanguages, LanguageTexts, textFields } from "../components/LanguageTexts";

// The chart's bars, styled here so the page brings its own look (the lab's stylesheet has no chart).
// An option's image, at a size beside its name rather than the page's width.
const OPTION_IMAGE = { maxWidth: "12rem", margin: "0.25rem 0" };
const BAR = { display: "block", height: "0.75rem", minWidth: "2px", background: "var(--brand)", margin: "0.2rem 0 0.6rem" };

export function CampaignsPage() {
  const { t, lang, label, date } = useT();
  const staff = useStaff();
  const list = useLoad(() => campaigns.list(), []);
  return (
    <>
      <PageTitle>{t("campaigns.title")}</PageTitle>
      <CardList load={list} empty={t("campaigns.empty")}
        create={staff ? { href: "/campaigns/new", label: t("campaigns.new") } : undefined}
        cards={list.data?.campaigns.map((c) => ({
          id: c.id, href: `/campaigns/${encodeURIComponent(c.id)}`, title: inLanguage(c.title, lang),
          facts: [label("campaignState", c.state),
            t("campaign.window", { opens: date(c.opens_at), closes: date(c.closes_at) })].join(" · "),
        }))} />
    </>
  );
}

export function CampaignPage({ id }: { id: string }) {
  const { t, lang, label, date } = useT();
  const staff = useStaff();
  const user = useStore(session)?.user;
  const campaign = useLoad(() => campaigns.get(id), [id, user?.id]);
  if (!campaign.data) return <Pending load={campaign} />;
  const c = campaign.data;
  return (
    <>
      <PageTitle>{inLanguage(c.title, lang)}</PageTitle>
      <p>{inLanguage(c.description, lang)}</p>
      <p class="small muted">
        {label("campaignState", c.state)} · {t("campaign.window", { opens: date(c.opens_at), closes: date(c.closes_at) })}
        {c.budget && <> · {t("campaign.budget", { amount: money(c.budget.amount, c.budget.currency, lang) })}</>}
      </p>
      {staff && c.state === "scheduled" && (
        <p>
          <a href={`/campaigns/${encodeURIComponent(id)}/edit`}>{t("campaign.edit")}</a>
        </p>
      )}
      {c.state === "open" && user && <BallotForm campaign={c} onCast={campaign.reload} />}
      {c.state === "open" && !user && <p>{t("campaign.signInToVote")}</p>}
      {c.my_ballot && c.state !== "open" && <p>{t("campaign.myBallotWas")}</p>}
      <ResultsView id={id} />
      {/* A space's campaign is for its members: not shared on the networks. */}
      {c.eligibility.kind !== "space" && <Share path={`/campaigns/${encodeURIComponent(id)}`} title={inLanguage(c.title, lang)} />}
    </>
  );
}

function BallotForm({ campaign, onCast }: { campaign: Campaign; onCast: () => void }) {
  const { t } = useT();
  const [choices, setChoices] = useState<Record<string, number>>(campaign.my_ballot ?? {});
  const [saved, setSaved] = useState(false);
  const form = useSubmit(
    () => campaigns.cast(campaign.id, Object.fromEntries(Object.entries(choices).filter(([, points]) => points > 0))),
    () => {
      setSaved(true);
      onCast();
    },
  );
  const { kind, k } = campaign.rule;
  const rule =
    kind === "single" ? t("campaign.rule.single") : kind === "multiple" ? t("campaign.rule.multiple", { k: k ?? 1 })
      : t("campaign.rule.points", { k: k ?? 1 });
  return (
    <form class="form" onSubmit={form.submit} noValidate>
      <fieldset>
        <legend>{campaign.my_ballot ? t("campaign.changeBallot") : t("campaign.castBallot")}</legend>
        <p class="hint">{rule}</p>
        <FormError error={form.error} />
        {form.fieldError("choices") && <p class="field-error">{form.fieldError("choices")}</p>}
        {campaign.options.map((option) => (
          <div class="field" key={option.id}>
            {kind === "points" ? (
              <>
                <label for={`points-${option.id}`}>{option.name}</label>
                <input id={`points-${option.id}`} type="number" min={0} max={k ?? 1} value={choices[option.id] ?? 0}
                  onInput={(e) => setChoices({ ...choices, [option.id]: Number(e.currentTarget.value) })} />
              </>
            ) : (
              <label>
                <input
                  type={kind === "single" ? "radio" : "checkbox"}
                  name="choice"
                  checked={(choices[option.id] ?? 0) > 0}
                  onChange={(e) => {
                    const on = e.currentTarget.checked;
                    const rest = kind === "single" ? {} : { ...choices };
                    setChoices({ ...rest, [option.id]: on ? 1 : 0 });
                  }}
                />{" "}
                {option.name}
              </label>
            )}
            {option.image_id && <img class="card-image" style={OPTION_IMAGE} src={imageUrl(option.image_id)} alt="" />}
            {option.description && <p class="hint">{option.description}</p>}
            {option.link && (
              <p class="small">
                <a href={option.link} rel="noopener noreferrer">{t("campaign.optionLink", { name: option.name })}</a>
              </p>
            )}
            {option.idea_id && (
              <p class="small">
                <a href={`/ideas/${encodeURIComponent(option.idea_id)}`}>{t("campaign.seeIdea", { name: option.name })}</a>
              </p>
            )}
          </div>
        ))}
      </fieldset>
      <button type="submit" class="button" disabled={form.sending}>
        {campaign.my_ballot ? t("campaign.change") : t("campaign.cast")}
      </button>
      {saved && <p role="status">{t("campaign.saved")}</p>}
    </form>
  );
}

function ResultsView({ id }: { id: string }) {
  const { t, lang, date } = useT();
  const results = useLoad(() => campaigns.results(id), [id]);
  useLive((m) => m.type === "campaign" && m.campaign === id && !results.loading && results.reload());
  if (results.error) return <p class="muted">{t("campaign.resultsHidden")}</p>;
  if (!results.data) return null;
  const r: Results = results.data;
  const most = Math.max(1, ...r.options.map((o) => o.count));
  const download = async (format: "json" | "csv") => {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(await campaigns.exportFile(id, format));
    link.download = `campaign-${id}.${format}`;
    link.click();
  };
  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title">{r.final ? t("campaign.results.final") : t("campaign.results.live")}</h2>
      <p>{t("campaign.ballots", { count: r.ballots })}</p>
      <table class="results">
        <caption class="visually-hidden">{t("campaign.results.caption")}</caption>
        <ColumnHeads columns={[
          "campaign.results.option", "campaign.results.count", "campaign.results.share",
          ...(r.budget ? ["campaign.results.amount" as const] : []),
        ]} />
        <tbody>
          {r.options.map((o) => (
            <tr key={o.option_id}>
              <th scope="row">{o.name}</th>
              <td>{o.count}</td>
              <td>{new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 1 }).format(o.share)}</td>
              {r.budget && <td>{o.amount === null ? "" : money(o.amount, r.budget.currency, lang)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      <div class="chart" aria-hidden="true">
        {r.options.map((o) => (
          <div key={o.option_id} class="chart-row">
            <span class="chart-label">{o.name}</span>
            <span class="chart-bar" style={{ ...BAR, width: `${(o.count / most) * 100}%` }} />
          </div>
        ))}
      </div>
      {r.turnout.length > 0 && (
        <>
          <h3>{t("campaign.turnout")}</h3>
          <ol class="small">
            {r.turnout.map((point) => (
              <li key={point.hour}>{t("campaign.turnoutAt", { at: date(point.hour), count: point.ballots })}</li>
            ))}
          </ol>
        </>
      )}
      {r.final && (
        <>
          {r.split_rule && <p class="small">{t("campaign.splitRule")} {r.split_rule}</p>}
          <p class="small">
            {t("campaign.digest")} <code>{r.digest}</code>
          </p>
          <p>
            <button type="button" class="button-secondary" onClick={() => download("csv")}>{t("campaign.exportCsv")}</button>{" "}
            <button type="button" class="button-secondary" onClick={() => download("json")}>{t("campaign.exportJson")}</button>
          </p>
        </>
      )}
    </section>
  );
}

/** An option as one line of the staff form: "name | description | link | image", the link an https one or an
 * idea's page, the image the address of one the lab holds (an idea's image). */
function optionLine(o: CampaignOption): string {
  const link = o.idea_id ? `/ideas/${o.idea_id}` : o.link ?? "";
  return [o.name, o.description ?? "", link, o.image_id ? imageUrl(o.image_id) : ""].join(" | ").replace(/( \| )+$/, "");
}

const imageUrl = (id: string) => `/api/ideas/images/${id}`;

export function parseOption(line: string, n: number): CampaignOption {
  const [name, description = "", link = "", image = ""] = line.split("|").map((part) => part.trim());
  const idea = /^(?:https?:\/\/[^/]+)?\/ideas\/([^/?#]+)$/.exec(link);
  // The service says when the image is not one the lab holds.
  const imageId = /^(?:(?:https?:\/\/[^/]+)?\/api\/ideas\/images\/)?([^/?#]+)$/.exec(image)?.[1] ?? (image || null);
  return {
    id: name.toLowerCase().normalize("NFD").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 30) || `option-${n + 1}`,
    name,
    description,
    link: idea || !link ? null : link,
    idea_id: idea ? decodeURIComponent(idea[1]) : null,
    image_id: imageId,
  };
}

export function CampaignFormPage({ id }: { id?: string }) {
  const { t } = useT();
  return (
    <SetupPage id={id} get={campaigns.get} staffOnly={t("campaign.staffOnly")}
      form={(campaign) => <CampaignForm campaign={campaign} />} />
  );
}

function CampaignForm({ campaign }: { campaign?: Campaign }) {
  const { t } = useT();
  const [fields, setFields] = useState({
    ...textFields(campaign),
    options: campaign ? campaign.options.map(optionLine).join("\n") : "",
    opens_at: campaign ? localInput(campaign.opens_at) : "",
    closes_at: campaign ? localInput(campaign.closes_at) : "",
    rule: campaign?.rule.kind ?? "single",
    k: String(campaign?.rule.k ?? 1),
    eligibility: campaign?.eligibility.kind ?? "everyone",
    who: campaign?.eligibility.space ?? campaign?.eligibility.role ?? "",
    results: campaign?.results ?? "live",
    budget: campaign?.budget ? String(campaign.budget.amount / 100) : "",
    currency: campaign?.budget?.currency ?? "CAD",
  });
  const [uploaded, setUploaded] = useState<string | null>(null);
  // Each language filled in, any subset: the service says when none is.
  const localised = (name: "title" | "description") => inLanguages(fields, name);
  const setup = (): CampaignSetup => {
    const lines = fields.options.split("\n").map((n) => n.trim()).filter(Boolean);
    const who = fields.eligibility;
    return {
      title: localised("title"),
      description: localised("description"),
      options: lines.map(parseOption),
      opens_at: fields.opens_at ? new Date(fields.opens_at).toISOString() : "",
      closes_at: fields.closes_at ? new Date(fields.closes_at).toISOString() : "",
      rule: { kind: fields.rule as CampaignSetup["rule"]["kind"], k: fields.rule === "single" ? null : Number(fields.k) },
      eligibility: who === "everyone" ? { kind: "everyone" } : { kind: who as "space" | "role", [who]: fields.who },
      results: fields.results as "live" | "hidden",
      budget: fields.budget ? { amount: Math.round(Number(fields.budget) * 100), currency: fields.currency } : null,
    };
  };
  const form = useSubmit(
    async () => {
      const given = setup();
      // The options' images first: an unknown one is said before the campaign is saved.
      await Promise.all(given.options.flatMap((o) => (o.image_id ? [campaigns.keepImage(o.image_id)] : [])));
      return campaign ? campaigns.edit(campaign.id, given) : campaigns.create(given);
    },
    (saved) => navigate(`/campaigns/${encodeURIComponent(saved.id)}`),
  );
  const bind = (name: keyof typeof fields) => ({
    value: fields[name],
    onInput: (value: string) => setFields({ ...fields, [name]: value }),
  });
  const select = (name: keyof typeof fields, values: string[], labelKey: string) => (
    <Field name={name} label={t(`campaignForm.${name}` as never)} error={form.fieldError(name)}>
      <select id={`field-${name}`} name={name} value={fields[name]}
        onChange={(e) => setFields({ ...fields, [name]: e.currentTarget.value })}>
        {values.map((v) => (
          <option value={v} key={v}>{t(`${labelKey}.${v}` as never)}</option>
        ))}
      </select>
    </Field>
  );
  const typed = (name: keyof typeof fields, type: "datetime-local" | "number", label: string, hint?: string) => (
    <Field name={name} label={label} hint={hint} error={form.fieldError(name)} input={{ ...bind(name), type }} />
  );
  return (
    <>
      <PageTitle>{campaign ? t("campaignForm.editTitle") : t("campaignForm.title")}</PageTitle>
      <form class="form" onSubmit={form.submit} noValidate>
        <FormError error={form.error} />
        <LanguageTexts bind={bind} fieldError={form.fieldError} />
        <Field name="options" label={t("campaignForm.options")} hint={t("campaignForm.options.hint")}
          error={form.fieldError("options")} multiline input={{ ...bind("options"), required: true }} />
        <fieldset>
          <legend>{t("campaignForm.image")}</legend>
          <ImageField onChange={setUploaded} onBusy={() => undefined} />
          {uploaded && <p role="status">{t("campaignForm.imageAddress")} <code>{imageUrl(uploaded)}</code></p>}
        </fieldset>
        {typed("opens_at", "datetime-local", t("campaignForm.opens"))}
        {typed("closes_at", "datetime-local", t("campaignForm.closes"))}
        {select("rule", ["single", "multiple", "points"], "campaignRule")}
        {fields.rule !== "single" && typed("k", "number", t("campaignForm.k"))}
        {select("eligibility", ["everyone", "space", "role"], "campaignWho")}
        {fields.eligibility !== "everyone" && <Field name="who" label={t("campaignForm.who")} input={bind("who")} />}
        {select("results", ["live", "hidden"], "campaignResults")}
        {typed("budget", "number", t("campaignForm.budget"), t("campaignForm.budget.hint"))}
        <Field name="currency" label={t("campaignForm.currency")} input={bind("currency")} />
        <button type="submit" class="button" disabled={form.sending}>{t("campaignForm.save")}</button>
      </form>
    </>
  );
}
