// The response-time promise (issue 13): the team's queue of what waits for an answer, by due time with the overdue
// first (claim, hand over), and the monthly figures a bank publishes to show it keeps its promise.
import { useState } from "preact/hooks";
import { Problem, session } from "../api/client";
import { KINDS, LANGUAGES, pageOf, promise, type KindFigures, type QueueFilters, type Waiting } from "../api/promise";
import { isAnswerer } from "../components/TeamAnswer";
import { ColumnHeads, ErrorNote, Field, FormError, Loading, PageTitle, Pending, useLoad, useSubmit } from "../components/ui";
import { useT } from "../i18n";
import { navigate, place } from "../router";
import { useStore } from "../store";
import { SignInFirst } from "./SignIn";

type T = ReturnType<typeof useT>["t"];
// Who sets a space's targets (the ideas service says the same).
const TARGET_SETTERS = ["product_team", "admin"];

export function TeamQueuePage() {
  const { t } = useT();
  const user = useStore(session)?.user;
  const { query } = useStore(place);
  const filters: QueueFilters = {
    space: query.get("space") ?? undefined,
    kind: query.get("kind") ?? undefined,
    language: query.get("language") ?? undefined,
    waiting_for: query.get("waiting_for") ?? undefined,
  };
  const team = isAnswerer(user?.roles);
  const queue = useLoad(
    () => (team ? promise.queue(filters) : Promise.resolve(undefined)),
    [team, filters.space, filters.kind, filters.language, filters.waiting_for],
  );
  if (!user) return <SignInFirst title={t("queue.title")} />;
  if (!team)
    return (
      <>
        <PageTitle>{t("queue.title")}</PageTitle>
        <p>{t("queue.teamOnly")}</p>
      </>
    );
  return (
    <>
      <PageTitle>{t("queue.title")}</PageTitle>
      <p class="muted">{t("queue.intro")}</p>
      <QueueFiltersForm filters={filters} />
      <Pending load={queue} />
      {queue.data && queue.data.waiting.length === 0 && <p class="muted">{t("queue.none")}</p>}
      {queue.data && queue.data.waiting.length > 0 && (
        <ol class="cards queue" aria-label={t("queue.listLabel")}>
          {queue.data.waiting.map((item) => (
            <QueueItem key={`${item.kind}:${item.item_id}`} item={item} me={user.id} onChanged={queue.reload} />
          ))}
        </ol>
      )}
    </>
  );
}

function QueueFiltersForm({ filters }: { filters: QueueFilters }) {
  const { t } = useT();
  const [space, setSpace] = useState(filters.space ?? "");
  const [kind, setKind] = useState(filters.kind ?? "");
  const [language, setLanguage] = useState(filters.language ?? "");
  const [waitingFor, setWaitingFor] = useState(filters.waiting_for ?? "");
  const apply = (event: Event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries({ space: space.trim(), kind, language, waiting_for: waitingFor }))
      if (value) params.set(key, value);
    navigate(`/team/queue${params.size ? `?${params}` : ""}`, { replace: true });
  };
  // A filter's choice: `options` are [value, name] pairs, the first one's value "" (any).
  const choice = (name: string, label: string, value: string, set: (value: string) => void, options: string[][]) => {
    const id = `queue-${name.replace("_", "-")}`;
    return (
      <Field name={id} label={label}>
        <select id={`field-${id}`} name={name} value={value} onChange={(event) => set(event.currentTarget.value)}>
          {options.map(([option, text]) => <option key={option} value={option}>{text}</option>)}
        </select>
      </Field>
    );
  };
  const any = ["", t("queue.any")];
  return (
    <form class="queue-filters" onSubmit={apply} aria-label={t("queue.filters")}>
      <Field name="queue-space" label={t("queue.space")} hint={t("queue.spaceHint")}
             input={{ value: space, maxLength: 64, onInput: setSpace }} />
      {choice("kind", t("queue.kind"), kind, setKind,
        [any, ...KINDS.map((k) => [k, t(`queue.kind.${k}` as "queue.kind.idea")])])}
      {choice("language", t("queue.language"), language, setLanguage,
        [any, ...LANGUAGES.map((l) => [l, t(`initiativeForm.lang.${l}` as "initiativeForm.lang.fr")])])}
      {choice("waiting_for", t("queue.waitingFor"), waitingFor, setWaitingFor,
        [["", t("queue.anyone")], ["me", t("queue.me")], ["nobody", t("queue.nobody")]])}
      <button type="submit" class="button">{t("queue.apply")}</button>
    </form>
  );
}

