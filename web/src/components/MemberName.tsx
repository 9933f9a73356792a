// A member's name with their level beside it, linked to their profile (issue 14). The names a page shows are asked
// for together: every MemberName rendered in the same moment joins one request.
import { useEffect, useState } from "preact/hooks";
import { community, type MemberName as Named } from "../api/community";
import { useT } from "../i18n";
import { LevelBadge } from "./Level";

const known = new Map<string, Promise<Named | null>>();
let waiting: { id: string; resolve: (found: Named | null) => void }[] = [];

function flush() {
  const batch = waiting;
  waiting = [];
  for (let i = 0; i < batch.length; i += 100) {
    const part = batch.slice(i, i + 100);
    community.names(part.map((w) => w.id)).then(
      ({ members }) => part.forEach((w) => w.resolve(members.find((m) => m.member_id === w.id) ?? null)),
      () => part.forEach((w) => { known.delete(w.id); w.resolve(null); }), // asked again on the next page
    );
  }
}

export function nameOf(id: string): Promise<Named | null> {
  let found = known.get(id);
  if (!found) {
    found = new Promise((resolve) => {
      if (waiting.length === 0) setTimeout(flush, 0);
      waiting.push({ id, resolve });
    });
    known.set(id, found);
  }
  return found;
}

/** `fallback` until the name is known, or when it is not (a deleted account). */
export function MemberName({ id, fallback }: { id: string | null; fallback: string }) {
  const [named, setNamed] = useState<Named | null>(null);
  useEffect(() => {
    let current = true;
    if (id) nameOf(id).then((found) => current && setNamed(found));
    return () => {
      current = false;
    };
  }, [id]);
  if (!id || !named) return <>{fallback}</>;
  return (
    <>
      <a href={`/members/${encodeURIComponent(id)}`}>{named.display_name}</a> <LevelBadge level={named.level} />
    </>
  );
}

/** Staff: mark a comment helpful (its author earns points), or take the mark back; everyone sees the mark. */
export function HelpfulMark({ ideaId, commentId, helpful, staff }: { ideaId: string; commentId: string;
  helpful: boolean; staff: boolean }) {
  const { t } = useT();
  const [marked, setMarked] = useState(helpful);
  const [sending, setSending] = useState(false);
  const toggle = async () => {
    setSending(true);
    try {
      setMarked((await community.markHelpful(ideaId, commentId, !marked)).helpful);
    } finally {
      setSending(false);
    }
  };
  return (
    <>
      {marked && <span class="badge badge-helpful">{t("community.helpful")}</span>}
      {staff && (
        <button type="button" class="link" aria-pressed={marked} disabled={sending} onClick={toggle}>
          {t("community.markHelpful")}
        </button>
      )}
    </>
  );
}
