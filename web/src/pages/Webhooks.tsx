// Webhook endpoints for the bank's own systems (issue 15), for admins: register one (its secret is shown once, to
// copy into the receiving system), rotate the secret (the old one signs beside the new for a day), turn it back on
// after it was turned off for failing, and read each endpoint's delivery log, replaying a delivery.
import { useState } from "preact/hooks";
import { session } from "../api/client";
import { isAdmin, webhooks, type WebhookDelivery, type WebhookEndpoint } from "../api/webhooks";
import { ColumnHeads, Field, FormError, NotAllowed, PageTitle, Pending, useLoad, useSubmit } from "../components/ui";
import { useT, type MessageKey } from "../i18n";
import { useStore } from "../store";

export function WebhooksPage() {
  const { t } = useT();
  const user = useStore(session)?.user;
  const allowed = isAdmin(user?.roles);
  const list = useLoad(() => (allowed ? webhooks.endpoints() : Promise.resolve(undefined)), [user?.id]);
  if (!allowed) return <NotAllowed title={t("webhooks.title")} why={t("webhooks.notAllowed")} />;
  return (
    <>
      <PageTitle>{t("webhooks.title")}</PageTitle>
      <p class="muted">{t("webhooks.intro")}</p>
      <Pending load={list} />
      {list.data && <Register eventTypes={list.data.event_types} onDone={list.reload} />}
      <section aria-labelledby="endpoints-title">
        <h2 id="endpoints-title">{t("webhooks.endpoints")}</h2>
        {list.data && list.data.endpoints.length === 0 && <p class="muted">{t("webhooks.none")}</p>}
        <ul class="cards">
          {list.data?.endpoints.map((e) => <Endpoint key={e.id} endpoint={e} onChanged={list.reload} />)}
        </ul>
      </section>
    </>
  );
}

function Secret({ secret }: { secret: string }) {
  const { t } = useT();
  return (
    <div class="note" role="status">
      <p>{t("webhooks.secret")}</p>
      <p>
        <code data-testid="webhook-secret">{secret}</code>
      </p>
    </div>
  );
}

function Register({ eventTypes, onDone }: { eventTypes: string[]; onDone: () => void }) {
  const { t } = useT();
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [events, setEvents] = useState<string[]>([]);
  const [secret, setSecret] = useState<string | null>(null);
  const form = useSubmit(() => webhooks.register(url, events, description), (made) => {
    setSecret(made.secret ?? null);
    setUrl("");
    setDescription("");
    setEvents([]);
    onDone();
  });
  const toggle = (type: string) => setEvents(events.includes(type) ? events.filter((e) => e !== type) : [...events, type]);
  return (
    <section aria-labelledby="register-title">
      <h2 id="register-title">{t("webhooks.register")}</h2>
      {secret && <Secret secret={secret} />}
      <form onSubmit={form.submit} noValidate>
        <FormError error={form.error} />
        <Field name="webhook-url" label={t("webhooks.url")} hint={t("webhooks.url.hint")} error={form.fieldError("url")}
               input={{ value: url, onInput: setUrl, required: true, autoComplete: "url" }} />
        <Field name="webhook-description" label={t("webhooks.description")} error={form.fieldError("description")}
               input={{ value: description, onInput: setDescription }} />
        <fieldset aria-describedby={form.fieldError("events") ? "webhook-events-error" : undefined}>
          <legend>{t("webhooks.events")}</legend>
          {eventTypes.map((type) => (
            <label key={type} class="checkbox">
              <input type="checkbox" checked={events.includes(type)} onChange={() => toggle(type)} />{" "}
              {t(`webhooks.event.${type}` as MessageKey)} (<code>{type}</code>)
            </label>
          ))}
          {form.fieldError("events") && (
            <p class="field-error" id="webhook-events-error">{form.fieldError("events")}</p>
          )}
        </fieldset>
        <button type="submit" disabled={form.sending}>{t("webhooks.register.submit")}</button>
      </form>
    </section>
  );
}