function QueueItem({ item, me, onChanged }: { item: Waiting; me: string; onChanged: () => void }) {
  const { t, date } = useT();
  const [to, setTo] = useState("");
  const [failure, setFailure] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const act = async (run: () => Promise<unknown>) => {
    setSending(true);
    setFailure(null);
    try {
      await run();
      onChanged();
    } catch (error) {
      setFailure(error);
    } finally {
      setSending(false);
    }
  };
  const name = item.title ?? t("queue.privateMessage");
  const id = `queue-${item.kind}-${item.item_id}`;
  return (
    <li class={item.overdue ? "card queue-item overdue" : "card queue-item"} aria-labelledby={`${id}-title`}>
      <p class="card-title" id={`${id}-title`}>
        <span class="badge">{t(`queue.kind.${item.kind}` as "queue.kind.idea")}</span>{" "}
        <a href={pageOf(item)} lang={item.title ? item.language : undefined}>{name}</a>
      </p>
      <p>
        {item.overdue && <strong class="badge badge-overdue">{t("queue.overdue")}</strong>}{" "}
        {t(item.owed === "acknowledge" ? "queue.acknowledgeBy" : "queue.answerBy")}{" "}
        <time dateTime={item.due_at}>{date(item.due_at)}</time>
      </p>
      <p class="small muted">
        {t("queue.posted")} <time dateTime={item.posted_at}>{date(item.posted_at)}</time> ·{" "}
        {t("queue.answerIn", { language: t(`initiativeForm.lang.${item.language}` as "initiativeForm.lang.fr") })}
        {item.space && <> · {t("queue.inSpace", { space: item.space })}</>} ·{" "}
        {item.claimed_by
          ? item.claimed_by === me ? t("queue.claimedByMe") : t("queue.claimedBy", { name: item.claimed_by })
          : t("queue.unclaimed")}
      </p>
      {failure ? <ErrorNote error={failure} /> : null}
      <div class="actions">
        {!item.claimed_by && (
          <button type="button" class="button" disabled={sending} onClick={() => act(() => promise.claim(item))}>
            {t("queue.claim")}
            <span class="visually-hidden">: {name}</span>
          </button>
        )}
        <form class="queue-handover" onSubmit={(event) => { event.preventDefault(); if (to.trim()) act(() => promise.handOver(item, to.trim())); }}>
          <label for={`${id}-to`}>{t("queue.handOverTo")}</label>{" "}
          <input id={`${id}-to`} value={to} maxLength={64}
                 onInput={(event) => setTo((event.currentTarget as HTMLInputElement).value)} />{" "}
          <button type="submit" class="button-secondary" disabled={sending || !to.trim()}>
            {t("queue.handOver")}
            <span class="visually-hidden">: {name}</span>
          </button>
        </form>
      </div>
    </li>
  );
}

function thisMonth(): string {
  return new Date().toISOString().slice(0, 7);
}

