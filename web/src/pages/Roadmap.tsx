// The public roadmap: a column per status, each idea linking to its page.
import { roadmap, ROADMAP_COLUMNS } from "../api/lab";
import { ErrorNote, Loading, PageTitle, useLoad } from "../components/ui";
import { useT } from "../i18n";

export function RoadmapPage() {
  const { t, label, date } = useT();
  const board = useLoad(() => roadmap.columns(), []);
  const columns = board.data?.columns ?? {};
  const shown = ROADMAP_COLUMNS.filter((status) => status !== "duplicate" || columns[status]?.length);

  return (
    <>
      <PageTitle>{t("roadmap.title")}</PageTitle>
      <p>{t("roadmap.intro")}</p>
      {board.error ? <ErrorNote error={board.error} onRetry={board.reload} /> : null}
      {board.loading && !board.data && <Loading />}
      {board.data && (
        <div class="board">
          {shown.map((status) => (
            <section class={`column column-${status}`} aria-labelledby={`column-${status}`} key={status}>
              <h2 id={`column-${status}`}>
                {label("status", status)} <span class="muted">({(columns[status] ?? []).length})</span>
              </h2>
              {(columns[status] ?? []).length === 0 ? (
                <p class="muted small">{t("roadmap.empty")}</p>
              ) : (
                <ul>
                  {columns[status].map((item) => (
                    <li key={item.idea_id}>
                      <a href={`/ideas/${encodeURIComponent(item.idea_id)}`}>{item.title ?? item.idea_id}</a>
                      {item.updated_at && (
                        <span class="small muted">
                          {" "}
                          <time dateTime={item.updated_at}>{date(item.updated_at)}</time>
                        </span>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          ))}
        </div>
      )}
    </>
  );
}
