// Flags (issue 13): a member reports an idea, a comment or a question to the moderators with one of the listed
// reasons; what a hidden item tells readers (pending review, or upheld for a reason); mentions shown in a comment.
import { useState } from "preact/hooks";
import { session } from "../api/client";
import { moderation, mentionParts, REASONS, type FlagKind, type HiddenState, type Reason } from "../api/moderation";
import { Field, FormError, useSubmit } from "./ui";
import { useT, type MessageKey } from "../i18n";
import { useStore } from "../store";

export const MODERATORS = ["moderator", "admin"];

export function isModerator(roles: string[] | undefined): boolean {
  return !!roles?.some((role) => MODERATORS.includes(role));
}

/** "Report": a member picks one of the listed reasons; criticism is not one, and the form says so. */
export function FlagAction(props: { kind: FlagKind; id: string; ideaId?: string; authorId?: string | null;
                                    hidden?: HiddenState | null; onFlagged?: () => void }) {
  const { t } = useT();
  const user = useStore(session)?.user;
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<Reason>("abuse");
  const [sent, setSent] = useState(false);
  const form = useSubmit(
    () => moderation.flag(props.kind, props.id, reason, props.ideaId),
    () => {
      setSent(true);
      setOpen(false);
      props.onFlagged?.();
    },
  );
  const decided = props.hidden && !props.hidden.pending_review;
  if (!user?.roles.includes("member") || user.id === props.authorId || decided) return null;
  if (sent) return <p class="small muted" role="status">{t("flag.sent")}</p>;
  if (!open)
    return (
      <button type="button" class="link" aria-expanded="false" onClick={() => setOpen(true)}>
        {t(`flag.action.${props.kind}` as MessageKey)}
      </button>
    );
  const name = `flag-${props.id}`;
  return (
    <form class="moderate" onSubmit={form.submit} noValidate aria-label={t(`flag.action.${props.kind}` as MessageKey)}>
      <FormError error={form.error} />
      <Field name={name} label={t("flag.reason")} hint={t("flag.hint")} error={form.fieldError("reason")}>
        <select id={`field-${name}`} name={name} aria-describedby={`field-${name}-hint`} value={reason}
                onChange={(event) => setReason(event.currentTarget.value as Reason)}>
          {REASONS.map((r) => (
            <option key={r} value={r}>{t(`flag.reason.${r}` as MessageKey)}</option>
          ))}
        </select>
      </Field>
      <button type="submit" class="button" disabled={form.sending}>{t("flag.send")}</button>
    </form>
  );
}

/** What a hidden item says to its readers: hidden pending review after members' reports, or why a moderator hid it
 * (the listed reason in the reader's language, the moderator's note as written). */
export function HiddenNotice({ hidden, class: className = "hidden-note" }: { hidden: HiddenState; class?: string }) {
  const { t } = useT();
  if (hidden.pending_review) return <p class={className} data-testid="pending-review">{t("moderation.pending")}</p>;
  const reason = hidden.category
    ? t(`flag.reason.${hidden.category}` as MessageKey) + (hidden.note ? ` (${hidden.note})` : "")
    : hidden.reason;
  return <p class={className}>{t("moderation.hidden", { reason })}</p>;
}

/** A comment's text with its @mentions marked (the member they name was told, if they may see it). */
export function MentionText({ text }: { text: string }) {
  return (
    <p class="comment-text">
      {mentionParts(text).map((part, i) => (part.mention ? <strong key={i} class="mention">{part.text}</strong> : part.text))}
    </p>
  );
}

/** Moderators: hide a question for a listed reason (a note after it), or show it again with a public reason. */
export function QuestionModeration({ id, hidden, onDone }: { id: string; hidden: HiddenState | null; onDone: () => void }) {
  const { t } = useT();
  const user = useStore(session)?.user;
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<Reason>("abuse");
  const [text, setText] = useState("");
  const restoring = !!hidden && !hidden.pending_review;
  const form = useSubmit(
    () => (restoring ? moderation.restoreQuestion(id, text) : moderation.hideQuestion(id, reason, text)),
    () => {
      setOpen(false);
      setText("");
      onDone();
    },
  );
  if (!isModerator(user?.roles)) return null;
  const label = restoring ? t("moderation.restoreQuestion") : t("moderation.hideQuestion");
  if (!open)
    return (
      <button type="button" class="link" aria-expanded="false" onClick={() => setOpen(true)}>
        {label}
      </button>
    );
  return (
    <form class="moderate" onSubmit={form.submit} noValidate aria-label={label}>
      <FormError error={form.error} />
      {!restoring && (
        <Field name={`hide-${id}`} label={t("moderation.upholdReason")} error={form.fieldError("reason")}>
          <select id={`field-hide-${id}`} name={`hide-${id}`} value={reason}
                  onChange={(event) => setReason(event.currentTarget.value as Reason)}>
            {REASONS.map((r) => (
              <option key={r} value={r}>{t(`flag.reason.${r}` as MessageKey)}</option>
            ))}
          </select>
        </Field>
      )}
      <Field name={`why-${id}`} label={restoring ? t("moderation.reason") : t("moderation.note")}
             error={form.fieldError(restoring ? "reason" : "note")}
             input={{ value: text, required: restoring, maxLength: 500, onInput: setText }} />
      <button type="submit" class={restoring ? "button" : "button-danger"} disabled={form.sending}>{label}</button>
    </form>
  );
}
