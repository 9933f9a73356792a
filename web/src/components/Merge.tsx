// A duplicate's pointer to its original, and the staff's form merging this idea into another one.
import { useState } from "preact/hooks";
import { session } from "../api/client";
import { ideas, type Idea } from "../api/lab";
import { useT } from "../i18n";
import { useStore } from "../store";
import "./discovery.css";
import { Field, FormError, useLoad, useSubmit } from "./ui";

export const STAFF = ["product_team", "moderator", "admin"];

/** "This idea was merged into …", with a link to the original (its title once known). */
export function MergedNote({ into }: { into: string }) {
  const { t } = useT();
  const original = useLoad(() => ideas.get(into).catch(() => null), [into]);
  return (
    <div class="note merged-note" data-testid="merged-into">
      <p>
        {t("merged.into")}{" "}
        <a href={`/ideas/${encodeURIComponent(into)}`}>{original.data?.title ?? t("merged.original")}</a>
      </p>
      <p class="small">{t("merged.intro")}</p>
    </div>
  );
}

/** An idea's id from what staff paste: its id, or its page's address. */
export function ideaIdFrom(text: string): string {
  const trimmed = text.trim();
  const path = /\/ideas\/([^/?#\s]+)/.exec(trimmed);
  return path ? decodeURIComponent(path[1]) : trimmed;
}

export function MergeForm({ idea, onMerged }: { idea: Idea; onMerged: (merged: Idea) => void }) {
  const { t } = useT();
  const user = useStore(session)?.user;
  const [into, setInto] = useState("");
  const form = useSubmit(() => ideas.merge(idea.id, ideaIdFrom(into)), (merged) => {
    setInto("");
    onMerged(merged);
  });
  if (!user?.roles.some((role) => STAFF.includes(role)) || idea.merged_into) return null;

  return (
    <section class="staff" aria-labelledby="merge-title">
      <h2 id="merge-title">{t("merge.title")}</h2>
      <form onSubmit={form.submit} noValidate>
        <FormError error={form.error} />
        <Field
          name="into"
          label={t("merge.into")}
          hint={t("merge.into.hint")}
          error={form.fieldError("into")}
          input={{ value: into, required: true, maxLength: 300, autoComplete: "off", onInput: setInto }}
        />
        <button type="submit" class="button" disabled={form.sending}>
          {t("merge.submit")}
        </button>
      </form>
    </section>
  );
}
