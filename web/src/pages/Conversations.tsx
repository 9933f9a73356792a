// Conversations with the bank: questions (the list, asking one, a question with the team's answer), and private
// threads (the member's, opened from their account, and the team's list of everyone's), readable by the member
// and the team only.
import { useState } from "preact/hooks";
import { Problem, session } from "../api/client";
import { conversations, type PrivateThread } from "../api/lab";
import { PostLanguage } from "../components/PostLanguage";
import { Answers, isAnswerer, TeamAnswerNote } from "../components/TeamAnswer";
import { ErrorNote, Field, FormError, Loading, PageTitle, Pending, useLoad, useSubmit } from "../components/ui";
import { navigate } from "../router";
import { useT } from "../i18n";
import { useStore } from "../store";
import { SignInFirst } from "./SignIn";
import { FlagAction, HiddenNotice, QuestionModeration } from "../components/Flag";

export function QuestionsPage() {
  const { t, date } = useT();
  const user = useStore(session)?.user;
  const list = useLoad(() => conversations.questions(), []);
  return (
    <>
      <PageTitle>{t("questions.title")}</PageTitle>
      <Pending load={list} />
      {list.data && list.data.questions.length === 0 && <p class="muted">{t("questions.none")}</p>}
      <ul class="cards">
        {list.data?.questions.map((question) => (
          <li key={question.id} class="card">
            <h2 class="card-title">
              <a href={`/questions/${encodeURIComponent(question.id)}`}>{question.title ?? t("moderation.hiddenIdea")}</a>
            </h2>
            <p class="small muted">
              <time dateTime={question.asked_at}>{date(question.asked_at)}</time>
              {question.team_answer && <> · <span class="badge">{t("answers.teamBadge")}</span></>}
            </p>
          </li>
        ))}
      </ul>
      {user ? <AskForm /> : <p><a href="/sign-in?next=/questions">{t("questions.signIn")}</a></p>}
    </>
  );
}

function AskForm() {
  const { t, lang } = useT();
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const [language, setLanguage] = useState<string>(lang);
  const form = useSubmit(() => conversations.ask({ title, body, language }),
    (question) => navigate(`/questions/${encodeURIComponent(question.id)}`));
  return (
    <form onSubmit={form.submit} noValidate aria-labelledby="ask-title">
      <h2 id="ask-title">{t("questions.ask")}</h2>
      <FormError error={form.error} />
      <PostLanguage name="question-language" value={language} onChange={setLanguage} />
      <Field name="question-title" label={t("questions.field.title")} error={form.fieldError("title")}
             input={{ value: title, required: true, maxLength: 140, onInput: setTitle }} />
      <Field name="question-body" label={t("questions.field.body")} error={form.fieldError("body")} multiline
             input={{ value: body, required: true, maxLength: 5000, onInput: setBody }} />
      <button type="submit" class="button" disabled={form.sending}>{t("questions.send")}</button>
    </form>
  );
}

export function QuestionPage({ id }: { id: string }) {
  const { t, date } = useT();
  const question = useLoad(() => conversations.question(id), [id]);
  if (question.error) {
    const missing = question.error instanceof Problem && question.error.status === 404;
    return missing ? <PageTitle>{t("questions.notFound")}</PageTitle>
      : <ErrorNote error={question.error} onRetry={question.reload} />;
  }
  if (!question.data) return <Loading />;
  return (
    <article class="idea">
      <PageTitle>{question.data.title ?? t("moderation.hiddenIdea")}</PageTitle>
      {question.data.hidden && <HiddenNotice hidden={question.data.hidden} class="note note-error hidden-note" />}
      <FlagAction kind="question" id={id} authorId={question.data.author_id} hidden={question.data.hidden}
                  onFlagged={question.reload} />
      <QuestionModeration id={id} hidden={question.data.hidden} onDone={question.reload} />
      <p class="meta small muted"><time dateTime={question.data.asked_at}>{date(question.data.asked_at)}</time></p>
      <TeamAnswerNote answer={question.data.team_answer} privately={question.data.answered_privately} />
      {question.data.body !== null && <p class="description">{question.data.body}</p>}
      <Answers about="question" id={id} onPinned={question.reload} />
    </article>
  );
}

