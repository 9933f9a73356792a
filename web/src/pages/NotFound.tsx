import { PageTitle } from "../components/ui";
import { useT } from "../i18n";

export function NotFoundPage() {
  const { t } = useT();
  return (
    <>
      <PageTitle>{t("notFound.title")}</PageTitle>
      <p>
        <a href="/">{t("notFound.back")}</a>
      </p>
    </>
  );
}
