// The member's account: who they are to the lab, their data to download, and erasing the account.
import { useEffect, useState } from "preact/hooks";
import { session } from "../api/client";
import { accounts, myData, type LinkedIdentity } from "../api/lab";
import { isAdmin } from "../api/webhooks";
import { EmailChoicesSection } from "../components/EmailChoices";
import { ErrorNote, Field, FormError, PageTitle, Pending, useLoad, useSubmit } from "../components/ui";
import { flash } from "../components/Layout";
import { useT } from "../i18n";
import { navigate } from "../router";
import { useStore } from "../store";
import { SignInFirst } from "./SignIn";

export function AccountPage() {
  const { t, label } = useT();
  const user = useStore(session)?.user;
  const me = useLoad(() => (user ? accounts.me() : Promise.resolve(undefined)), [user?.id]);
  if (!user) return <SignInFirst title={t("account.title")} />;

  return (
    <div class="narrow">
      <PageTitle>{t("account.title")}</PageTitle>
      <Pending load={me} />
      {me.data && (
        <dl class="facts">
          <dt>{t("account.name")}</dt>
          <dd>{me.data.display_name}</dd>
          <dt>{t("account.email")}</dt>
          <dd>
            {me.data.email} ({me.data.email_verified ? t("account.verified") : t("account.unverified")})
          </dd>
          <dt>{t("account.roles")}</dt>
          <dd>{(me.data.roles ?? user.roles).map((role) => label("role", role)).join(", ")}</dd>
        </dl>
      )}
      <EmailChoicesSection userId={user.id} />
      {isAdmin(user.roles) && (
        <p>
          <a href="/staff/webhooks">{t("account.webhooks")}</a>
        </p>
      )}
      <LinkedIdentities />
      <DataDownload />
      <DeleteAccount />
    </div>
  );
}

// Shown only when a provider is linked: one the member did not link could be someone else's way in.
function LinkedIdentities() {
  const { t } = useT();
  const linked = useLoad(() => accounts.identities(), []);
  if (linked.error) return <ErrorNote error={linked.error} onRetry={linked.reload} />;
  if (!linked.data?.length) return null;
  return (
    <section aria-labelledby="identities-title">
      <h2 id="identities-title">{t("account.identities")}</h2>
      <p>{t("account.identities.intro")}</p>
      <ul>
        {linked.data.map((identity) => (
          <UnlinkIdentity key={`${identity.provider} ${identity.linked_at}`} identity={identity} onDone={linked.reload} />
        ))}
      </ul>
    </section>
  );
}

function UnlinkIdentity({ identity, onDone }: { identity: LinkedIdentity; onDone: () => void }) {
  const { t } = useT();
  const form = useSubmit(() => accounts.unlinkIdentity(identity.provider), onDone);
  return (
    <li>
      <form onSubmit={form.submit}>
        <FormError error={form.error} />
        {identity.display_name}{" "}
        <button type="submit" class="button-secondary" disabled={form.sending}>
          {t("account.identities.remove", { name: identity.display_name })}
        </button>
      </form>
    </li>
  );
}

function DataDownload() {
  const { t } = useT();
  const [url, setUrl] = useState<string | null>(null);
  const form = useSubmit(
    () => myData(),
    (data) => setUrl(URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }))),
  );
  useEffect(() => () => void (url && URL.revokeObjectURL(url)), [url]);
  return (
    <section aria-labelledby="data-title">
      <h2 id="data-title">{t("account.data")}</h2>
      <p>{t("account.data.intro")}</p>
      <form onSubmit={form.submit}>
        <FormError error={form.error} />
        <button type="submit" class="button-secondary" disabled={form.sending}>
          {t("account.data.download")}
        </button>
      </form>
      {url && (
        <p role="status">
          <a href={url} download="idealab-my-data.json">
            {t("account.data.ready")}
          </a>
        </p>
      )}
    </section>
  );
}

function DeleteAccount() {
  const { t } = useT();
  const [password, setPassword] = useState("");
  const form = useSubmit(
    () => accounts.deleteMe(password),
    () => {
      session.set(null);
      flash.set({ text: t("account.deleted"), path: "/" });
      navigate("/");
    },
  );
  return (
    <section class="danger" aria-labelledby="delete-title">
      <h2 id="delete-title">{t("account.delete")}</h2>
      <p>{t("account.delete.intro")}</p>
      <form onSubmit={form.submit} noValidate>
        <FormError error={form.error} />
        <Field
          name="delete-password"
          label={t("account.delete.password")}
          error={form.fieldError("password")}
          input={{ type: "password", autoComplete: "current-password", required: true, value: password,
                   onInput: setPassword }}
        />
        <button type="submit" class="button-danger" disabled={form.sending || !password}>
          {t("account.delete.confirm")}
        </button>
      </form>
    </section>
  );
}
