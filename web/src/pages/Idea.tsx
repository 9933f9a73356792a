// One idea: its text, the vote (answered at once, then corrected by the server), its status and history, the
// comments, for the product team the form that moves it along the roadmap, for moderators hide / restore.
import { useState } from "preact/hooks";
import { Problem, session } from "../api/client";
import { ideas, onceKnown, roadmap, TEAM_STATUSES, votes, type RoadmapItem, type Tally } from "../api/lab";
import { EntryMedia } from "../components/EntryMedia";
import { FollowButton } from "../components/Follow";
import { MergedNote, MergeForm } from "../components/Merge";
import { RatingsSection } from "../components/Ratings";
import { Share } from "../components/Share";
import { Tags } from "../components/Tags";
import { IdeaConversation } from "../components/TeamAnswer";
import { ErrorNote, Field, FormError, Loading, PageTitle, Pending, StatusBadge, useLoad, useSubmit } from "../components/ui";
import { useT } from "../i18n";
import { useStore } from "../store";
import { Comments, Moderate, MODERATORS } from "./Comments";
import { useLive } from "../live";
import { FlagAction, HiddenNotice } from "../components/Flag";

export function IdeaPage({ id }: { id: string }) {
  const { t, date, label } = useT();
  const user = useStore(session)?.user;
  const idea = useLoad(() => ideas.get(id), [id]);
  // An idea reaches the roadmap service through an event: a 404 there only means "no status change yet".
  const item = useLoad(() => roadmap.item(id).catch((error) => notFoundAs(error, null)), [id]);
  useLive((m) => m.type === "status" && m.idea === id && item.reload());

  if (idea.error) {
    const missing = idea.error instanceof Problem && idea.error.status === 404;
    return missing ? <PageTitle>{t("idea.notFound")}</PageTitle> : <ErrorNote error={idea.error} onRetry={idea.reload} />;
  }
  if (!idea.data) return <Loading />;
  const status = item.data?.status ?? idea.data.status;
  const history = item.data?.history ?? [];
  const moderator = user?.roles.some((role) => MODERATORS.includes(role));

  return (
    <article class="idea">
      <PageTitle>{idea.data.title ?? t("moderation.hiddenIdea")}</PageTitle>
      {idea.data.hidden && <HiddenNotice hidden={idea.data.hidden} class="note note-error hidden-note" />}
      <FlagAction kind="idea" id={id} authorId={idea.data.author_id} hidden={idea.data.hidden}
                  onFlagged={idea.reload} />
      {idea.data.merged_into && <MergedNote into={idea.data.merged_into} />}
      {moderator && (
        <Moderate ideaId={id} commentId={null} hidden={!!idea.data.hidden} onDone={() => idea.reload()} />
      )}
      <p class="meta">
        <StatusBadge status={status} />
        <span>{label("category", idea.data.category)}</span>
        <span>{t("ideas.submittedOn", { date: date(idea.data.submitted_at) })}</span>
      </p>
      <Tags tags={idea.data.tags} />
      <FollowButton ideaId={id} />
      {idea.data.image && <img class="idea-image" src={idea.data.image.url} alt={idea.data.title ?? ""} />}
      <EntryMedia entry={idea.data} withContest />
      <div class="idea-body">
        {idea.data.description !== null && <p class="description">{idea.data.description}</p>}
        <VoteBox ideaId={id} />
      </div>
      {/* A private space's idea is not for the networks: its link would preview as the lab alone anyway. */}
      {!idea.data.hidden && !idea.data.space && idea.data.title && <Share path={`/ideas/${encodeURIComponent(id)}`} title={idea.data.title} />}
      <section aria-labelledby="history-title">
        <h2 id="history-title">{t("idea.history")}</h2>
        {history.length === 0 ? (
          <p class="muted">{t("idea.historyEmpty")}</p>
        ) : (
          <ol class="timeline">
            {[...history].reverse().map((entry) => (
              <li key={entry.at + entry.to}>
                <p>
                  <strong>{t("idea.moved", { from: label("status", entry.from), to: label("status", entry.to) })}</strong>{" "}
                  <time dateTime={entry.at}>{date(entry.at)}</time>
                </p>
                {entry.message && <p>{entry.message}</p>}
              </li>
            ))}
          </ol>
        )}
      </section>
      <IdeaConversation idea={idea.data} onChanged={idea.reload} />
      {status === "launched" && <RatingsSection kind="ideas" id={id} />}
      <Comments ideaId={id} closed={!!idea.data.hidden} />
      <StaffStatusForm ideaId={id} title={idea.data.title ?? ""} onMoved={item.replace} />
      <MergeForm idea={idea.data} onMerged={(merged) => idea.replace({ ...idea.data!, ...merged })} />
    </article>
  );
}

