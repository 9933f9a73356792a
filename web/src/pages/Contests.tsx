// Contests (issue 12, Genios del Ahorro): the list; one contest with its rounds, their entries (vote while a round is
// open), shortlists, rankings, winners and prizes, and its jury's scoring form; submitting an entry (a text, an image,
// an uploaded clip or a link to a hosted video, shown as a link: the lab loads nothing from outside); and the staff
// form that sets one up or edits it before it opens.
import { useState } from "preact/hooks";
import { Problem, session } from "../api/client";
import { inLanguage, money, type Localised } from "../api/campaigns";
import {
  contests, MAX_VIDEO_BYTES, VIDEO_TYPES, type Contest, type ContestRound, type ContestSetup, type Entry, type Scores,
} from "../api/contests";
import { votes } from "../api/lab";
import { CardList, localInput, SetupPage, useStaff } from "../components/CampaignsAndContests";
import { EntryMedia } from "../components/EntryMedia";
import { ImageField } from "../components/ImageField";
import { ColumnHeads, ErrorNote, Field, FormError, Loading, PageTitle, Pending, useLoad, useSubmit } from "../components/ui";
import { useT } from "../i18n";
import { navigate } from "../router";
import { useStore } from "../store";
import { inLanguages, LanguageTexts, textFields } from "../components/LanguageTexts";

const enc = encodeURIComponent;

function roundName(t: ReturnType<typeof useT>["t"], round: ContestRound): string {
  return round.final ? t("contest.final") : t("contest.round", { n: round.round });
}

export function ContestsPage() {
  const { t, lang, label } = useT();
  const staff = useStaff();
  const list = useLoad(() => contests.list(), []);
  return (
    <>
      <PageTitle>{t("contests.title")}</PageTitle>
      <CardList load={list} empty={t("contests.empty")}
        create={staff ? { href: "/contests/new", label: t("contests.new") } : undefined}
        cards={list.data?.contests.map((c) => ({
          id: c.id, href: `/contests/${enc(c.id)}`, title: inLanguage(c.title, lang),
          facts: c.rounds.map((r) => `${roundName(t, r)}: ${label("contestState", r.state)}`).join(" · "),
        }))} />
    </>
  );
}

export function ContestPage({ id }: { id: string }) {
  const { t, lang } = useT();
  const staff = useStaff();
  const user = useStore(session)?.user;
  const contest = useLoad(() => contests.get(id), [id, user?.id]);
  const entries = useLoad(() => contests.entries(id), [id, user?.id]);
  if (!contest.data) return <Pending load={contest} />;
  const c = contest.data;
  const open = c.rounds.some((r) => r.state === "open" && !r.final);
  const byId = new Map((entries.data?.entries ?? []).map((e) => [e.id, e]));
  return (
    <>
      <PageTitle>{inLanguage(c.title, lang)}</PageTitle>
      <p>{inLanguage(c.description, lang)}</p>
      {staff && c.rounds[0].state === "scheduled" && (
        <p>
          <a href={`/contests/${enc(id)}/edit`}>{t("contest.edit")}</a>
        </p>
      )}
      {open && user && (
        <p>
          <a class="button" href={`/contests/${enc(id)}/enter`}>{t("contest.enter")}</a>
        </p>
      )}
      {open && !user && <p>{t("contest.signInToEnter")}</p>}
      {c.rounds.map((round) => (
        <RoundView key={round.round} contest={c} round={round} byId={byId}
          entries={(entries.data?.entries ?? []).filter((e) => e.contest?.round === round.round)}
          onChange={contest.reload} />
      ))}
      <h2>{t("contest.rules")}</h2>
      {/* The service's rules (shortlist_rule, winner_rule) in the reader's language. */}
      <p class="small">{t("contest.shortlistRule")} {t("contest.shortlistRule.text", { n: c.shortlist_size })}</p>
      <p class="small">{t("contest.winnerRule")} {t("contest.winnerRule.text")}</p>
    </>
  );
}

