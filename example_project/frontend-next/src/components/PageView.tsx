import type { DelegationDetail, DelegationIndex, NewsDetail } from "@/client";
import { type Page, isIndex, isNews } from "@/lib/api";
import { t } from "@/lib/i18n";
import { routeOf } from "@/lib/routes";

import { Body, Cards, FeedLinksList, FeedSection, Picture, RichText } from "./Blocks";

const parentPath = (path: string) => path.replace(/[^/]+\/$/, "");
const pathOf = (url: string | null) => routeOf(url).split("?")[0] ?? "/";

function Breadcrumb({ lang, trail }: { lang: string; trail: [string, string | null][] }) {
  return (
    <nav className="breadcrumb" aria-label={t(lang, "breadcrumb")}>
      <ol>
        {trail.map(([label, href]) => (
          <li key={label}>{href ? <a href={href}>{label}</a> : <span aria-current="page">{label}</span>}</li>
        ))}
      </ol>
    </nav>
  );
}

function Landing({ page, lang }: { page: DelegationIndex; lang: string }) {
  return (
    <>
      <header className="hero">
        <h1 className="page-title">{page.title}</h1>
        <RichText value={page.intro} className="rich-text lead" />
      </header>
      <div className="delegations">
        {page.delegations.map((d) => (
          <section className="delegation" aria-labelledby={`delegation-${d.id}`} data-acronym={d.acronym} key={d.id}>
            <div className="delegation__intro">
              <p className="badge">{d.acronym}</p>
              <h2 className="delegation__title" id={`delegation-${d.id}`}>
                <a href={routeOf(d.meta.html_url)}>{d.title}</a>
              </h2>
              <p className="delegation__summary">{d.summary}</p>
              {d.news_heading ? <h3 className="delegation__news-heading">{d.news_heading}</h3> : null}
              {d.news_intro ? <p className="muted">{d.news_intro}</p> : null}
            </div>
            <Cards items={d.latest_news} lang={lang} level={d.news_heading ? 4 : 3} />
          </section>
        ))}
      </div>
      <FeedSection feed={page.news_feed} lang={lang} />
      <Body blocks={page.body} lang={lang} />
    </>
  );
}

function Delegation({ page, lang }: { page: DelegationDetail; lang: string }) {
  const path = pathOf(page.meta.html_url);
  const facts = [
    [t(lang, "status"), page.status],
    [t(lang, "locations"), page.locations],
  ].filter(([, value]) => value);
  return (
    <>
      <Breadcrumb
        lang={lang}
        trail={[
          [t(lang, "home"), parentPath(path)],
          [page.title, null],
        ]}
      />
      <header className="hero">
        <p className="badge">{page.acronym}</p>
        <h1 className="page-title">{page.title}</h1>
        <p className="organisation">{page.organisation}</p>
        {facts.length ? (
          <dl className="facts">
            {facts.map(([term, value]) => (
              <div key={term}>
                <dt>{term}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        ) : null}
        <p className="lead">{page.summary}</p>
      </header>
      <Body blocks={page.body} lang={lang} />
      <section className="feed" aria-labelledby="delegation-news">
        <h2 className="section-title" id="delegation-news">
          {page.news_heading || t(lang, "news")}
        </h2>
        {page.news_intro ? <p className="muted">{page.news_intro}</p> : null}
        <Cards items={page.latest_news} lang={lang} level={3} />
        <FeedLinksList feeds={page.meta.feeds} lang={lang} />
      </section>
    </>
  );
}

function News({ page, lang }: { page: NewsDetail; lang: string }) {
  const path = pathOf(page.meta.html_url);
  const delegation = page.delegations[0];
  const trail: [string, string | null][] = [[t(lang, "home"), parentPath(parentPath(path))]];
  if (delegation) trail.push([delegation.title, parentPath(path)]);
  trail.push([page.title, null]);
  return (
    <>
      <Breadcrumb lang={lang} trail={trail} />
      <article className="news">
        <header className="news__header">
          <h1 className="page-title">{page.title}</h1>
          <p className="news__meta">
            <time dateTime={page.date}>{page.date_display}</time>
            {page.dateline ? (
              <>
                {" · "}
                <span className="news__dateline">{page.dateline}</span>
              </>
            ) : null}
            {page.delegations.length ? " · " : null}
            {page.delegations.map((d, index) => (
              <span key={d.id}>
                {index ? ", " : ""}
                <span className="badge badge--small">{d.acronym || d.title}</span>
              </span>
            ))}
          </p>
        </header>
        <Picture image={page.image} sizes="(min-width: 48rem) 46rem, 100vw" className="news__image" />
        <div className="news__body">
          <Body blocks={page.body} lang={lang} />
        </div>
        {page.tags.length ? (
          <footer className="news__tags">
            <ul className="tags">
              {page.tags.map((tag) => (
                <li key={tag.slug} data-slug={tag.slug}>
                  <a href={`/${lang}/tags/${encodeURIComponent(tag.slug)}/`}>{tag.name}</a>
                </li>
              ))}
            </ul>
          </footer>
        ) : null}
      </article>
    </>
  );
}

export function PageView({ page }: { page: Page }) {
  const lang = page.meta.locale;
  if (isIndex(page)) return <Landing page={page} lang={lang} />;
  if (isNews(page)) return <News page={page} lang={lang} />;
  return <Delegation page={page} lang={lang} />;
}

/** The page's language versions, for the switch and hreflang. */
export function languagesOf(page: Page): { locale: string; href: string; current: boolean }[] {
  const entries = [
    { locale: page.meta.locale, href: pathOf(page.meta.html_url), current: true },
    ...page.translations.map((tr) => ({ locale: tr.locale, href: pathOf(tr.html_url), current: false })),
  ];
  return entries.sort((a, b) => a.locale.localeCompare(b.locale));
}
