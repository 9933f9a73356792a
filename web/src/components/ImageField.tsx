// An idea's optional image: checked in the browser first (the service checks again, by the file's bytes), uploaded
// as soon as it is chosen with its progress shown, previewed, and its id handed to the form.
import { useEffect, useState } from "preact/hooks";
import { Problem } from "../api/client";
import { IMAGE_TYPES, ideas, MAX_IMAGE_BYTES, type UploadedImage } from "../api/lab";
import { useT } from "../i18n";

export type ImageRefusal = "image.tooLarge" | "image.wrongType" | "image.failed";

/** Why a chosen file cannot be an idea's image, before sending it; null when it may be. */
export function refusalOf(file: { size: number; type: string }): ImageRefusal | null {
  if (!IMAGE_TYPES.includes(file.type)) return "image.wrongType";
  if (file.size > MAX_IMAGE_BYTES) return "image.tooLarge";
  return null;
}

/** The service's refusal of an upload, as a message key (the member reads it in their language). */
export function refusalOfProblem(error: unknown): ImageRefusal {
  if (error instanceof Problem && error.status === 413) return "image.tooLarge";
  if (error instanceof Problem && error.status === 415) return "image.wrongType";
  return "image.failed";
}

interface Props {
  /** The uploaded image's id, or null when there is none (or none yet). */
  onChange: (imageId: string | null) => void;
  /** Whether an upload is under way (the idea waits for it). */
  onBusy: (busy: boolean) => void;
  error?: string;
}

export function ImageField({ onChange, onBusy, error }: Props) {
  const { t } = useT();
  const [preview, setPreview] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [refusal, setRefusal] = useState<ImageRefusal | null>(null);
  const [uploaded, setUploaded] = useState<UploadedImage | null>(null);
  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview]);

  const choose = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    setUploaded(null);
    setPreview(null);
    onChange(null);
    setRefusal(file ? refusalOf(file) : null);
    if (!file || refusalOf(file)) return;
    setPreview(URL.createObjectURL(file));
    setProgress(0);
    onBusy(true);
    try {
      const image = await ideas.uploadImage(file, setProgress);
      setUploaded(image);
      onChange(image.id);
    } catch (failure) {
      setRefusal(refusalOfProblem(failure));
      setPreview(null);
    } finally {
      setProgress(null);
      onBusy(false);
    }
  };

  const message = refusal ? t(refusal) : error;
  const described = ["field-image-hint", message && "field-image-error"].filter(Boolean).join(" ");
  return (
    <div class={message ? "field field-invalid" : "field"}>
      <label for="field-image">{t("submit.field.image")}</label>
      <p class="hint" id="field-image-hint">
        {t("submit.field.image.hint")}
      </p>
      <input
        type="file"
        id="field-image"
        name="image"
        accept={IMAGE_TYPES.join(",")}
        aria-describedby={described}
        aria-invalid={message ? true : undefined}
        onChange={(event) => choose(event.currentTarget)}
      />
      {progress !== null && (
        <progress
          class="upload-progress"
          max={100}
          value={Math.round(progress * 100)}
          aria-label={t("submit.field.image.uploading")}
          aria-valuetext={t("submit.field.image.progress", { percent: Math.round(progress * 100) })}
        />
      )}
      {uploaded && (
        <p class="small" role="status">
          {t("submit.field.image.done")}
        </p>
      )}
      {preview && <img class="image-preview" src={preview} alt={t("submit.field.image.preview")} />}
      {message && (
        <p class="field-error" id="field-image-error" role="alert">
          {message}
        </p>
      )}
    </div>
  );
}
