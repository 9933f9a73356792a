// The frame of every page: skip link, header with the main navigation, the inbox badge and the language switch.
import type { ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";
import { session } from "../api/client";
import { accounts, notifications } from "../api/lab";
import { brand, labelIn } from "../brand";
import { isLocale, LOCALES, setLocale, useT, type MessageKey } from "../i18n";
import { navigate, place } from "../router";
import { isAnswerer } from "./TeamAnswer";
import { isModerator } from "./Flag";
import { store, useStore } from "../store";
import { follows, useLive } from "../live";

/** A message for the page a form leads to ("your account is deleted"), shown there only. */
export const flash = store<{ text: string; path: string } | null>(null);

const POLL_MS = 15_000;
const LANGUAGE_NAMES: Record<string, string> = { en: "English", fr: "Français", es: "Español" };

/** The signed-in user's unread notifications, for the header's badge. */
export const unread = store(0);
let marks = 0;

/** The count the inbox page learnt by marking: a poll asked before it would bring back the count before marking. */
export function markedUnread(count: number) {
  marks += 1;
  unread.set(count);
}

/** Asks for the unread count every few seconds, on every page change and when the tab shows again. */
function useUnread(userId: string | undefined): number {
  const where = useStore(place).path;
  useEffect(() => {
    if (!userId) return unread.set(0);
    let stopped = false;
    const ask = () => {
      if (document.visibilityState !== "visible") return;
      const marksBefore = marks;
      notifications.inbox(userId, 1).then(
        (inbox) => {
          if (!stopped && marks === marksBefore) unread.set(inbox.unread);
        },
        () => undefined, // the badge waits for the next round; the inbox page shows errors
      );
    };
    ask();
    const timer = setInterval(ask, POLL_MS);
    document.addEventListener("visibilitychange", ask);
    return () => {
      stopped = true;
      clearInterval(timer);
      document.removeEventListener("visibilitychange", ask);
    };
  }, [userId, where]);
  // A followed idea moved, or a private answer came: the inbox has news. Its entry is written by another consumer
  // than the live one, so the badge asks a moment later.
  useLive((m) => {
    if (userId && ((m.type === "status" && m.idea && follows(m.idea)) || m.type === "private_answer"))
      setTimeout(() => notifications.inbox(userId, 1).then((inbox) => unread.set(inbox.unread), () => undefined), 1500);
  });
  return useStore(unread);
}

export function Layout({ children }: { children: ComponentChildren }) {
  const { t, lang } = useT();
  const user = useStore(session)?.user;
  const unreadCount = useUnread(user?.id);
  const lab = useStore(brand);
  const path = useStore(place).path;
  const message = useStore(flash);
  useEffect(() => {
    if (message && message.path !== path) flash.set(null);
  }, [path]);
  const current = (href: string) =>
    (href === "/" ? path === "/" || path.startsWith("/ideas") : path.startsWith(href)) ? "page" : undefined;
  const navLink = (href: string, label: MessageKey) => (
    <li>
      <a href={href} aria-current={current(href)}>
        {t(label)}
      </a>
    </li>
  );

  const signOut = async () => {
    const refresh = session.get()?.refreshToken;
    session.set(null);
    navigate("/");
    if (refresh) await accounts.signOut(refresh).catch(() => undefined); // signed out here either way
  };

  return (
    <>
      <a class="skip" href="#main">
        {t("app.skip")}
      </a>
      <header class="top">
        <div class="top-inner">
          <a class="brand" href="/">
            {lab.logo && <img class="brand-logo" src={lab.logo} alt="" />}
            {lab.name}
          </a>
          <nav aria-label={t("nav.main")}>
            <ul>
              {navLink("/", "nav.ideas")}
              {navLink("/roadmap", "nav.roadmap")}
              {navLink("/campaigns", "nav.campaigns")}
              {navLink("/contests", "nav.contests")}
              {navLink("/questions", "nav.questions")}
              {navLink("/leaderboard", "nav.leaderboard")}
              {user?.roles.some((role) => role === "product_team" || role === "admin") &&
                navLink("/launches", "nav.launches")}
              {user && navLink("/private", "nav.private")}
              {isAnswerer(user?.roles) && navLink("/team/queue", "nav.queue")}
              {navLink("/promise", "nav.promise")}
              {isModerator(user?.roles) && navLink("/moderation", "nav.moderation")}
              {user && (
                <li>
                  <a href="/inbox" aria-current={current("/inbox")} data-testid="inbox-link">
                    {t("nav.inbox")}
                    {unreadCount > 0 && (
                      <span class="count" data-testid="unread-badge">
                        <span aria-hidden="true">{unreadCount}</span>
                        <span class="visually-hidden">{t("nav.unread", { count: unreadCount })}</span>
                      </span>
                    )}
                  </a>
                </li>
              )}
              {user ? (
                <>
                  {navLink("/account", "nav.account")}
                  <li>
                    <button type="button" class="link" onClick={signOut}>
                      {t("nav.signOut")}
                    </button>
                  </li>
                </>
              ) : (
                <>
                  {navLink("/sign-in", "nav.signIn")}
                  {navLink("/sign-up", "nav.signUp")}
                </>
              )}
            </ul>
          </nav>
          <a class="button share" href="/submit">
            {t("nav.submit")}
          </a>
          <label class="language">
            <span class="visually-hidden">{t("app.language")}</span>
            <select
              value={lang}
              onChange={(event) => {
                const chosen = event.currentTarget.value;
                if (isLocale(chosen)) setLocale(chosen);
              }}
            >
              {Object.keys(LOCALES).map((code) => (
                <option value={code} lang={code} key={code}>
                  {LANGUAGE_NAMES[code]}
                </option>
              ))}
            </select>
          </label>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {message?.path === path && (
          <p class="note note-ok" role="status">
            {message.text}
          </p>
        )}
        {children}
      </main>
      {lab.footer_links.length > 0 && (
        <footer class="bottom">
          <nav aria-label={t("nav.footer", { name: lab.name })}>
            <ul>
              {lab.footer_links.map((link) => (
                <li key={link.href}>
                  <a href={link.href}>{labelIn(link.label, lang)}</a>
                </li>
              ))}
            </ul>
          </nav>
        </footer>
      )}
    </>
  );
}
