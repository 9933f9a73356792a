// Follow or unfollow an idea (signed in): its status changes reach the inbox. Voting, commenting or writing it
// follows it already, until the member says otherwise; unfollowing keeps the vote.
import { useState } from "preact/hooks";
import { session } from "../api/client";
import { ideas } from "../api/lab";
import { useT } from "../i18n";
import { useStore } from "../store";
import "./discovery.css";
import { ErrorNote, useLoad } from "./ui";

export function FollowButton({ ideaId }: { ideaId: string }) {
  const { t } = useT();
  const user = useStore(session)?.user;
  const choice = useLoad(() => (user ? ideas.followChoice(ideaId) : Promise.resolve(null)), [ideaId, user?.id]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  if (!user || !choice.data) return choice.error ? <ErrorNote error={choice.error} onRetry={choice.reload} /> : null;
  const following = choice.data.following === true;

  // Not `disabled` while sending: a disabled button loses the keyboard focus.
  const toggle = async () => {
    if (busy) return;
    setBusy(true);
    setFailure(null);
    try {
      choice.replace(await ideas.follow(ideaId, !following));
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="follow-box">
      {/* Its name says what it does (no aria-pressed: the name changes with the state). */}
      <button
        type="button"
        class={following ? "button-secondary" : "button"}
        aria-describedby="follow-state"
        aria-disabled={busy || undefined}
        onClick={toggle}
      >
        {following ? t("follow.unfollow") : t("follow.follow")}
      </button>
      <p id="follow-state" class="small" role="status">
        {following ? t("follow.following") : choice.data.following === false ? t("follow.stopped") : t("follow.none")}
      </p>
      {failure ? <ErrorNote error={failure} /> : null}
    </div>
  );
}
