import { t } from "@/lib/i18n";

const NAMES: Record<string, string> = { fr: "Français", en: "English" };

export function LanguageSwitch({ lang, entries }: { lang: string; entries: { locale: string; href: string; current: boolean }[] }) {
  return (
    <nav className="languages" aria-label={t(lang, "language")}>
      <ul>
        {entries.map((entry) => (
          <li key={entry.locale}>
            {entry.current ? (
              <span className="language language--current" aria-current="true" lang={entry.locale}>
                {NAMES[entry.locale] ?? entry.locale}
              </span>
            ) : (
              <a className="language" href={entry.href} hrefLang={entry.locale} lang={entry.locale}>
                {NAMES[entry.locale] ?? entry.locale}
              </a>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function Shell({
  lang,
  siteName,
  home,
  entries,
  children,
}: {
  lang: string;
  siteName: string;
  home: string;
  entries: { locale: string; href: string; current: boolean }[];
  children: React.ReactNode;
}) {
  return (
    <>
      <header className="site-header">
        <div className="site-header__inner">
          <a className="brand" href={home}>
            <svg className="brand__mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
              <circle cx="16" cy="16" r="15" fill="currentColor" opacity=".18" />
              <path d="M8 23V10l8 8 8-8v13" fill="none" stroke="currentColor" strokeWidth="3" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
            <span>{siteName}</span>
          </a>
          <LanguageSwitch lang={lang} entries={entries} />
        </div>
      </header>
      <main id="app" className="app">
        {children}
      </main>
      <footer className="site-footer">
        <p>Next.js — mmm-wagtail</p>
      </footer>
    </>
  );
}
