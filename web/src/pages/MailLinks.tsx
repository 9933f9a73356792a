// The pages the lab's emails link to: /verify, /reset-password, /invitations and /unsubscribe, each with #token=…
// (a fragment, so the token never reaches a server log).
import { useState } from "preact/hooks";
import { api, session } from "../api/client";
import { accounts, notifications } from "../api/lab";
import { ErrorNote, Field, FormError, Loading, PageTitle, useLoad, useSubmit } from "../components/ui";
import { useT } from "../i18n";
import { fragment, place } from "../router";
import { useStore } from "../store";
import { SignInFirst } from "./SignIn";

function useToken(): string | null {
  return fragment(useStore(place).hash).get("token");
}

export function VerifyPage() {
  const { t } = useT();
  const token = useToken();
  const verified = useLoad(() => (token ? accounts.verifyEmail(token).then(() => true) : Promise.resolve(false)), [token]);
  return (
    <div class="narrow">
      <PageTitle>{t("verify.title")}</PageTitle>
      {verified.loading && <Loading />}
      {verified.data && (
        <p class="note note-ok" role="status">
          {t("verify.done")}
        </p>
      )}
      {(verified.error || verified.data === false) && (
        <>
          <p class="note note-error" role="alert">
            {t("verify.failed")}
          </p>
          {verified.error ? <ErrorNote error={verified.error} /> : null}
        </>
      )}
    </div>
  );
}

export function ResetPasswordPage() {
  const token = useToken();
  return <ResetPassword token={token} key={token ?? ""} />;
}

/** Without a token: asks for a link by mail. With the mail's token: takes the new password. */
function ResetPassword({ token }: { token: string | null }) {
  const { t } = useT();
  const [value, setValue] = useState("");
  const [done, setDone] = useState(false);
  const form = useSubmit(
    () => (token ? accounts.resetPassword(token, value) : accounts.requestPasswordReset(value)),
    () => setDone(true),
  );
  const input = (type: "email" | "password", autoComplete: string) => ({
    type, autoComplete, required: true, value, onInput: setValue,
  });

  return (
    <div class="narrow">
      <PageTitle>{t("reset.title")}</PageTitle>
      {done ? (
        <p class="note note-ok" role="status">
          {token ? t("reset.done") : t("reset.sent")}
          {token && (
            <>
              {" "}
              <a href="/sign-in">{t("nav.signIn")}</a>
            </>
          )}
        </p>
      ) : (
        <form class="form" onSubmit={form.submit} noValidate>
          {!token && <p>{t("reset.intro")}</p>}
          <FormError error={form.error} />
          {token ? (
            <Field name="password" label={t("reset.newPassword")} hint={t("signUp.password.hint")}
                   error={form.fieldError("password") ?? form.fieldError("token")}
                   input={input("password", "new-password")} />
          ) : (
            <Field name="email" label={t("reset.email")} error={form.fieldError("email")}
                   input={input("email", "email")} />
          )}
          <button type="submit" class="button" disabled={form.sending}>
            {token ? t("reset.confirm") : t("reset.send")}
          </button>
        </form>
      )}
    </div>
  );
}

export function InvitationPage() {
  const { t } = useT();
  const token = useToken();
  const user = useStore(session)?.user;
  const [done, setDone] = useState(false);
  const form = useSubmit(
    async () => {
      await accounts.acceptInvitation(token ?? "");
      await api.renew(); // the new space is a claim of the access token: take a fresh one now
    },
    () => setDone(true),
  );
  if (!token) {
    return (
      <div class="narrow">
        <PageTitle>{t("invite.title")}</PageTitle>
        <p class="note note-error" role="alert">
          {t("invite.missing")}
        </p>
      </div>
    );
  }
  if (!user) return <SignInFirst title={t("invite.title")} />;

  return (
    <div class="narrow">
      <PageTitle>{t("invite.title")}</PageTitle>
      {done ? (
        <p class="note note-ok" role="status">
          {t("invite.done")} <a href="/">{t("nav.ideas")}</a>
        </p>
      ) : (
        <form onSubmit={form.submit}>
          <p>{t("invite.intro")}</p>
          <FormError error={form.error} />
          <button type="submit" class="button" disabled={form.sending}>
            {t("invite.accept")}
          </button>
        </form>
      )}
    </div>
  );
}

/** The "stop these emails" link of every notification email: one visit, no sign-in. */
export function UnsubscribePage() {
  const { t } = useT();
  const token = useToken();
  const done = useLoad(() => (token ? notifications.unsubscribe(token).then(() => true) : Promise.resolve(false)), [token]);
  return (
    <div class="narrow">
      <PageTitle>{t("unsubscribe.title")}</PageTitle>
      {done.loading && <Loading />}
      {done.data && (
        <p class="note note-ok" role="status">
          {t("unsubscribe.done")} <a href="/inbox">{t("unsubscribe.preferences")}</a>
        </p>
      )}
      {done.error ? <ErrorNote error={done.error} /> : null}
      {done.data === false && (
        <p class="note note-error" role="alert">
          {t("verify.failed")}
        </p>
      )}
    </div>
  );
}
