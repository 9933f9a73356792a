// The conversation under an idea: comments with one level of replies, a form for each, and for moderators the
// hide / restore actions (the reason is public; nothing is ever deleted).
import { useState } from "preact/hooks";
import { session } from "../api/client";
import { ideas, type Comment } from "../api/lab";
import { Field, FormError, Pending, useLoad, useSubmit } from "../components/ui";
import { useT, type MessageKey } from "../i18n";
import { useStore } from "../store";
import { useLive } from "../live";
import { FlagAction, HiddenNotice, MentionText } from "../components/Flag";
import { HelpfulMark, MemberName } from "../components/MemberName";

export const MODERATORS = ["moderator", "admin"];
// Staff who mark a comment helpful (its author earns points).
const HELPFUL_MARKERS = ["product_team", "adviser", "moderator", "admin"];

export function Comments({ ideaId, closed }: { ideaId: string; closed: boolean }) {
  const { t } = useT();
  const user = useStore(session)?.user;
  const list = useLoad(() => ideas.comments(ideaId), [ideaId]);
  useLive((m) => m.type === "comment" && m.idea === ideaId && list.reload());
  const comments = list.data?.comments ?? [];
  const added = (comment: Comment) => list.replace({ comments: [...comments, comment] });
  const changed = (comment: Comment) =>
    list.replace({ comments: comments.map((c) => (c.id === comment.id ? { ...c, ...comment } : c)) });
  const replies = (id: string) => comments.filter((c) => c.reply_to === id);

  return (
    <section class="comments" aria-labelledby="comments-title">
      <h2 id="comments-title">{t("comments.title", { count: comments.length })}</h2>
      <Pending load={list} />
      {list.data && comments.length === 0 && <p class="muted">{t("comments.empty")}</p>}
      <ol class="thread">
        {comments
          .filter((c) => !c.reply_to)
          .map((comment) => (
            <li key={comment.id}>
              <CommentView comment={comment} onChanged={changed} />
              {replies(comment.id).length > 0 && (
                <ol class="replies">
                  {replies(comment.id).map((reply) => (
                    <li key={reply.id}>
                      <CommentView comment={reply} onChanged={changed} />
                    </li>
                  ))}
                </ol>
              )}
              {user && !closed && <ReplyToggle ideaId={ideaId} to={comment} onPosted={added} />}
            </li>
          ))}
      </ol>
      {user && !closed && <CommentForm ideaId={ideaId} replyTo={null} onPosted={added} />}
      {!user && (
        <p>
          <a href={`/sign-in?next=${encodeURIComponent(location.pathname)}`}>{t("comments.signIn")}</a>
        </p>
      )}
    </section>
  );
}

function CommentView({ comment, onChanged }: { comment: Comment; onChanged: (comment: Comment) => void }) {
  const { t, date } = useT();
  const user = useStore(session)?.user;
  const mine = user?.id === comment.author_id;
  return (
    <article id={`comment-${comment.id}`} class={comment.hidden ? "comment comment-hidden" : "comment"}
             aria-label={t("comments.one")}>
      <p class="small muted">
        {mine ? t("comments.you") : <MemberName id={comment.author_id} fallback={t("comments.member")} />} · <time dateTime={comment.posted_at}>{date(comment.posted_at)}</time>
      </p>
      {comment.hidden && <HiddenNotice hidden={comment.hidden} />}
      {comment.text !== null && <MentionText text={comment.text} />}
      <FlagAction kind="comment" id={comment.id} ideaId={comment.idea_id} authorId={comment.author_id}
                  hidden={comment.hidden} />
      <HelpfulMark ideaId={comment.idea_id} commentId={comment.id} helpful={!!(comment as { helpful?: boolean }).helpful}
                   staff={!!user?.roles.some((role) => HELPFUL_MARKERS.includes(role))} />
      {user?.roles.some((role) => MODERATORS.includes(role)) && (
        <Moderate ideaId={comment.idea_id} commentId={comment.id} hidden={!!comment.hidden}
                  onDone={(item) => onChanged(item as Comment)} />
      )}
    </article>
  );
}

function ReplyToggle({ ideaId, to, onPosted }: { ideaId: string; to: Comment; onPosted: (c: Comment) => void }) {
  const { t } = useT();
  const [open, setOpen] = useState(false);
  if (!open)
    return (
      <button type="button" class="link" aria-expanded="false" onClick={() => setOpen(true)}>
        {t("comments.reply")}
      </button>
    );
  return <CommentForm ideaId={ideaId} replyTo={to.id} onPosted={(c) => (setOpen(false), onPosted(c))} />;
}

function CommentForm({ ideaId, replyTo, onPosted }: { ideaId: string; replyTo: string | null; onPosted: (c: Comment) => void }) {
  const { t } = useT();
  const [text, setText] = useState("");
  const form = useSubmit(
    () => ideas.comment(ideaId, text, replyTo),
    (comment) => {
      setText("");
      onPosted(comment);
    },
  );
  const name = replyTo ? `reply-${replyTo}` : "comment";
  return (
    <form class="comment-form" onSubmit={form.submit} noValidate>
      <FormError error={form.error} />
      <Field
        name={name}
        label={replyTo ? t("comments.replyLabel") : t("comments.add")}
        error={form.fieldError("text") ?? form.fieldError("reply_to")}
        multiline
        input={{ value: text, required: true, maxLength: 5000, onInput: setText }}
      />
      <button type="submit" class="button" disabled={form.sending}>
        {replyTo ? t("comments.sendReply") : t("comments.send")}
      </button>
    </form>
  );
}

/** Hide (or restore) with a reason everyone will read. */
export function Moderate(props: { ideaId: string; commentId: string | null; hidden: boolean; onDone: (item: unknown) => void }) {
  const { t } = useT();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const action = props.hidden ? "restore" : "hide";
  const form = useSubmit(
    () => ideas.moderate(action, props.ideaId, props.commentId, reason),
    (item) => {
      setOpen(false);
      setReason("");
      props.onDone(item);
    },
  );
  const what = props.commentId ? "Comment" : "Idea";
  if (!open)
    return (
      <button type="button" class="link" aria-expanded="false" onClick={() => setOpen(true)}>
        {t(`moderation.${action}${what}` as MessageKey)}
      </button>
    );
  return (
    <form class="moderate" onSubmit={form.submit} noValidate>
      <FormError error={form.error} />
      <Field
        name={`reason-${props.commentId ?? props.ideaId}`}
        label={t("moderation.reason")}
        error={form.fieldError("reason")}
        input={{ value: reason, required: true, onInput: setReason }}
      />
      <button type="submit" class={props.hidden ? "button" : "button-danger"} disabled={form.sending}>
        {props.hidden ? t("moderation.restore") : t("moderation.hide")}
      </button>
    </form>
  );
}
