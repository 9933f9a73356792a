// Pieces every screen uses: loading what a page shows, showing a failure, labelled form fields and table heads.
import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { Problem } from "../api/client";
import { brand } from "../brand";
import { fieldMessage, useT, type MessageKey } from "../i18n";

let navigated = false;

export interface Loaded<T> {
  data?: T;
  error?: unknown;
  loading: boolean;
  reload: () => void;
  replace: (data: T) => void;
}

/** Runs `load` when the page opens and whenever `deps` change. Answers that arrive late are dropped: those of an
 * earlier round, and one still on its way when the page `replace`s the data with a newer answer of its own. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [round, setRound] = useState(0);
  const pending = useRef<AbortController | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    pending.current = controller;
    setState((previous) => ({ data: previous.data, loading: true }));
    load(controller.signal).then(
      (data) => controller.signal.aborted || setState({ data, loading: false }),
      (error) => controller.signal.aborted || setState({ error, loading: false }),
    );
    return () => controller.abort();
  }, [...deps, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  const replace = useCallback((data: T) => {
    pending.current?.abort();
    setState({ data, loading: false });
  }, []);
  return { ...state, reload, replace };
}

/** A failure in words, with the request id to quote to support. */
export function ErrorNote({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useT();
  const problem = error instanceof Problem ? error : undefined;
  const text = !problem
    ? String(error)
    : problem.status === 0
      ? t("error.network")
      : problem.status === 401
        ? t("error.signInFirst")
        : (problem.detail ?? problem.title);
  return (
    <div class="note note-error" role="alert">
      <p>{text}</p>
      {problem?.requestId && <p class="small">{t("error.requestId", { id: problem.requestId })}</p>}
      {onRetry && (
        <button type="button" class="button-secondary" onClick={onRetry}>
          {t("error.retry")}
        </button>
      )}
    </div>
  );
}

/** What a load says of itself, whatever its data. */
export type LoadState = Pick<Loaded<unknown>, "data" | "error" | "loading" | "reload">;

/** What stands for the data until it comes: the failure (with a retry), or the wait for the first answer (a reload
 * keeps the data shown). */
export function Pending({ load }: { load: LoadState }) {
  if (load.error) return <ErrorNote error={load.error} onRetry={load.reload} />;
  return load.loading && !load.data ? <Loading /> : null;
}

export function Loading() {
  const { t } = useT();
  return (
    <p class="muted" role="status">
      {t("app.loading")}
    </p>
  );
}

/** The page's heading and the window's title; the heading takes the focus when the page opens, so screen
 * readers announce where a link led (except on the first page load, where the focus stays at the top). */
export function PageTitle({ children }: { children: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${children} · ${brand.get().name}`;
  }, [children]);
  useEffect(() => {
    if (navigated) ref.current?.focus({ preventScroll: true });
    navigated = true;
  }, []);
  return (
    <h1 tabIndex={-1} ref={ref}>
      {children}
    </h1>
  );
}

/** A page the reader's roles do not open: its title, and why. */
export function NotAllowed({ title, why }: { title: string; why: string }) {
  return (
    <>
      <PageTitle>{title}</PageTitle>
      <p class="muted">{why}</p>
    </>
  );
}

/** What the input (or textarea) takes besides its id, name and descriptions; `onInput` gets its value. */
export interface InputProps {
  value?: string;
  type?: "text" | "email" | "password" | "datetime-local" | "number";
  min?: number;
  required?: boolean;
  maxLength?: number;
  autoComplete?: string;
  onInput?: (value: string) => void;
}

export interface FieldProps {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  multiline?: boolean;
  children?: ComponentChildren; // a <select> instead of the input
  input?: InputProps;
}

/** A labelled control whose hint and error the screen reader reads with it. */
export function Field({ name, label, hint, error, multiline, children, input = {} }: FieldProps) {
  const id = `field-${name}`;
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  const { onInput, type, ...attributes } = input;
  const shared = {
    id, name, "aria-describedby": described, "aria-invalid": error ? true : undefined, ...attributes,
    onInput: (event: Event) => onInput?.((event.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class={error ? "field field-invalid" : "field"}>
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {children ?? (multiline ? <textarea rows={6} {...shared} /> : <input type={(type ?? "text") as "text"} {...shared} />)}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** What a form's submit shows while sending, and the failure it met, field by field when the API said which. */
export function useSubmit<T>(send: () => Promise<T>, done: (result: T) => void) {
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setSending(true);
    setError(null);
    try {
      done(await send());
    } catch (failure) {
      setError(failure);
    } finally {
      setSending(false);
    }
  };
  const { lang } = useT();
  const fieldError = (field: string) => {
    const said = error instanceof Problem ? error.fieldError(field) : undefined;
    return said && fieldMessage(lang, said);
  };
  return { submit, sending, error, fieldError };
}

/** The form-level part of a failure: the whole problem, or a summary when the fields carry the details. */
export function FormError({ error }: { error: unknown }) {
  const { t } = useT();
  if (!error) return null;
  if (error instanceof Problem && Object.keys(error.errors).length > 0) {
    return (
      <div class="note note-error" role="alert">
        <p>{t("form.fixBelow")}</p>
        {error.requestId && <p class="small">{t("error.requestId", { id: error.requestId })}</p>}
      </div>
    );
  }
  return <ErrorNote error={error} />;
}

export function StatusBadge({ status }: { status: string }) {
  const { label } = useT();
  return <span class={`badge badge-${status}`}>{label("status", status)}</span>;
}

/** A table's head: one column header for each message, in order. */
export function ColumnHeads({ columns }: { columns: MessageKey[] }) {
  const { t } = useT();
  return (
    <thead>
      <tr>
        {columns.map((column) => (
          <th scope="col" key={column}>{t(column)}</th>
        ))}
      </tr>
    </thead>
  );
}
