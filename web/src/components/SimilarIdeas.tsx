// While a member types a new idea's title, the ideas like it already shared: one to back instead of posting it again.
// Asked once the typing pauses (debounced), and announced politely to screen readers.
import { useEffect, useMemo, useState } from "preact/hooks";
import { ideas, type Idea } from "../api/lab";
import { useT } from "../i18n";
import { debounce, worthSuggesting } from "./discovery";
import "./discovery.css";

export const SUGGEST_AFTER_MS = 350;

export function SimilarIdeas({ title }: { title: string }) {
  const { t } = useT();
  const [found, setFound] = useState<{ title: string; ideas: Idea[] }>({ title: "", ideas: [] });
  const asker = useMemo(
    () =>
      debounce((asked: string) => {
        ideas.similar(asked).then(
          (page) => setFound({ title: asked, ideas: page.ideas }),
          () => setFound({ title: asked, ideas: [] }), // suggestions are a help, never in the way
        );
      }, SUGGEST_AFTER_MS),
    [],
  );
  useEffect(() => {
    if (worthSuggesting(title)) asker.push(title.trim());
    else {
      asker.cancel();
      setFound({ title: "", ideas: [] });
    }
  }, [title, asker]);
  useEffect(() => () => asker.cancel(), [asker]);
  const shown = worthSuggesting(title) ? found.ideas.filter((idea) => idea.title) : [];

  return (
    <div aria-live="polite">
      {shown.length > 0 && (
        <section class="similar" aria-labelledby="similar-title">
          <h2 id="similar-title">{t("similar.title")}</h2>
          <p class="small">{t("similar.intro")}</p>
          <ul>
            {shown.map((idea) => (
              <li key={idea.id}>
                <a href={`/ideas/${encodeURIComponent(idea.id)}`} target="_blank" rel="noopener">
                  {idea.title}
                  <span class="visually-hidden"> ({t("similar.newTab")})</span>
                </a>{" "}
                <span class="small muted">{t("ideas.votes", { count: idea.vote_count })}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
