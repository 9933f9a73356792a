// Sharing an idea or a contest entry (issue 12): the browser's own share sheet where it has one, and plain links to
// the common networks and email. They are only links: the lab loads nothing from those networks, and what they
// show of the page is the preview the server put in it (ideas.share), never more than an anonymous reader sees.
import { useState } from "preact/hooks";
import { brand } from "../brand";
import { useT } from "../i18n";
import { useStore } from "../store";

export interface ShareLink {
  network: string;
  href: string;
}

/** The networks' own share addresses for a page, and an email with its title and link. */
export function shareLinks(url: string, title: string, emailBody: string): ShareLink[] {
  const u = encodeURIComponent(url);
  const text = encodeURIComponent(title);
  return [
    { network: "X", href: `https://twitter.com/intent/tweet?url=${u}&text=${text}` },
    { network: "Facebook", href: `https://www.facebook.com/sharer/sharer.php?u=${u}` },
    { network: "LinkedIn", href: `https://www.linkedin.com/sharing/share-offsite/?url=${u}` },
    { network: "WhatsApp", href: `https://wa.me/?text=${encodeURIComponent(`${title} ${url}`)}` },
    { network: "email", href: `mailto:?subject=${text}&body=${encodeURIComponent(emailBody)}` },
  ];
}

export function Share({ path, title }: { path: string; title: string }) {
  const { t } = useT();
  const lab = useStore(brand);
  const [failed, setFailed] = useState(false);
  const url = new URL(path, window.location.origin).href;
  const links = shareLinks(url, title, t("share.emailBody", { lab: lab.name, url }));
  const native = typeof navigator.share === "function";
  const openSheet = async () => {
    try {
      await navigator.share({ title, url });
    } catch (error) {
      // Closing the sheet is no failure; anything else leaves the plain links below to use.
      setFailed(!(error instanceof DOMException && error.name === "AbortError"));
    }
  };
  return (
    <section class="share" aria-labelledby="share-title">
      <h2 id="share-title" class="share-title">{t("share.title")}</h2>
      {native && !failed && (
        <button type="button" class="button-secondary" onClick={openSheet}>
          {t("share.native")}
        </button>
      )}
      <ul class="share-links">
        {links.map((link) => (
          <li key={link.network}>
            {link.network === "email" ? (
              <a href={link.href}>{t("share.email")}</a>
            ) : (
              <a href={link.href} target="_blank" rel="noopener noreferrer">
                {t("share.on", { network: link.network })}
              </a>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
