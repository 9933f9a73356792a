// The team's word on an idea or a question: the answer pinned at its top, the team's public answers, and for the
// team the forms to answer in public (pinned or not) or privately to its author. A private reply's words are never
// shown here: only that the team answered privately.
import { useState } from "preact/hooks";
import { session } from "../api/client";
import { ANSWERERS, conversations, type Answer, type Answered, type TeamAnswer } from "../api/lab";
import { useT } from "../i18n";
import { useStore } from "../store";
import { ErrorNote, Field, FormError, useLoad, useSubmit } from "./ui";

export function isAnswerer(roles: string[] | undefined): boolean {
  return !!roles?.some((role) => ANSWERERS.includes(role));
}

/** The answer pinned at the top, labelled as the bank's. */
export function TeamAnswerNote({ answer, privately }: { answer?: TeamAnswer | null; privately?: boolean }) {
  const { t, date } = useT();
  return (
    <>
      {answer && (
        <aside class="note team-answer" aria-labelledby={`team-answer-${answer.id}`} data-testid="team-answer">
          <h2 id={`team-answer-${answer.id}`} class="small">{t("answers.team")}</h2>
          <p>{answer.text}</p>
          <p class="small muted">
            <time dateTime={answer.posted_at}>{date(answer.posted_at)}</time>
          </p>
        </aside>
      )}
      {privately && <p class="muted small" data-testid="answered-privately">{t("answers.privately")}</p>}
    </>
  );
}

/** The team's public answers, and the team's forms. */
export function Answers({ about, id, onPinned }: { about: "idea" | "question"; id: string; onPinned: () => void }) {
  const { t, date } = useT();
  const user = useStore(session)?.user;
  const list = useLoad(() => conversations.answers(about, id), [about, id]);
  const answers = list.data?.answers ?? [];
  return (
    <section class="answers" aria-labelledby="answers-title">
      <h2 id="answers-title">{t("answers.title")}</h2>
      {list.error ? <ErrorNote error={list.error} onRetry={list.reload} /> : null}
      {list.data && answers.length === 0 && <p class="muted">{t("answers.none")}</p>}
      <ol class="thread">
        {answers.map((answer) => (
          <li key={answer.id} class="comment">
            <p class="small muted">
              {t("answers.fromTeam")} · <time dateTime={answer.posted_at}>{date(answer.posted_at)}</time>
            </p>
            <p class="comment-text">{answer.text}</p>
          </li>
        ))}
      </ol>
      {isAnswerer(user?.roles) && (
        <>
          <AnswerForm about={about} id={id} onPosted={(answer, pinned) => {
            list.replace({ answers: [...answers, answer] });
            if (pinned) onPinned();
          }} />
          <PrivateReplyForm about={about} id={id} onSent={onPinned} />
        </>
      )}
    </section>
  );
}

function AnswerForm({ about, id, onPosted }: { about: "idea" | "question"; id: string; onPosted: (a: Answer, pinned: boolean) => void }) {
  const { t } = useT();
  const [text, setText] = useState("");
  const [pin, setPin] = useState(true);
  const form = useSubmit(() => conversations.answer(about, id, text, pin), (answer) => {
    setText("");
    onPosted(answer, pin);
  });
  return (
    <form class="comment-form" onSubmit={form.submit} noValidate>
      <FormError error={form.error} />
      <Field name="answer" label={t("answers.add")} error={form.fieldError("text")} multiline
             input={{ value: text, required: true, maxLength: 5000, onInput: setText }} />
      <p>
        <label>
          <input type="checkbox" name="pin" checked={pin} onChange={(e) => setPin((e.currentTarget as HTMLInputElement).checked)} />{" "}
          {t("answers.pin")}
        </label>
      </p>
      <button type="submit" class="button" disabled={form.sending}>{t("answers.send")}</button>
    </form>
  );
}

/** The team: answer the author privately; the words go to their private thread only. */
export function PrivateReplyForm({ about, id, commentOf, onSent }: {
  about: "idea" | "question" | "comment"; id: string; commentOf?: string; onSent?: () => void;
}) {
  const { t } = useT();
  const [text, setText] = useState("");
  const [sent, setSent] = useState<string | null>(null);
  const form = useSubmit(() => conversations.replyPrivately(about, id, text, commentOf), (thread) => {
    setText("");
    setSent(thread.id);
    onSent?.();
  });
  return (
    <form class="comment-form" onSubmit={form.submit} noValidate>
      <FormError error={form.error} />
      <Field name={`private-${id}`} label={t("private.replyLabel")} hint={t("private.replyHint")}
             error={form.fieldError("text")} multiline
             input={{ value: text, required: true, maxLength: 5000, onInput: setText }} />
      <button type="submit" class="button" disabled={form.sending}>{t("private.send")}</button>
      {sent && (
        <p role="status" class="note">
          {t("private.sent")} <a href={`/private/${encodeURIComponent(sent)}`}>{t("private.open")}</a>
        </p>
      )}
    </form>
  );
}

/** On an idea's page: the team's answer at its top, its public answers, and the team's forms. */
export function IdeaConversation({ idea, onChanged }: { idea: Answered & { id: string }; onChanged: () => void }) {
  return (
    <>
      <TeamAnswerNote answer={idea.team_answer} privately={idea.answered_privately} />
      <Answers about="idea" id={idea.id} onPinned={onChanged} />
    </>
  );
}
