// The member's notifications, newest first: marking them read (one or all), and whether they also come by email.
import { useState } from "preact/hooks";
import { session } from "../api/client";
import { notifications, type Inbox, type InboxEntry } from "../api/lab";
import { markedUnread } from "../components/Layout";
import { ErrorNote, PageTitle, Pending, useLoad } from "../components/ui";
import { useT } from "../i18n";
import { useStore } from "../store";
import { SignInFirst } from "./SignIn";

export function InboxPage() {
  const { t } = useT();
  const user = useStore(session)?.user;
  const inbox = useLoad(() => (user ? notifications.inbox(user.id) : Promise.resolve(undefined)), [user?.id]);
  const [failure, setFailure] = useState<unknown>(null);
  if (!user) return <SignInFirst title={t("inbox.title")} />;

  const markRead = async (shown: Inbox, ids?: string[]) => {
    setFailure(null);
    try {
      const left = await notifications.markRead(user.id, ids);
      inbox.replace({
        ...shown,
        unread: left.unread,
        entries: shown.entries.map((entry) => (!ids || ids.includes(entry.id) ? { ...entry, read: true } : entry)),
      });
      markedUnread(left.unread);
    } catch (error) {
      setFailure(error);
    }
  };

  return (
    <>
      <PageTitle>{t("inbox.title")}</PageTitle>
      <Pending load={inbox} />
      {inbox.data && (
        <>
          <div class="page-head">
            <p class="muted" role="status">
              {t("inbox.summary", { count: inbox.data.unread })}
            </p>
            {inbox.data.unread > 0 && (
              <button type="button" class="button-secondary" onClick={() => markRead(inbox.data!)}>
                {t("inbox.markAll")}
              </button>
            )}
          </div>
          {failure ? <ErrorNote error={failure} /> : null}
          {inbox.data.entries.length === 0 && <p class="empty">{t("inbox.empty")}</p>}
          <ol class="inbox">
            {inbox.data.entries.map((entry) => (
              <Notification entry={entry} key={entry.id} onRead={() => markRead(inbox.data!, [entry.id])} />
            ))}
          </ol>
        </>
      )}
      <EmailPreference userId={user.id} />
    </>
  );
}

function Notification({ entry, onRead }: { entry: InboxEntry; onRead: () => void }) {
  const { t, label, date } = useT();
  return (
    <li class={entry.read ? "notification" : "notification unread"}>
      <p>
        {!entry.read && <span class="badge badge-new">{t("inbox.unread")}</span>}{" "}
        <a href={pageOf(entry)}>{entry.title}</a>
      </p>
      <p>
        <strong>
          {entry.kind === "campaign.closed"
            ? t("inbox.campaignClosed")
            : entry.kind === "contest.round_closed"
              ? t("inbox.contestDecided")
            : entry.kind === "answer.posted"
              ? t("inbox.privateAnswer")
              : entry.kind === "private_message.sent"
                ? t("inbox.memberWrote")
              : entry.kind === "webhook.disabled"
                ? t("inbox.webhookDisabled")
              : t("idea.moved", { from: label("status", entry.from), to: label("status", entry.to) })}
        </strong>
      </p>
      {entry.message && <p class="message">{entry.message}</p>}
      <p class="small muted">
        <time dateTime={entry.created_at}>{date(entry.created_at)}</time>
      </p>
      {!entry.read && (
        <button type="button" class="link" onClick={onRead}>
          {t("inbox.markRead")}
          <span class="visually-hidden">: {entry.title}</span>
        </button>
      )}
    </li>
  );
}

function EmailPreference({ userId }: { userId: string }) {
  const { t } = useT();
  const preferences = useLoad(() => notifications.preferences(userId), [userId]);
  const [failure, setFailure] = useState<unknown>(null);
  const change = async (email: boolean) => {
    setFailure(null);
    try {
      preferences.replace(await notifications.setPreferences(userId, email));
    } catch (error) {
      setFailure(error);
    }
  };
  return (
    <section class="preferences" aria-labelledby="preferences-title">
      <h2 id="preferences-title">{t("inbox.preferences")}</h2>
      {preferences.error ? <ErrorNote error={preferences.error} onRetry={preferences.reload} /> : null}
      {preferences.data && (
        <>
          <label class="check">
            <input
              type="checkbox"
              checked={preferences.data.email}
              // Emails go only to a confirmed address: nothing to turn on before that.
              disabled={!preferences.data.email_address_known && !preferences.data.email}
              aria-describedby={preferences.data.email_address_known ? undefined : "email-unknown"}
              onChange={(event) => change(event.currentTarget.checked)}
            />{" "}
            {t("inbox.byEmail")}
          </label>
          {!preferences.data.email_address_known && (
            <p class="small muted" id="email-unknown">
              {t("inbox.emailUnknown")}
            </p>
          )}
        </>
      )}
      {failure ? <ErrorNote error={failure} /> : null}
    </section>
  );
}

// A campaign's result and an initiative's announcement or move are kept beside the ideas' status changes, under the
// campaign's or initiative's key.
// A private answer is kept under its recipient's own key: the entry leads to their private threads, where the
// words are (the notification holds none).
const PRIVATE = "private:";
// A member's private message is kept under the team's key (those who answer for the bank read it): it leads to
// the team's queue, where it waits with its due time.
const TEAM = "team:";
// A contest's round decided is kept under "contest:<contest>:round:<n>": it leads to the contest's page.
const CONTEST = "contest:";
const PAGES = { "campaign:": "/campaigns/", "initiative:": "/initiatives/" };
// A webhook endpoint turned off for failing is told under "webhook:<endpoint>" to the admins who registered or
// rotated it: it leads to the webhooks page, where it is turned back on and its deliveries replayed.
const WEBHOOK = "webhook:";

export function pageOf(entry: Pick<InboxEntry, "idea_id">): string {
  if (entry.idea_id.startsWith(PRIVATE)) return "/private";
  if (entry.idea_id.startsWith(TEAM)) return "/team/queue";
  if (entry.idea_id.startsWith(WEBHOOK)) return "/staff/webhooks";
  if (entry.idea_id.startsWith(CONTEST)) return `/contests/${encodeURIComponent(entry.idea_id.split(":")[1])}`;
  for (const [key, page] of Object.entries(PAGES))
    if (entry.idea_id.startsWith(key)) return page + encodeURIComponent(entry.idea_id.slice(key.length));
  return `/ideas/${encodeURIComponent(entry.idea_id)}`;
}
