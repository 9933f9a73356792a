// Signing in with a password or an identity provider; the provider's redirect lands on /signed-in with the tokens
// in the URL fragment.
import { useEffect, useState } from "preact/hooks";
import { session, sessionOf } from "../api/client";
import { accounts } from "../api/lab";
import { ErrorNote, Field, FormError, PageTitle, useLoad, useSubmit } from "../components/ui";
import { useT } from "../i18n";
import { fragment, navigate, place, safeNext } from "../router";
import { useStore } from "../store";

export function SignInPage() {
  const { t } = useT();
  const next = safeNext(useStore(place).query.get("next"));
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const providers = useLoad(() => accounts.providers(), []);
  const form = useSubmit(
    () => accounts.signIn(email, password),
    (tokens) => {
      session.set(sessionOf(tokens));
      navigate(next);
    },
  );

  return (
    <div class="narrow">
      <PageTitle>{t("signIn.title")}</PageTitle>
      {providers.data && providers.data.length > 0 && (
        <>
          <ul class="providers">
            {providers.data.map((provider) => (
              <li key={provider.name}>
                <a
                  class="button-secondary"
                  href={accounts.providerStart(provider.name, `/signed-in?next=${encodeURIComponent(next)}`)}
                >
                  {t("signIn.with", { provider: provider.display_name })}
                </a>
              </li>
            ))}
          </ul>
          <p class="or">{t("signIn.or")}</p>
        </>
      )}
      <form class="form" onSubmit={form.submit} noValidate>
        <FormError error={form.error} />
        <Field
          name="email"
          label={t("signIn.email")}
          error={form.fieldError("email")}
          input={{ type: "email", autoComplete: "username", required: true, value: email,
                   onInput: setEmail }}
        />
        <Field
          name="password"
          label={t("signIn.password")}
          error={form.fieldError("password")}
          input={{ type: "password", autoComplete: "current-password", required: true, value: password,
                   onInput: setPassword }}
        />
        <button type="submit" class="button" disabled={form.sending}>
          {t("signIn.submit")}
        </button>
      </form>
      <p>
        <a href="/reset-password">{t("signIn.forgot")}</a>
      </p>
      <p>
        <a href={`/sign-up?next=${encodeURIComponent(next)}`}>{t("signIn.noAccount")}</a>
      </p>
    </div>
  );
}

/** Where an identity provider's sign-in ends: the tokens come in the fragment, which no server ever sees. */
export function SignedInPage() {
  const { t } = useT();
  const { hash, query } = useStore(place);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const params = fragment(hash);
    const access = params.get("access_token");
    const refresh = params.get("refresh_token");
    if (!access || !refresh) return setFailed(true);
    try {
      session.set(sessionOf({ access_token: access, refresh_token: refresh }));
      navigate(safeNext(query.get("next")), { replace: true }); // drops the tokens from the address bar
    } catch {
      setFailed(true);
    }
  }, []);
  return (
    <div class="narrow">
      <PageTitle>{t("callback.title")}</PageTitle>
      {failed && (
        <>
          <ErrorNote error={t("callback.failed")} />
          <a href="/sign-in">{t("nav.signIn")}</a>
        </>
      )}
    </div>
  );
}

/** What a page needing a signed-in user shows to someone who is not. */
export function SignInFirst({ title }: { title: string }) {
  const { t } = useT();
  const { path, hash } = useStore(place);
  const next = encodeURIComponent(path + hash);
  return (
    <div class="narrow">
      <PageTitle>{title}</PageTitle>
      <p>{t("error.signInFirst")}</p>
      <p class="actions">
        <a class="button" href={`/sign-in?next=${next}`}>
          {t("nav.signIn")}
        </a>
        <a class="button-secondary" href={`/sign-up?next=${next}`}>
          {t("nav.signUp")}
        </a>
      </p>
    </div>
  );
}
