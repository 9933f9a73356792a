// The community (issue 14): the leaderboards (the public lab's and each of my spaces', this week, this month, of
// all time) with each member's level beside their name, and a member's profile: level, points, ideas and comments,
// of what I may see.
import type { VNode } from "preact";
import { session } from "../api/client";
import { inLanguage } from "../api/campaigns";
import { community, PERIODS, type Launch, type Period } from "../api/community";
import { LevelBadge } from "../components/Level";
import { SpaceOptions } from "../components/SpaceOptions";
import { ColumnHeads, PageTitle, Pending, StatusBadge, useLoad } from "../components/ui";
import { useT } from "../i18n";
import { navigate, place } from "../router";
import { useStore } from "../store";
import "../components/community.css";

function isPeriod(value: string | null): value is Period {
  return PERIODS.includes(value as Period);
}

export function LeaderboardPage() {
  const { t, number } = useT();
  const { query } = useStore(place);
  const spaces = useStore(session)?.user.spaces ?? [];
  const period: Period = isPeriod(query.get("period")) ? (query.get("period") as Period) : "week";
  const space = query.get("space");
  const board = useLoad(() => community.leaderboard(period, space, 50), [period, space]);
  const go = (next: { period?: string; space?: string | null }) => {
    const params = new URLSearchParams({ period: next.period ?? period });
    const chosen = next.space === undefined ? space : next.space;
    if (chosen) params.set("space", chosen);
    navigate(`/leaderboard?${params}`);
  };
  return (
    <>
      <PageTitle>{t("community.title")}</PageTitle>
      <p>{t("community.intro")}</p>
      <div class="board-choice">
        <div class="field">
          <label for="board-period">{t("community.period")}</label>
          <select id="board-period" value={period} onChange={(e) => go({ period: e.currentTarget.value })}>
            {PERIODS.map((p) => (
              <option value={p} key={p}>{t(`community.period.${p}`)}</option>
            ))}
          </select>
        </div>
        {spaces.length > 0 && (
          <div class="field">
            <label for="board-space">{t("community.board")}</label>
            <select id="board-space" value={space ?? ""} onChange={(e) => go({ space: e.currentTarget.value || null })}>
              <SpaceOptions spaces={spaces} all={t("community.board.public")} />
            </select>
          </div>
        )}
      </div>
      {!board.data ? (
        <Pending load={board} />
      ) : board.data.entries.length === 0 ? (
        <p class="muted">{t("community.empty")}</p>
      ) : (
        <table class="leaderboard">
          <caption>{t(`community.caption.${period}`)}</caption>
          <ColumnHeads columns={["community.rank", "community.member", "community.points"]} />
          <tbody>
            {board.data.entries.map((entry) => (
              <tr key={entry.member_id}>
                <td>{number(entry.rank)}</td>
                <th scope="row">
                  <a href={`/members/${encodeURIComponent(entry.member_id)}`}>
                    {entry.display_name ?? t("comments.member")}
                  </a>{" "}
                  <LevelBadge level={entry.level} />
                </th>
                <td>{number(entry.points)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function ProfilePage({ id }: { id: string }) {
  const { t, date } = useT();
  const profile = useLoad(() => community.profile(id), [id]);
  if (!profile.data) return <Pending load={profile} />;
  const member = profile.data;
  return (
    <>
      <PageTitle>{member.display_name}</PageTitle>
      <p class="profile-level">
        <LevelBadge level={member.level.name} /> {t("community.pointsOf", { count: member.points })}
        {member.next_level && (
          <span class="muted">
            {" "}
            {t("community.toNext", { count: member.next_level.points - member.points, level: member.next_level.name })}
          </span>
        )}
      </p>
      <ProfileSection id="profile-ideas" title={t("community.ideas")} none={t("community.noIdeas")}>
        {member.ideas.map((idea) => (
          <li key={idea.id}>
            <a href={`/ideas/${encodeURIComponent(idea.id)}`}>{idea.title}</a> <StatusBadge status={idea.status} />{" "}
            <span class="muted">{t("community.votes", { count: idea.vote_count })}</span>
          </li>
        ))}
      </ProfileSection>
      <ProfileSection id="profile-comments" title={t("community.comments")} none={t("community.noComments")}>
        {member.comments.map((comment) => (
          <li key={comment.id}>
            <blockquote>{comment.text}</blockquote>
            <a href={`/ideas/${encodeURIComponent(comment.idea_id)}`}>{t("community.onIdea")}</a>{" "}
            <time class="muted" dateTime={comment.posted_at}>{date(comment.posted_at)}</time>
            {comment.helpful && <span class="badge badge-helpful">{t("community.helpful")}</span>}
          </li>
        ))}
      </ProfileSection>
      <p class="small muted">{t("community.profileNote")}</p>
    </>
  );
}

/** A part of a profile: its heading, then its items, or the word that there are none. */
function ProfileSection({ id, title, none, children }: { id: string; title: string; none: string; children: VNode[] }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children.length === 0 ? <p class="muted">{none}</p> : <ul class="profile-list">{children}</ul>}
    </section>
  );
}

/** For the product teams: every launch with its ratings (issue 14, the Crédit Agricole Store). */
export function LaunchesPage() {
  const { t, lang, number, date } = useT();
  const found = useLoad(() => community.launches(), []);
  const title = (launch: Launch) =>
    typeof launch.title === "string" ? launch.title : launch.title ? inLanguage(launch.title, lang) : launch.id;
  return (
    <>
      <PageTitle>{t("launches.title")}</PageTitle>
      {!found.data ? (
        <Pending load={found} />
      ) : found.data.launches.length === 0 ? (
        <p class="muted">{t("launches.none")}</p>
      ) : (
        <table class="leaderboard">
          <caption>{t("launches.caption")}</caption>
          <ColumnHeads columns={["launches.launch", "launches.launched", "launches.average", "launches.count"]} />
          <tbody>
            {found.data.launches.map((launch) => (
              <tr key={`${launch.kind}-${launch.id}`}>
                <th scope="row">
                  <a href={`/${launch.kind === "idea" ? "ideas" : "initiatives"}/${encodeURIComponent(launch.id)}`}>
                    {title(launch)}
                  </a>
                </th>
                <td><time dateTime={launch.launched_at}>{date(launch.launched_at)}</time></td>
                <td>{launch.average === null ? "—" : t("ratings.outOf", { count: launch.average })}</td>
                <td>{number(launch.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