export function PromiseFiguresPage() {
  const { t, number } = useT();
  const { query } = useStore(place);
  const user = useStore(session)?.user;
  const space = query.get("space") ?? undefined;
  const [month, setMonth] = useState(query.get("month") ?? thisMonth());
  const figures = useLoad(() => promise.figures(month, space), [month, space, user?.id]);
  const minutes = (value: number | null) =>
    value === null ? t("promise.noFigure") : t("promise.minutes", { count: Math.round(value) });
  const share = (value: number | null) =>
    value === null ? t("promise.noFigure") : `${number(Math.round(value * 1000) / 10)} %`;
  const missing = figures.error instanceof Problem && figures.error.status === 404;
  return (
    <>
      <PageTitle>{t("promise.title")}</PageTitle>
      {figures.data && <Targets minutes={figures.data.targets} t={t} space={space} />}
      {figures.data && user?.roles.some((role) => TARGET_SETTERS.includes(role)) && (
        <TargetsForm space={space} current={figures.data.targets} onSaved={figures.reload} />
      )}
      <form class="queue-filters" onSubmit={(event) => event.preventDefault()} aria-label={t("promise.monthLabel")}>
        <div class="field">
          <label for="promise-month">{t("promise.month")}</label>
          <input id="promise-month" type="month" value={month}
                 onChange={(event) => setMonth((event.currentTarget as HTMLInputElement).value || thisMonth())} />
        </div>
      </form>
      {missing ? <p>{t("promise.notFound")}</p> : figures.error ? <ErrorNote error={figures.error} onRetry={figures.reload} /> : null}
      {figures.loading && !figures.data && <Loading />}
      {figures.data && (
        <table class="promise-figures">
          <caption>{t("promise.caption", { month: figures.data.month })}</caption>
          <ColumnHeads columns={[
            "promise.kind", "promise.posted", "promise.acknowledgedInTime", "promise.medianAcknowledge",
            "promise.answeredInTime", "promise.medianAnswer",
          ]} />
          <tbody>
            {[...figures.data.kinds, figures.data.all].map((row: KindFigures) => (
              <tr key={row.kind ?? "all"}>
                <th scope="row">{row.kind ? t(`queue.kind.${row.kind}` as "queue.kind.idea") : t("promise.all")}</th>
                <td>{number(row.posted)}</td>
                <td>{share(row.acknowledge.share_within_target)}</td>
                <td>{minutes(row.acknowledge.median_minutes)}</td>
                <td>{share(row.answer.share_within_target)}</td>
                <td>{minutes(row.answer.median_minutes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="small muted">{t("promise.howCounted")}</p>
    </>
  );
}

function Targets({ minutes, t, space }: { minutes: { acknowledge_minutes: number; answer_minutes: number }; t: T;
  space?: string }) {
  const span = (value: number) =>
    value % 60 === 0 ? t("promise.hours", { count: value / 60 }) : t("promise.minutes", { count: value });
  return (
    <p class="lead">
      {t(space ? "promise.pledgeSpace" : "promise.pledge", {
        acknowledge: span(minutes.acknowledge_minutes), answer: span(minutes.answer_minutes), space: space ?? "",
      })}
    </p>
  );
}

function TargetsForm({ space, current, onSaved }: { space?: string;
  current: { acknowledge_minutes: number; answer_minutes: number }; onSaved: () => void }) {
  const { t } = useT();
  const [acknowledge, setAcknowledge] = useState(String(current.acknowledge_minutes));
  const [answer, setAnswer] = useState(String(current.answer_minutes));
  const form = useSubmit(
    () => promise.setTargets(space, { acknowledge_minutes: Number(acknowledge), answer_minutes: Number(answer) }),
    onSaved,
  );
  const number = (id: string, label: string, value: string, set: (value: string) => void, field: string) => (
    <div class={form.fieldError(field) ? "field field-invalid" : "field"}>
      <label for={id}>{label}</label>
      <input id={id} type="number" min={1} inputMode="numeric" value={value} required
             aria-invalid={form.fieldError(field) ? true : undefined}
             aria-describedby={form.fieldError(field) ? `${id}-error` : undefined}
             onInput={(event) => set((event.currentTarget as HTMLInputElement).value)} />
      {form.fieldError(field) && <p class="field-error" id={`${id}-error`}>{form.fieldError(field)}</p>}
    </div>
  );
  return (
    <form class="queue-filters" onSubmit={form.submit} noValidate aria-labelledby="targets-title">
      <h2 id="targets-title">{space ? t("promise.targetsOf", { space }) : t("promise.targetsPublic")}</h2>
      <FormError error={form.error} />
      {number("targets-acknowledge", t("promise.acknowledgeMinutes"), acknowledge, setAcknowledge, "acknowledge_minutes")}
      {number("targets-answer", t("promise.answerMinutes"), answer, setAnswer, "answer_minutes")}
      <button type="submit" class="button" disabled={form.sending}>{t("promise.saveTargets")}</button>
    </form>
  );
}