function notFoundAs<T>(error: unknown, value: T): T {
  if (error instanceof Problem && error.status === 404) return value;
  throw error;
}

/** Votes show at once; the server's tally then replaces the guess (or the guess is undone if the vote failed). */
function VoteBox({ ideaId }: { ideaId: string }) {
  const { t } = useT();
  const user = useStore(session)?.user;
  const tally = useLoad(() => onceKnown(() => votes.tally(ideaId)), [ideaId, user?.id]);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // Others' votes, as the votes service counts them; not while this member's own vote is on its way.
  useLive((m) => {
    if (m.type === "tally" && m.idea === ideaId && !busy && tally.data) tally.replace({ ...tally.data, count: m.votes! });
  });

  if (!tally.data) return <Pending load={tally} />;
  const shown: Tally = tally.data;

  const toggle = async () => {
    const voting = !shown.my_vote;
    setFailure(null);
    setBusy(true);
    tally.replace({ ...shown, my_vote: voting, count: shown.count + (voting ? 1 : -1) });
    try {
      await (voting ? votes.cast(ideaId) : votes.withdraw(ideaId));
    } catch (error) {
      // 409: already cast elsewhere (another tab); the fresh tally below tells the truth either way.
      if (!(error instanceof Problem && error.status === 409)) setFailure(error);
    }
    try {
      const server = await votes.tally(ideaId);
      // The vote is recorded at once and counted a moment later (by the votes worker): while the server has the
      // vote but its count has not moved yet, the guess stays.
      const counting = server.my_vote === voting && server.count === shown.count;
      tally.replace(counting ? { ...server, count: shown.count + (voting ? 1 : -1) } : server);
    } catch (error) {
      tally.replace(shown);
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <aside class="vote-box" aria-labelledby="vote-count">
      <p id="vote-count" class="vote-count" aria-live="polite">
        {t("ideas.votes", { count: shown.count })}
      </p>
      <p class="small">
        {shown.threshold_reached
          ? t("idea.reviewReached")
          : t("idea.progress", { count: shown.count, threshold: shown.threshold })}
      </p>
      {user ? (
        <>
          <button
            type="button"
            class={shown.my_vote ? "button-secondary" : "button"}
            aria-pressed={!!shown.my_vote}
            disabled={busy}
            onClick={toggle}
          >
            {shown.my_vote ? t("idea.withdraw") : t("idea.vote")}
          </button>
          {shown.my_vote && <p class="small">{t("idea.voted")}</p>}
        </>
      ) : (
        <a class="button" href={`/sign-in?next=${encodeURIComponent(location.pathname)}`}>
          {t("idea.signInToVote")}
        </a>
      )}
      {failure ? <ErrorNote error={failure} /> : null}
    </aside>
  );
}

function StaffStatusForm(props: { ideaId: string; title: string; onMoved: (item: RoadmapItem) => void }) {
  const { ideaId, title, onMoved } = props;
  const { t, label } = useT();
  const user = useStore(session)?.user;
  const [status, setStatus] = useState("");
  const [message, setMessage] = useState("");
  const [moved, setMoved] = useState("");
  const form = useSubmit(
    () => roadmap.changeStatus(ideaId, status, message),
    (item) => {
      onMoved(item);
      setMoved(item.status);
      setMessage("");
    },
  );
  if (!user?.roles.includes("product_team")) return null;

  return (
    <section class="staff" aria-labelledby="staff-title">
      <h2 id="staff-title">{t("staff.title")}</h2>
      <form onSubmit={form.submit} noValidate>
        <FormError error={form.error} />
        <Field name="status" label={t("staff.status")} error={form.fieldError("status")}>
          <select
            id="field-status"
            name="status"
            required
            value={status}
            onChange={(event) => setStatus(event.currentTarget.value)}
            aria-invalid={form.fieldError("status") ? true : undefined}
            aria-describedby={form.fieldError("status") ? "field-status-error" : undefined}
          >
            <option value="">—</option>
            {TEAM_STATUSES.map((name) => (
              <option value={name} key={name}>
                {label("status", name)}
              </option>
            ))}
          </select>
        </Field>
        <Field
          name="message"
          label={t("staff.message")}
          error={form.fieldError("message")}
          multiline
          input={{ value: message, required: true, onInput: setMessage }}
        />
        {status && message.trim() && (
          <div class="preview" aria-live="polite">
            <p class="small muted">{t("staff.preview")}</p>
            <p>
              <strong>{t("staff.previewTitle", { title, status: label("status", status) })}</strong>
            </p>
            <p class="message">{message}</p>
          </div>
        )}
        <button type="submit" class="button" disabled={form.sending}>
          {t("staff.submit")}
        </button>
        {moved && (
          <p class="note note-ok" role="status">
            {t("staff.done", { status: label("status", moved) })}
          </p>
        )}
      </form>
    </section>
  );
}