function RoundView({ contest, round, entries, byId, onChange }: {
  contest: Contest; round: ContestRound; entries: Entry[]; byId: Map<string, Entry>; onChange: () => void;
}) {
  const { t, lang, label, date } = useT();
  const headingId = `round-${round.round}`;
  const title = (entryId: string) => byId.get(entryId)?.title ?? entryId;
  return (
    <section aria-labelledby={headingId} class="contest-round">
      <h2 id={headingId}>{roundName(t, round)}</h2>
      <p class="small muted">
        {label("contestState", round.state)} · {round.final
          ? t("contest.finalWindow", { closes: date(round.closes_at), judged: date(round.judging_ends_at) })
          : t("contest.window", { opens: date(round.opens_at), closes: date(round.closes_at),
            judged: date(round.judging_ends_at) })}
        {round.prize > 0 && <> · {t("contest.prize", { amount: money(round.prize, contest.currency, lang) })}</>}
      </p>
      {round.state === "decided" && (
        <p class="contest-winner">
          {round.winner
            ? t("contest.winner", { title: title(round.winner) })
            : t("contest.noWinner")}
        </p>
      )}
      {!round.final && round.state === "open" && (
        entries.length === 0 ? <p class="empty">{t("contest.noEntries")}</p> : (
          <ul class="ideas">
            {entries.map((entry) => <EntryCard key={entry.id} entry={entry} />)}
          </ul>
        )
      )}
      {round.ranking && round.ranking.length > 0 && (
        <table class="results">
          <caption>{t("contest.ranking")}</caption>
          <ColumnHeads columns={[
            "contest.rank", "contest.entry", "contest.votes", "contest.shortlisted", "contest.juryScore",
          ]} />
          <tbody>
            {round.ranking.map((row) => (
              <tr key={row.entry_id}>
                <td>{row.rank}</td>
                <th scope="row"><a href={`/ideas/${enc(row.entry_id)}`}>{title(row.entry_id)}</a></th>
                <td>{row.votes}</td>
                <td>{row.shortlisted ? t("contest.yes") : t("contest.no")}</td>
                <td>{row.jury_score ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!round.final && round.state !== "open" && round.state !== "scheduled" && !round.ranking && entries.length > 0 && (
        <ul class="ideas">
          {entries.map((entry) => <EntryCard key={entry.id} entry={entry} closed />)}
        </ul>
      )}
      {contest.may_judge && round.state === "judging" && (round.shortlist?.length ?? 0) > 0 && (
        <ScoreForm contest={contest} round={round} title={title} onScored={onChange} />
      )}
    </section>
  );
}

function EntryCard({ entry, closed = false }: { entry: Entry; closed?: boolean }) {
  const { t } = useT();
  const user = useStore(session)?.user;
  const [voted, setVoted] = useState(false);
  const vote = useSubmit(() => votes.cast(entry.id).catch((e) => {
    if (e instanceof Problem && e.status === 409) return; // voted already: one vote per member per entry
    throw e;
  }), () => setVoted(true));
  return (
    <li class="idea-card">
      <h3>
        <a href={`/ideas/${enc(entry.id)}`}>{entry.title}</a>
      </h3>
      <p>{entry.description}</p>
      <p class="small muted">{t("contest.voteCount", { count: entry.vote_count })}</p>
      {entry.image && <img src={entry.image.url} alt="" class="idea-image" loading="lazy" />}
      <EntryMedia entry={entry} />
      {!closed && user && (
        <form onSubmit={vote.submit}>
          <FormError error={vote.error} />
          <button type="submit" class="button-secondary" disabled={vote.sending || voted}>
            {voted ? t("contest.voted") : t("contest.vote", { title: entry.title ?? "" })}
          </button>
          {voted && <span role="status" class="visually-hidden">{t("contest.voted")}</span>}
        </form>
      )}
    </li>
  );
}

function ScoreForm({ contest, round, title, onScored }: {
  contest: Contest; round: ContestRound; title: (id: string) => string; onScored: () => void;
}) {
  const { t, lang } = useT();
  const shortlist = round.shortlist ?? [];
  const [scores, setScores] = useState<Scores>(() =>
    Object.fromEntries(shortlist.map((e) => [e, Object.fromEntries(contest.criteria.map((c) => [c.id, 0]))])));
  const [saved, setSaved] = useState(false);
  const form = useSubmit(() => contests.score(contest.id, round.round, scores), () => {
    setSaved(true);
    onScored();
  });
  return (
    <form class="form" onSubmit={form.submit} noValidate>
      <h3>{t("contest.scoreTitle", { round: roundName(t, round) })}</h3>
      <p class="hint">{t("contest.scoreHint")}</p>
      <FormError error={form.error} />
      {shortlist.map((entryId) => (
        <fieldset key={entryId}>
          <legend>{title(entryId)}</legend>
          {contest.criteria.map((criterion) => {
            const name = `score-${round.round}-${entryId}-${criterion.id}`;
            return (
              <div class="field" key={criterion.id}>
                <label for={name}>{inLanguage(criterion.name, lang)}</label>
                <input id={name} name={name} type="number" min={0} max={10} step={1}
                  value={scores[entryId]?.[criterion.id] ?? 0}
                  onInput={(e) => setScores({ ...scores,
                    [entryId]: { ...scores[entryId], [criterion.id]: Number(e.currentTarget.value) } })} />
              </div>
            );
          })}
        </fieldset>
      ))}
      <button type="submit" class="button" disabled={form.sending}>{t("contest.scoreSave")}</button>
      {saved && <p role="status">{t("contest.scoreSaved")}</p>}
    </form>
  );
}

export function EnterContestPage({ id }: { id: string }) {
  const { t, lang } = useT();
  const contest = useLoad(() => contests.get(id), [id]);
  const [fields, setFields] = useState({ title: "", description: "", video_link: "" });
  const [imageId, setImageId] = useState<string | null>(null);
  const [videoId, setVideoId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [videoRefused, setVideoRefused] = useState<string | null>(null);
  const form = useSubmit(
    () => contests.enter({
      title: fields.title, description: fields.description, category: "contest", contest_id: id,
      ...(imageId ? { image_id: imageId } : {}), ...(videoId ? { video_id: videoId } : {}),
      ...(fields.video_link.trim() ? { video_link: fields.video_link.trim() } : {}),
    }),
    () => navigate(`/contests/${enc(id)}`),
  );
  const chooseVideo = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    setVideoId(null);
    setVideoRefused(null);
    if (!file) return;
    if (!VIDEO_TYPES.includes(file.type)) return setVideoRefused(t("entry.video.wrongType"));
    if (file.size > MAX_VIDEO_BYTES) return setVideoRefused(t("entry.video.tooLarge"));
    setBusy(true);
    try {
      setVideoId((await contests.uploadVideo(file, () => {})).id);
    } catch (failure) {
      setVideoRefused(failure instanceof Problem && failure.status === 415 ? t("entry.video.wrongType")
        : failure instanceof Problem && failure.status === 413 ? t("entry.video.tooLarge") : t("entry.video.failed"));
    } finally {
      setBusy(false);
    }
  };
  if (contest.error) return <ErrorNote error={contest.error} />;
  if (!contest.data) return <Loading />;
  const bind = (name: keyof typeof fields) => ({
    value: fields[name], onInput: (value: string) => setFields({ ...fields, [name]: value }),
  });
  return (
    <>
      <PageTitle>{t("entry.title", { contest: inLanguage(contest.data.title, lang) })}</PageTitle>
      <form class="form" onSubmit={form.submit} noValidate>
        <FormError error={form.error} />
        <Field name="title" label={t("entry.field.title")} error={form.fieldError("title")}
          input={{ ...bind("title"), required: true }} />
        <Field name="description" label={t("entry.field.description")} error={form.fieldError("description")}
          multiline input={{ ...bind("description"), required: true }} />
        <ImageField onChange={setImageId} onBusy={setBusy} error={form.fieldError("image_id")} />
        <div class={videoRefused || form.fieldError("video_id") ? "field field-invalid" : "field"}>
          <label for="field-video">{t("entry.field.video")}</label>
          <p class="hint" id="field-video-hint">{t("entry.field.video.hint")}</p>
          <input id="field-video" type="file" accept={VIDEO_TYPES.join(",")} aria-describedby="field-video-hint"
            onChange={(e) => chooseVideo(e.currentTarget)} />
          {(videoRefused || form.fieldError("video_id")) && (
            <p class="field-error" role="alert">{videoRefused ?? form.fieldError("video_id")}</p>
          )}
          {videoId && <p role="status" class="hint">{t("entry.video.uploaded")}</p>}
        </div>
        <Field name="video_link" label={t("entry.field.videoLink")} hint={t("entry.field.videoLink.hint")}
          error={form.fieldError("video_link")} input={bind("video_link")} />
        <button type="submit" class="button" disabled={form.sending || busy}>{t("entry.submit")}</button>
      </form>
    </>
  );
}

const instant = (value: string) => (value ? new Date(value).toISOString() : "");

interface RoundFields {
  opens_at: string;
  closes_at: string;
  judging_ends_at: string;
  prize: string;
}

export function ContestFormPage({ id }: { id?: string }) {
  const { t } = useT();
  return (
    <SetupPage id={id} get={contests.get} staffOnly={t("contest.staffOnly")}
      form={(contest) => <ContestForm contest={contest} />} />
  );
}

function ContestForm({ contest }: { contest?: Contest }) {
  const { t, lang } = useT();
  const cents = (amount: number) => String(amount / 100);
  const rounds = contest?.rounds.filter((r) => !r.final) ?? [];
  const final = contest?.rounds.find((r) => r.final);
  const [fields, setFields] = useState({
    ...textFields(contest),
    currency: contest?.currency ?? "EUR",
    shortlist_size: String(contest?.shortlist_size ?? 5),
    criteria: contest ? contest.criteria.map((c) => `${c.id} | ${inLanguage(c.name, lang)}`).join("\n") : "",
    jury: contest?.jury.kind ?? "role",
    members: contest?.jury.members?.join(", ") ?? "",
    final_closes_at: final ? localInput(final.closes_at) : "",
    final_judging_ends_at: final ? localInput(final.judging_ends_at) : "",
    final_prize: final ? cents(final.prize) : "",
  });
  const [roundFields, setRoundFields] = useState<RoundFields[]>(rounds.length
    ? rounds.map((r) => ({ opens_at: localInput(r.opens_at), closes_at: localInput(r.closes_at),
      judging_ends_at: localInput(r.judging_ends_at), prize: cents(r.prize) }))
    : [{ opens_at: "", closes_at: "", judging_ends_at: "", prize: "" }]);
  const localised = (name: "title" | "description"): Localised => inLanguages(fields, name);
  const amount = (value: string) => Math.round(Number(value || 0) * 100);
  const setup = (): ContestSetup => ({
    title: localised("title"),
    description: localised("description"),
    currency: fields.currency.trim().toUpperCase(),
    shortlist_size: Number(fields.shortlist_size),
    criteria: fields.criteria.split("\n").map((line) => line.trim()).filter(Boolean).map((line) => {
      const [criterionId, name = criterionId] = line.split("|").map((part) => part.trim());
      return { id: criterionId.toLowerCase(), name: { [lang]: name } };
    }),
    jury: fields.jury === "list"
      ? { kind: "list", members: fields.members.split(",").map((m) => m.trim()).filter(Boolean) }
      : { kind: "role" },
    rounds: roundFields.map((r) => ({ opens_at: instant(r.opens_at), closes_at: instant(r.closes_at),
      judging_ends_at: instant(r.judging_ends_at), prize: amount(r.prize) })),
    final: { closes_at: instant(fields.final_closes_at), judging_ends_at: instant(fields.final_judging_ends_at),
      prize: amount(fields.final_prize) },
  });
  const form = useSubmit(
    () => (contest ? contests.edit(contest.id, setup()) : contests.create(setup())),
    (saved) => navigate(`/contests/${enc(saved.id)}`),
  );
  const bind = (name: keyof typeof fields) => ({
    value: fields[name], onInput: (value: string) => setFields({ ...fields, [name]: value }),
  });
  const typed = (name: string, type: "datetime-local" | "number", label: string, value: string,
    set: (value: string) => void) => (
    <Field name={name} label={label} input={{ type, value, min: type === "number" ? 0 : undefined, onInput: set }} />
  );
  const setRound = (n: number, key: keyof RoundFields) => (value: string) =>
    setRoundFields(roundFields.map((r, i) => (i === n ? { ...r, [key]: value } : r)));
  return (
    <>
      <PageTitle>{contest ? t("contestForm.editTitle") : t("contestForm.title")}</PageTitle>
      <form class="form" onSubmit={form.submit} noValidate>
        <FormError error={form.error} />
        <LanguageTexts bind={bind} />
        <Field name="criteria" label={t("contestForm.criteria")} hint={t("contestForm.criteria.hint")} multiline
          error={form.fieldError("criteria")} input={bind("criteria")} />
        {typed("shortlist_size", "number", t("contestForm.shortlistSize"), fields.shortlist_size,
          (v) => setFields({ ...fields, shortlist_size: v }))}
        <Field name="jury" label={t("contestForm.jury")}>
          <select id="field-jury" name="jury" value={fields.jury}
            onChange={(e) => setFields({ ...fields, jury: e.currentTarget.value as "role" | "list" })}>
            <option value="role">{t("contestForm.jury.role")}</option>
            <option value="list">{t("contestForm.jury.list")}</option>
          </select>
        </Field>
        {fields.jury === "list" && (
          <Field name="members" label={t("contestForm.members")} hint={t("contestForm.members.hint")}
            input={bind("members")} />
        )}
        <Field name="currency" label={t("campaignForm.currency")} input={bind("currency")} />
        {roundFields.map((r, n) => (
          <fieldset key={n}>
            <legend>{t("contest.round", { n: n + 1 })}</legend>
            {typed(`round-${n}-opens`, "datetime-local", t("contestForm.opens"), r.opens_at, setRound(n, "opens_at"))}
            {typed(`round-${n}-closes`, "datetime-local", t("contestForm.closes"), r.closes_at, setRound(n, "closes_at"))}
            {typed(`round-${n}-judged`, "datetime-local", t("contestForm.judgingEnds"), r.judging_ends_at,
              setRound(n, "judging_ends_at"))}
            {typed(`round-${n}-prize`, "number", t("contestForm.prize"), r.prize, setRound(n, "prize"))}
          </fieldset>
        ))}
        <p>
          <button type="button" class="button-secondary"
            onClick={() => setRoundFields([...roundFields, { opens_at: "", closes_at: "", judging_ends_at: "", prize: "" }])}>
            {t("contestForm.addRound")}
          </button>{" "}
          {roundFields.length > 1 && (
            <button type="button" class="button-secondary" onClick={() => setRoundFields(roundFields.slice(0, -1))}>
              {t("contestForm.removeRound")}
            </button>
          )}
        </p>
        <fieldset>
          <legend>{t("contest.final")}</legend>
          {typed("final-closes", "datetime-local", t("contestForm.closes"), fields.final_closes_at,
            (v) => setFields({ ...fields, final_closes_at: v }))}
          {typed("final-judged", "datetime-local", t("contestForm.judgingEnds"), fields.final_judging_ends_at,
            (v) => setFields({ ...fields, final_judging_ends_at: v }))}
          {typed("final-prize", "number", t("contestForm.prize"), fields.final_prize,
            (v) => setFields({ ...fields, final_prize: v }))}
        </fieldset>
        <button type="submit" class="button" disabled={form.sending}>{t("contestForm.save")}</button>
      </form>
    </>
  );
}
