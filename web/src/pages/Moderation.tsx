// The moderation queue (issue 13), for moderators: items members flagged, those hidden pending review first; uphold
// (hidden for a listed reason everyone reads) or dismiss (shown again), and the members proposed for a ban (the ban
// itself is the moderator's decision, through accounts' ban route).
import { useState } from "preact/hooks";
import { session } from "../api/client";
import { moderation, pageOf, REASONS, type BanProposal, type Reason, type Report } from "../api/moderation";
import { isModerator } from "../components/Flag";
import { ErrorNote, Field, FormError, NotAllowed, PageTitle, Pending, useLoad, useSubmit } from "../components/ui";
import { useT, type MessageKey } from "../i18n";
import { useStore } from "../store";

export function ModerationPage() {
  const { t } = useT();
  const user = useStore(session)?.user;
  const allowed = isModerator(user?.roles);
  const queue = useLoad(() => (allowed ? moderation.reports() : Promise.resolve(undefined)), [user?.id]);
  const proposals = useLoad(() => (allowed ? moderation.banProposals() : Promise.resolve(undefined)), [user?.id]);
  if (!allowed) return <NotAllowed title={t("moderation.title")} why={t("moderation.notAllowed")} />;
  const decided = () => (queue.reload(), proposals.reload());
  return (
    <>
      <PageTitle>{t("moderation.title")}</PageTitle>
      <p class="muted">{t("moderation.intro")}</p>
      <Pending load={queue} />
      {queue.data && queue.data.reports.length === 0 && <p class="muted">{t("moderation.empty")}</p>}
      <ul class="cards">
        {queue.data?.reports.map((report) => <ReportCard key={report.id} report={report} onDecided={decided} />)}
      </ul>
      <section aria-labelledby="proposals-title">
        <h2 id="proposals-title">{t("moderation.proposals")}</h2>
        {proposals.error ? <ErrorNote error={proposals.error} onRetry={proposals.reload} /> : null}
        {proposals.data && proposals.data.proposals.length === 0 && <p class="muted">{t("moderation.proposalsEmpty")}</p>}
        <ul class="cards">
          {proposals.data?.proposals.map((p) => <Proposal key={p.member_id} proposal={p} />)}
        </ul>
      </section>
    </>
  );
}

function ReportCard({ report, onDecided }: { report: Report; onDecided: () => void }) {
  const { t, date } = useT();
  const top = (Object.entries(report.reasons).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))[0]?.[0] ?? "abuse") as Reason;
  const [reason, setReason] = useState<Reason>(top);
  const [note, setNote] = useState("");
  const uphold = useSubmit(() => moderation.uphold(report, reason, note), onDecided);
  const dismiss = useSubmit(() => moderation.dismiss(report, note), onDecided);
  const words = report.item?.title ?? report.item?.text ?? null;
  const field = `note-${report.id}`;
  return (
    <li class="card">
      <h3>
        <a href={pageOf(report)}>{t(`moderation.kind.${report.kind}` as MessageKey)}{words ? `: ${words}` : ""}</a>
      </h3>
      {report.pending_review && <p class="badge">{t("moderation.pendingBadge")}</p>}
      {(report.item?.description ?? report.item?.body) && <p>{report.item?.description ?? report.item?.body}</p>}
      <p class="small muted">
        {t("moderation.flags", { count: report.flags })} ·{" "}
        {Object.entries(report.reasons).map(([r, n]) => `${t(`flag.reason.${r}` as MessageKey)} (${n})`).join(", ")} ·{" "}
        <time dateTime={report.first_flagged_at}>{date(report.first_flagged_at)}</time>
      </p>
      <form class="moderate" onSubmit={uphold.submit} noValidate aria-label={t("moderation.decide")}>
        <FormError error={uphold.error ?? dismiss.error} />
        <Field name={`reason-${report.id}`} label={t("moderation.upholdReason")} error={uphold.fieldError("reason")}>
          <select id={`field-reason-${report.id}`} name={`reason-${report.id}`} value={reason}
                  onChange={(event) => setReason(event.currentTarget.value as Reason)}>
            {REASONS.map((r) => (
              <option key={r} value={r}>{t(`flag.reason.${r}` as MessageKey)}</option>
            ))}
          </select>
        </Field>
        <Field name={field} label={t("moderation.note")} error={uphold.fieldError("note")}
               input={{ value: note, maxLength: 500, onInput: setNote }} />
        <p class="actions">
          <button type="submit" class="button-danger" disabled={uphold.sending || dismiss.sending}>
            {t("moderation.uphold")}
          </button>{" "}
          <button type="button" class="button" disabled={uphold.sending || dismiss.sending} onClick={dismiss.submit}>
            {t("moderation.dismiss")}
          </button>
        </p>
      </form>
    </li>
  );
}

function Proposal({ proposal }: { proposal: BanProposal }) {
  const { t, date } = useT();
  const [reason, setReason] = useState("");
  const [banned, setBanned] = useState(false);
  const form = useSubmit(() => moderation.ban(proposal.member_id, reason), () => setBanned(true));
  const name = proposal.display_name ?? t("moderation.someone", { id: proposal.member_id });
  return (
    <li class="card">
      <p>
        <strong>{name}</strong>: {t("moderation.upheldAbuse", { count: proposal.upheld_abuse })} ·{" "}
        <time dateTime={proposal.last_upheld_at}>{date(proposal.last_upheld_at)}</time>
      </p>
      {banned ? (
        <p role="status">{t("moderation.banned")}</p>
      ) : (
        <form class="moderate" onSubmit={form.submit} noValidate>
          <FormError error={form.error} />
          <Field name={`ban-${proposal.member_id}`} label={t("moderation.banReason")} error={form.fieldError("reason")}
                 input={{ value: reason, required: true, maxLength: 500, onInput: setReason }} />
          <button type="submit" class="button-danger" disabled={form.sending}>{t("moderation.ban")}</button>
        </form>
      )}
    </li>
  );
}
