// The member's notifications, newest first. (Marking them read waits for an API to do it.)
import { session } from "../api/client";
import { notifications } from "../api/lab";
import { ErrorNote, Loading, PageTitle, useLoad } from "../components/ui";
import { useT } from "../i18n";
import { useStore } from "../store";
import { SignInFirst } from "./SignIn";

export function InboxPage() {
  const { t, label, date } = useT();
  const user = useStore(session)?.user;
  const inbox = useLoad(() => (user ? notifications.inbox(user.id) : Promise.resolve(undefined)), [user?.id]);
  if (!user) return <SignInFirst title={t("inbox.title")} />;

  return (
    <>
      <PageTitle>{t("inbox.title")}</PageTitle>
      {inbox.error ? <ErrorNote error={inbox.error} onRetry={inbox.reload} /> : null}
      {inbox.loading && !inbox.data && <Loading />}
      {inbox.data && (
        <>
          <p class="muted">{t("inbox.summary", { count: inbox.data.unread })}</p>
          {inbox.data.entries.length === 0 && <p class="empty">{t("inbox.empty")}</p>}
          <ol class="inbox">
            {inbox.data.entries.map((entry) => (
              <li class={entry.read ? "notification" : "notification unread"} key={entry.id}>
                <p>
                  {!entry.read && <span class="badge badge-new">{t("inbox.unread")}</span>}{" "}
                  <a href={`/ideas/${encodeURIComponent(entry.idea_id)}`}>{entry.title}</a>
                </p>
                <p>
                  <strong>{t("idea.moved", { from: label("status", entry.from), to: label("status", entry.to) })}</strong>
                </p>
                {entry.message && <p class="message">{entry.message}</p>}
                <p class="small muted">
                  <time dateTime={entry.created_at}>{date(entry.created_at)}</time>
                </p>
              </li>
            ))}
          </ol>
        </>
      )}
    </>
  );
}
