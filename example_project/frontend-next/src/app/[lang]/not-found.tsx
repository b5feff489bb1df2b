import { Shell } from "@/components/Chrome";
import { getSite } from "@/lib/api";
import { t } from "@/lib/i18n";

// The site's 404 (notFound() anywhere under a language). The language is not known here:
// the site's default one.
export default async function NotFound() {
  const site = await getSite();
  const lang = site.default_locale;
  const entries = site.languages.map((language) => ({
    locale: language.code,
    href: language.home.path ?? `/${language.code}/`,
    current: language.code === lang,
  }));
  return (
    <Shell lang={lang} siteName={site.name} home={`/${lang}/`} entries={entries}>
      <section className="status status--error">
        <h1 className="page-title">{t(lang, "notFound")}</h1>
        <p>{t(lang, "notFoundText")}</p>
        <p>
          <a href={`/${lang}/`}>{t(lang, "home")}</a>
        </p>
      </section>
    </Shell>
  );
}
