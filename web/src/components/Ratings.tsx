// Ratings of what was built (issue 14, the Crédit Agricole Store): a launched idea's or initiative's average and
// distribution, my rating (1 to 5 stars, a review if I like, editable), the reviews, and the moderators' hide and
// restore with a public reason.
import { useState } from "preact/hooks";
import { session } from "../api/client";
import { community, type Rating, type RatedKind, type Ratings } from "../api/community";
import { useT } from "../i18n";
import { useStore } from "../store";
import { Field, FormError, Pending, useLoad, useSubmit } from "./ui";
import "./community.css";

const STARS = [1, 2, 3, 4, 5];

function Stars({ stars }: { stars: number }) {
  const { t } = useT();
  return (
    <span class="stars">
      <span aria-hidden="true">{"★".repeat(stars) + "☆".repeat(5 - stars)}</span>
      <span class="visually-hidden">{t("ratings.outOf", { count: stars })}</span>
    </span>
  );
}

export function RatingsSection({ kind, id }: { kind: RatedKind; id: string }) {
  const { t, number } = useT();
  const user = useStore(session)?.user;
  const found = useLoad(() => community.ratings(kind, id), [kind, id, user?.id]);
  if (!found.data) return <Pending load={found} />;
  const { summary, mine, reviews } = found.data;
  const moderator = !!user?.roles.some((r) => r === "moderator" || r === "admin");
  return (
    <section class="ratings" aria-labelledby="ratings-title">
      <h2 id="ratings-title">{t("ratings.title")}</h2>
      {summary.count === 0 ? (
        <p class="muted">{t("ratings.none")}</p>
      ) : (
        <>
          <p class="ratings-average">
            {t("ratings.average", { average: number(summary.average ?? 0), count: summary.count })}
          </p>
          <ul class="distribution" aria-label={t("ratings.distribution")}>
            {[...STARS].reverse().map((stars) => {
              const count = summary.distribution[String(stars)] ?? 0;
              return (
                <li key={stars}>
                  <span class="distribution-label">{t("ratings.starsCount", { count: stars })}</span>
                  <span class="bar" aria-hidden="true">
                    <span style={{ width: `${(100 * count) / summary.count}%` }} />
                  </span>
                  <span>{number(count)}</span>
                </li>
              );
            })}
          </ul>
        </>
      )}
      {user?.roles.includes("member") ? (
        <RatingForm kind={kind} id={id} mine={mine} onRated={found.reload} />
      ) : (
        !user && <p><a href={`/sign-in?next=${encodeURIComponent(location.pathname)}`}>{t("ratings.signIn")}</a></p>
      )}
      {reviews.length > 0 && (
        <>
          <h3>{t("ratings.reviews")}</h3>
          <ul class="reviews">
            {reviews.map((review) => (
              <Review key={review.member_id} kind={kind} id={id} review={review} moderator={moderator}
                onModerated={found.reload} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function RatingForm({ kind, id, mine, onRated }: { kind: RatedKind; id: string; mine: Ratings["mine"];
  onRated: () => void }) {
  const { t } = useT();
  const [stars, setStars] = useState(mine?.stars ?? 0);
  const [review, setReview] = useState(mine?.review ?? "");
  const [saved, setSaved] = useState(false);
  const form = useSubmit(() => community.rate(kind, id, stars, review.trim() || null), () => {
    setSaved(true);
    onRated();
  });
  return (
    <form class="form rating-form" onSubmit={(e) => { setSaved(false); form.submit(e); }} noValidate>
      <FormError error={form.error} />
      <fieldset aria-describedby={form.fieldError("stars") ? "rating-stars-error" : undefined}>
        <legend>{mine ? t("ratings.yours") : t("ratings.rate")}</legend>
        <div class="star-choice">
          {STARS.map((n) => (
            <label key={n}>
              <input type="radio" name="stars" value={n} checked={stars === n} onChange={() => setStars(n)} />
              {t("ratings.starsCount", { count: n })}
            </label>
          ))}
        </div>
        {form.fieldError("stars") && <p class="field-error" id="rating-stars-error">{t("ratings.chooseStars")}</p>}
      </fieldset>
      <Field name="review" label={t("ratings.review")} hint={t("ratings.reviewHint")} multiline
        error={form.fieldError("review")} input={{ value: review, onInput: setReview, maxLength: 2000 }} />
      <button type="submit" class="button" disabled={form.sending}>{mine ? t("ratings.update") : t("ratings.send")}</button>
      {saved && <p class="note note-ok" role="status">{t("ratings.saved")}</p>}
    </form>
  );
}

function Review({ kind, id, review, moderator, onModerated }: { kind: RatedKind; id: string; review: Rating;
  moderator: boolean; onModerated: () => void }) {
  const { t, date } = useT();
  const [reason, setReason] = useState("");
  const action = review.hidden ? "restore" : "hide";
  const form = useSubmit(() => community.moderateReview(kind, id, review.member_id, action, reason), () => {
    setReason("");
    onModerated();
  });
  return (
    <li class="review">
      <Stars stars={review.stars} /> <time class="muted" dateTime={review.updated_at}>{date(review.updated_at)}</time>
      {review.hidden ? (
        <p class="muted">{t("ratings.hidden", { reason: review.hidden.reason })}</p>
      ) : null}
      {review.review !== null && <p>{review.review}</p>}
      {moderator && (
        <form class="moderate-review" onSubmit={form.submit} noValidate>
          <FormError error={form.error} />
          <Field name={`review-reason-${review.member_id}`} label={t(`ratings.${action}Reason`)}
            error={form.fieldError("reason")} input={{ value: reason, onInput: setReason, required: true }} />
          <button type="submit" class="button-secondary" disabled={form.sending}>{t(`ratings.${action}`)}</button>
        </form>
      )}
    </li>
  );
}
