// Creating an account, then signing in with it at once; the address is confirmed later from the email's link.
import { useState } from "preact/hooks";
import { session, sessionOf } from "../api/client";
import { accounts } from "../api/lab";
import { Field, FormError, PageTitle, useSubmit } from "../components/ui";
import { flash } from "../components/Layout";
import { useT } from "../i18n";
import { navigate, place, safeNext } from "../router";
import { useStore } from "../store";

export function SignUpPage() {
  const { t } = useT();
  const next = safeNext(useStore(place).query.get("next"));
  const [fields, setFields] = useState({ display_name: "", email: "", password: "" });
  const form = useSubmit(
    async () => {
      await accounts.signUp(fields);
      return accounts.signIn(fields.email, fields.password);
    },
    (tokens) => {
      session.set(sessionOf(tokens));
      flash.set({ text: t("signUp.checkMail"), path: next.split(/[?#]/)[0] });
      navigate(next);
    },
  );
  const bind = (name: keyof typeof fields) => ({
    value: fields[name],
    required: true,
    onInput: (value: string) => setFields({ ...fields, [name]: value }),
  });

  return (
    <div class="narrow">
      <PageTitle>{t("signUp.title")}</PageTitle>
      <form class="form" onSubmit={form.submit} noValidate>
        <FormError error={form.error} />
        <Field
          name="display_name"
          label={t("signUp.displayName")}
          error={form.fieldError("display_name")}
          input={{ ...bind("display_name"), autoComplete: "nickname" }}
        />
        <Field
          name="email"
          label={t("signUp.email")}
          error={form.fieldError("email")}
          input={{ ...bind("email"), type: "email", autoComplete: "email" }}
        />
        <Field
          name="password"
          label={t("signUp.password")}
          hint={t("signUp.password.hint")}
          error={form.fieldError("password")}
          input={{ ...bind("password"), type: "password", autoComplete: "new-password" }}
        />
        <button type="submit" class="button" disabled={form.sending}>
          {t("signUp.submit")}
        </button>
      </form>
      <p>
        <a href={`/sign-in?next=${encodeURIComponent(next)}`}>{t("signUp.haveAccount")}</a>
      </p>
    </div>
  );
}