function Endpoint({ endpoint, onChanged }: { endpoint: WebhookEndpoint; onChanged: () => void }) {
  const { t, date } = useT();
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const rotate = useSubmit(() => webhooks.rotate(endpoint.id), (e) => (setSecret(e.secret ?? null), onChanged()));
  const toggle = useSubmit(() => webhooks.change(endpoint.id, { enabled: !endpoint.enabled }), onChanged);
  const state = !endpoint.enabled ? t("webhooks.state.off") :
    endpoint.failing_since ? t("webhooks.state.failing", { date: date(endpoint.failing_since) }) :
    t("webhooks.state.on");
  return (
    <li class="card">
      <h3>{endpoint.description || endpoint.url}</h3>
      <dl class="facts">
        <dt>{t("webhooks.url")}</dt>
        <dd><code>{endpoint.url}</code></dd>
        <dt>{t("webhooks.events")}</dt>
        <dd>{endpoint.events.join(", ")}</dd>
        <dt>{t("webhooks.state")}</dt>
        <dd data-testid="webhook-state">{state}</dd>
        <dt>{t("webhooks.secrets")}</dt>
        <dd>{t("webhooks.secrets.live", { count: endpoint.live_secrets })}</dd>
      </dl>
      {secret && <Secret secret={secret} />}
      <div class="actions">
        <form onSubmit={rotate.submit}>
          <FormError error={rotate.error} />
          <button type="submit" class="button-secondary" disabled={rotate.sending}>
            {t("webhooks.rotate", { name: endpoint.description || endpoint.url })}
          </button>
        </form>
        <form onSubmit={toggle.submit}>
          <FormError error={toggle.error} />
          <button type="submit" class="button-secondary" disabled={toggle.sending}>
            {endpoint.enabled ? t("webhooks.turnOff") : t("webhooks.turnOn")}
          </button>
        </form>
        <button type="button" class="button-secondary" aria-expanded={open} onClick={() => setOpen(!open)}>
          {t("webhooks.log", { name: endpoint.description || endpoint.url })}
        </button>
      </div>
      {open && <DeliveryLog endpoint={endpoint} />}
    </li>
  );
}

function DeliveryLog({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { t, date } = useT();
  const log = useLoad(() => webhooks.log(endpoint.id), [endpoint.id]);
  const title = `log-${endpoint.id}`;
  return (
    <section aria-labelledby={title}>
      <h4 id={title}>{t("webhooks.log.title")}</h4>
      <Pending load={log} />
      {log.data && log.data.deliveries.length === 0 && <p class="muted">{t("webhooks.log.empty")}</p>}
      {log.data && log.data.deliveries.length > 0 && (
        <table>
          <ColumnHeads columns={[
            "webhooks.log.when", "webhooks.log.type", "webhooks.log.state", "webhooks.log.attempts", "webhooks.log.last",
            "webhooks.log.action",
          ]} />
          <tbody>
            {log.data.deliveries.map((d) => (
              <DeliveryRow key={d.id} delivery={d} when={date(d.created_at)} onReplayed={log.reload} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function DeliveryRow({ delivery, when, onReplayed }: { delivery: WebhookDelivery; when: string; onReplayed: () => void }) {
  const { t } = useT();
  const replay = useSubmit(() => webhooks.replay(delivery.id), onReplayed);
  const last = delivery.log?.[delivery.log.length - 1];
  return (
    <tr>
      <td>{when}</td>
      <td><code>{delivery.type}</code></td>
      <td>{t(`webhooks.delivery.${delivery.state}` as MessageKey)}</td>
      <td>{delivery.attempts}</td>
      <td>{last ? (last.status ?? last.error ?? "") : ""}</td>
      <td>
        {(delivery.state === "delivered" || delivery.state === "failed") && (
          <form onSubmit={replay.submit}>
            <FormError error={replay.error} />
            <button type="submit" class="button-secondary" disabled={replay.sending}
                    aria-label={t("webhooks.replay.label", { id: delivery.id })}>
              {t("webhooks.replay")}
            </button>
          </form>
        )}
      </td>
    </tr>
  );
}
