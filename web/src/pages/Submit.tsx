// Sharing an idea, with an image if the member wants. The API's problem+json names the fields it refused; each
// error shows under its field.
import { useState } from "preact/hooks";
import { session } from "../api/client";
import { ideas } from "../api/lab";
import { parseTags } from "../components/discovery";
import { ImageField } from "../components/ImageField";
import { PostLanguage } from "../components/PostLanguage";
import { SimilarIdeas } from "../components/SimilarIdeas";
import { Field, FormError, PageTitle, useSubmit } from "../components/ui";
import { useT } from "../i18n";
import { navigate } from "../router";
import { useStore } from "../store";
import { SignInFirst } from "./SignIn";

export const CATEGORIES = ["cards", "payments", "savings", "loans", "mobile-app", "branches", "other"];

export function SubmitPage() {
  const { t, label, lang } = useT();
  const user = useStore(session)?.user;
  const [fields, setFields] = useState({ title: "", description: "", category: "", tags: "" });
  const [imageId, setImageId] = useState<string | null>(null);
  const [language, setLanguage] = useState<string>(lang);
  const [uploading, setUploading] = useState(false);
  const form = useSubmit(
    () => {
      const { tags: typedTags, ...rest } = fields;
      const { tags } = parseTags(typedTags);
      return ideas.submit({ ...rest, tags, language, ...(imageId ? { image_id: imageId } : {}) });
    },
    (idea) => navigate(`/ideas/${encodeURIComponent(idea.id)}`),
  );
  if (!user) return <SignInFirst title={t("submit.title")} />;
  const invalidTags = parseTags(fields.tags).invalid;
  const bind = (name: keyof typeof fields) => ({
    value: fields[name],
    onInput: (value: string) => setFields({ ...fields, [name]: value }),
  });

  return (
    <>
      <PageTitle>{t("submit.title")}</PageTitle>
      <p>{t("submit.intro")}</p>
      <form class="form" onSubmit={form.submit} noValidate>
        <FormError error={form.error} />
        <PostLanguage name="language" value={language} onChange={setLanguage} />
        <Field
          name="title"
          label={t("submit.field.title")}
          hint={t("submit.field.title.hint")}
          error={form.fieldError("title")}
          input={{ ...bind("title"), required: true, maxLength: 140, autoComplete: "off" }}
        />
        <Field
          name="description"
          label={t("submit.field.description")}
          hint={t("submit.field.description.hint")}
          error={form.fieldError("description")}
          multiline
          input={{ ...bind("description"), required: true, maxLength: 5000 }}
        />
        {/* After the description, not between it and the title: Tab from the title still goes to the description. */}
        <SimilarIdeas title={fields.title} />
        <Field name="category" label={t("submit.field.category")} error={form.fieldError("category")}>
          <select
            id="field-category"
            name="category"
            required
            value={fields.category}
            onChange={(event) => setFields({ ...fields, category: event.currentTarget.value })}
            aria-invalid={form.fieldError("category") ? true : undefined}
            aria-describedby={form.fieldError("category") ? "field-category-error" : undefined}
          >
            <option value="">{t("submit.choose")}</option>
            {CATEGORIES.map((name) => (
              <option value={name} key={name}>
                {label("category", name)}
              </option>
            ))}
          </select>
        </Field>
        <Field
          name="tags"
          label={t("submit.field.tags")}
          hint={t("submit.field.tags.hint")}
          error={invalidTags.length > 0 ? t("submit.field.tags.invalid", { words: invalidTags.join(", ") }) : form.fieldError("tags")}
          input={{ ...bind("tags"), maxLength: 200, autoComplete: "off" }}
        />
        <ImageField onChange={setImageId} onBusy={setUploading} error={form.fieldError("image_id")} />
        {uploading && <p class="hint">{t("submit.field.image.wait")}</p>}
        <button type="submit" class="button" disabled={form.sending || uploading}>
          {form.sending ? t("submit.sending") : t("submit.send")}
        </button>
      </form>
    </>
  );
}