export function PrivateThreadsPage() {
  const { t, date } = useT();
  const user = useStore(session)?.user;
  const list = useLoad(() => (user ? conversations.threads() : Promise.resolve(undefined)), [user?.id]);
  if (!user) return <SignInFirst title={t("private.title")} />;
  const team = isAnswerer(user.roles);
  return (
    <>
      <PageTitle>{team ? t("private.teamTitle") : t("private.title")}</PageTitle>
      <p class="muted">{team ? t("private.teamIntro") : t("private.intro")}</p>
      <Pending load={list} />
      {list.data && list.data.threads.length === 0 && <p class="muted">{t("private.none")}</p>}
      <ul class="cards">
        {list.data?.threads.map((thread) => (
          <li key={thread.id} class="card">
            <a href={`/private/${encodeURIComponent(thread.id)}`}>{about(t, thread)}</a>
            <p class="small muted"><time dateTime={thread.last_message_at}>{date(thread.last_message_at)}</time></p>
          </li>
        ))}
      </ul>
      {!team && <OpenForm />}
    </>
  );
}

type T = ReturnType<typeof useT>["t"];

function about(t: T, thread: PrivateThread): string {
  return t(`private.about.${thread.about}` as "private.about.idea");
}

function OpenForm() {
  const { t, lang } = useT();
  const [text, setText] = useState("");
  const [language, setLanguage] = useState<string>(lang);
  const form = useSubmit(() => conversations.openThread(text, language),
    (thread) => navigate(`/private/${encodeURIComponent(thread.id)}`));
  return (
    <form onSubmit={form.submit} noValidate aria-labelledby="open-title">
      <h2 id="open-title">{t("private.open.title")}</h2>
      <FormError error={form.error} />
      <PostLanguage name="private-language" value={language} onChange={setLanguage} />
      <Field name="private-open" label={t("private.message")} hint={t("private.open.hint")}
             error={form.fieldError("text")} multiline
             input={{ value: text, required: true, maxLength: 5000, onInput: setText }} />
      <button type="submit" class="button" disabled={form.sending}>{t("private.send")}</button>
    </form>
  );
}

export function PrivateThreadPage({ id }: { id: string }) {
  const { t, date } = useT();
  const user = useStore(session)?.user;
  const thread = useLoad(() => (user ? conversations.thread(id) : Promise.resolve(undefined)), [id, user?.id]);
  const [text, setText] = useState("");
  const form = useSubmit(() => conversations.write(id, text), (updated) => {
    setText("");
    thread.replace(updated);
  });
  if (!user) return <SignInFirst title={t("private.title")} />;
  if (thread.error) {
    const missing = thread.error instanceof Problem && thread.error.status === 404;
    return missing ? <PageTitle>{t("private.notFound")}</PageTitle> : <ErrorNote error={thread.error} onRetry={thread.reload} />;
  }
  if (!thread.data) return <Loading />;
  const link = thread.data.about === "question" ? `/questions/${encodeURIComponent(thread.data.about_id ?? "")}`
    : thread.data.idea_id ? `/ideas/${encodeURIComponent(thread.data.idea_id)}` : null;
  return (
    <article>
      <PageTitle>{t("private.threadTitle")}</PageTitle>
      <p class="note">{t("private.onlyYou")}</p>
      {link && <p><a href={link}>{about(t, thread.data)}</a></p>}
      <ol class="thread" aria-label={t("private.messages")}>
        {thread.data.messages?.map((message) => (
          <li key={message.id} class="comment" data-testid="private-message">
            <p class="small muted">
              {message.from_team ? t("answers.fromTeam") : message.author_id === user.id ? t("comments.you") : t("comments.member")}
              {" · "}<time dateTime={message.at}>{date(message.at)}</time>
            </p>
            <p class="comment-text">{message.text}</p>
          </li>
        ))}
      </ol>
      <form class="comment-form" onSubmit={form.submit} noValidate>
        <FormError error={form.error} />
        <Field name="private-message" label={t("private.message")} error={form.fieldError("text")} multiline
               input={{ value: text, required: true, maxLength: 5000, onInput: setText }} />
        <button type="submit" class="button" disabled={form.sending}>{t("private.send")}</button>
      </form>
    </article>
  );
}
