// What a contest entry shows besides an idea's text and image: its clip, played from the lab (range requests), or
// its link to a video hosted elsewhere, which stays a link (the lab loads nothing from outside); on the idea's own
// page, the contest and round it was entered in.
import type { Entry } from "../api/contests";
import { useT } from "../i18n";

export function EntryMedia({ entry, withContest = false }: { entry: Partial<Entry>; withContest?: boolean }) {
  const { t } = useT();
  const title = entry.title ?? "";
  return (
    <>
      {withContest && entry.contest && (
        <p class="small">
          <a href={`/contests/${encodeURIComponent(entry.contest.id)}`}>{t("entry.ofContest", { n: entry.contest.round })}</a>
        </p>
      )}
      {entry.video && (
        <video controls preload="metadata" src={entry.video.url} class="entry-video" aria-label={t("contest.videoOf", { title })} />
      )}
      {entry.video_link && (
        <p class="small">
          <a href={entry.video_link} rel="noopener noreferrer nofollow">{t("contest.videoLink", { title })}</a>
        </p>
      )}
    </>
  );
}
