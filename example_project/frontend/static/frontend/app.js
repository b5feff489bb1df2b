// Reference headless frontend for mmm-wagtail: the delegations section, rendered from the JSON API alone.
//
// One request per screen: pages/find/?path= answers any public path with the page's whole payload, and
// meta.type says which renderer draws it. Routes are hashes holding that path (#/fr/delegations/onu/),
// so this shell needs no server-side routing.
//
// Security: nothing is inserted as HTML. Rich text (the landing intro and `paragraph` blocks) is asked
// for as Portable Text (rich_text_format=portable_text) and drawn node by node like every other string.
"use strict";

(() => {
  const config = document.body.dataset;
  const API = config.api || "/api/mmm/";
  const HOME = config.home || "/fr/delegations/";
  const app = document.getElementById("app");
  const languageNav = document.getElementById("languages");
  const brand = document.getElementById("brand");
  const apiDocs = document.querySelector("[data-i18n=apiDocs]");
  if (apiDocs) apiDocs.setAttribute("href", `${API}docs`);

  const STRINGS = {
    fr: {
      readMore: "Lire plus",
      loading: "Chargement…",
      languages: "Langues",
      skip: "Aller au contenu",
      breadcrumb: "Fil d’Ariane",
      home: "Délégations",
      news: "Actualités",
      moreNews: "Actualités plus anciennes",
      tags: "Mots-clés",
      subscribe: "S’abonner :",
      status: "Statut",
      locations: "Lieux",
      notFoundTitle: "Page introuvable",
      notFoundText: "Aucune page publiée n’existe à l’adresse",
      errorTitle: "Le contenu n’a pas pu être chargé",
      errorText: "L’API n’a pas répondu comme prévu",
      retry: "Réessayer",
      backHome: "Retour aux délégations",
      footer: "Rendu par le navigateur à partir de l’API JSON de mmm-wagtail",
      apiDocs: "documentation de l’API",
      noNews: "Pas encore d’actualité.",
    },
    en: {
      readMore: "Read more",
      loading: "Loading…",
      languages: "Languages",
      skip: "Skip to content",
      breadcrumb: "Breadcrumb",
      home: "Delegations",
      news: "News",
      moreNews: "Older news",
      tags: "Tags",
      subscribe: "Subscribe:",
      status: "Status",
      locations: "Locations",
      notFoundTitle: "Page not found",
      notFoundText: "No published page exists at",
      errorTitle: "The content could not be loaded",
      errorText: "The API did not answer as expected",
      retry: "Try again",
      backHome: "Back to the delegations",
      footer: "Rendered in the browser from the mmm-wagtail JSON API",
      apiDocs: "API documentation",
      noNews: "No news yet.",
    },
  };
  const t = (lang, key) => (STRINGS[lang] || STRINGS.en)[key];

  // --- DOM helpers: text only, never innerHTML ---------------------------------------------------

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat(Infinity)) {
      if (child !== null && child !== undefined && child !== false && child !== "") node.append(child);
    }
    return node;
  }

  let uid = 0;
  const nextId = (prefix) => `${prefix}-${++uid}`;

  // A public page URL (absolute, on the Wagtail site's host) becomes a route of this frontend.
  function routeOf(url) {
    return "#" + new URL(url, window.location.href).pathname;
  }

  // --- Rich text: Portable Text nodes (https://portabletext.org) as DOM ---------------------------------

  const DECORATORS = {
    strong: "strong",
    em: "em",
    code: "code",
    underline: "u",
    "strike-through": "s",
    sub: "sub",
    sup: "sup",
  };
  const STYLES = { normal: "p", h1: "h1", h2: "h2", h3: "h3", h4: "h4", h5: "h5", h6: "h6" };

  function markElement(mark, defs) {
    const def = defs[mark];
    // A link to a page of the site becomes a route of this frontend; documents and external links do not.
    if (def && def._type === "pageLink") return el("a", { href: routeOf(def.href) });
    if (def) return el("a", { href: def.href });
    return el(DECORATORS[mark] || "span");
  }

  // A block's spans; marks shared by neighbouring spans stay one element (one link, not one per span).
  function inline(block) {
    const defs = Object.fromEntries((block.markDefs || []).map((def) => [def._key, def]));
    const root = el("span");
    const open = [{ mark: null, node: root }];
    for (const span of block.children || []) {
      const marks = span.marks || [];
      let kept = 1;
      while (kept < open.length && marks.includes(open[kept].mark)) kept += 1;
      open.length = kept;
      for (const mark of marks) {
        if (open.some((entry) => entry.mark === mark)) continue;
        const node = markElement(mark, defs);
        open[open.length - 1].node.append(node);
        open.push({ mark, node });
      }
      const target = open[open.length - 1].node;
      span.text.split("\n").forEach((part, index) => {
        if (index) target.append(el("br"));
        if (part) target.append(part);
      });
    }
    return [...root.childNodes];
  }

  function richText(nodes, className = "rich-text") {
    const container = el("div", { class: className });
    let lists = []; // the open lists, outermost first: {tag, level, node, item}
    for (const node of nodes || []) {
      if (node._type === "block" && node.listItem) {
        const level = node.level || 1;
        const tag = node.listItem === "number" ? "ol" : "ul";
        const top = () => lists[lists.length - 1];
        while (lists.length && (top().level > level || (top().level === level && top().tag !== tag))) lists.pop();
        while (!lists.length || top().level < level) {
          const list = el(tag);
          (lists.length ? top().item || top().node : container).append(list);
          lists.push({ tag, level: lists.length ? top().level + 1 : 1, node: list, item: null });
        }
        top().item = el("li", {}, inline(node));
        top().node.append(top().item);
        continue;
      }
      lists = [];
      if (node._type === "block" && node.style === "blockquote") {
        container.append(el("blockquote", {}, el("p", {}, inline(node))));
      } else if (node._type === "block") {
        container.append(el(STYLES[node.style] || "p", {}, inline(node)));
      } else if (node._type === "image") {
        container.append(picture({ ...node.image, alt: node.alt }, "(min-width: 48rem) 46rem, 100vw"));
      } else if (node._type === "embed") {
        container.append(el("p", { class: "embed" }, el("a", { href: node.url }, node.title || node.url)));
      } // another node type: a newer API than this frontend; left out
    }
    return container;
  }

  // Any size the site allows, from the image's signed URL template (docs/api.md, "Any size of an
  // image"): its allowed widths, cropped around the editor's focal point when `ratio` ("16:9") is one
  // of the site's, in WebP when the site serves it. Null when the site offers no size of this image.
  function sizedSrcset(image, ratio) {
    const s = image.sizes;
    if (!s || !s.widths.length) return null;
    const crop = ratio && s.ratios.includes(ratio) ? ratio.split(":").map(Number) : null;
    const format = s.formats.includes("webp") ? "|format-webp" : "";
    return s.widths
      .map((w) => {
        const shape = crop ? `fill-${w}x${Math.round((w * crop[1]) / crop[0])}` : `width-${w}`;
        return `${s.template.replace("{filter}", encodeURIComponent(shape + format))} ${w}w`;
      })
      .join(", ");
  }

  function picture(image, sizes, className, ratio) {
    if (!image) return null;
    const srcset = sizedSrcset(image, ratio) || image.srcset || null;
    const crop = ratio && image.sizes && image.sizes.ratios.includes(ratio) ? ratio.split(":").map(Number) : null;
    return el("img", {
      class: className,
      src: image.url,
      srcset,
      sizes: srcset ? sizes : null,
      alt: image.alt || "",
      width: image.width,
      // The crop's proportions, so the page keeps its room before the image arrives.
      height: crop ? Math.round((image.width * crop[1]) / crop[0]) : image.height,
      loading: "lazy",
    });
  }

  // --- Components --------------------------------------------------------------------------------

  // A news card; `level` keeps the headings in order wherever the card sits.
  function card(item, lang, level) {
    const titleId = nextId("card");
    const href = routeOf(item.meta.html_url);
    return el(
      "article",
      { class: "card", "data-id": item.id },
      picture(item.image, "(min-width: 60rem) 20rem, 100vw", "card__image", "16:9"),
      el(`h${level}`, { class: "card__title", id: titleId }, item.title),
      el("time", { class: "card__date", datetime: item.date }, item.date_display),
      el(
        "p",
        { class: "card__excerpt" },
        item.dateline ? el("span", { class: "card__dateline" }, item.dateline) : null,
        item.dateline ? " – " : null,
        item.excerpt,
      ),
      el("a", { class: "card__more", href, "aria-describedby": titleId }, t(lang, "readMore")),
    );
  }

  function cards(items, lang, level) {
    if (!items || !items.length) return el("p", { class: "muted" }, t(lang, "noNews"));
    return el("div", { class: "cards" }, items.map((item) => card(item, lang, level)));
  }

  // A delegation's older news, a page per click: each click follows the listing's `next` link, a
  // keyset cursor (the same cost at any depth; nothing skipped or repeated while news are published).
  function moreNews(delegationId, shown, lang, level) {
    const seen = new Set((shown || []).map((item) => item.id));
    const list = el("div", { class: "cards" });
    const button = el("button", { class: "button more-news__button", type: "button" }, t(lang, "moreNews"));
    let next = `${API}news/?delegation=${delegationId}&locale=${encodeURIComponent(lang)}&limit=6`;
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        const page = await getJSON(next);
        // The first page repeats the latest news already on the page.
        list.append(...page.items.filter((item) => !seen.has(item.id)).map((item) => card(item, lang, level)));
        page.items.forEach((item) => seen.add(item.id));
        next = page.next;
      } catch (error) {
        list.append(el("p", { class: "status status--error", role: "alert" }, t(lang, "errorText")));
      }
      button.disabled = false;
      if (!next) button.remove();
    });
    return el("div", { class: "more-news" }, list, button);
  }

  function feedLinks(feeds, lang) {
    if (!feeds) return null;
    const links = [
      ["RSS", feeds.rss],
      ["Atom", feeds.atom],
      ["JSON Feed", feeds.json],
    ].filter(([, url]) => url);
    return el(
      "p",
      { class: "subscribe" },
      t(lang, "subscribe"),
      " ",
      links.map(([name, url], index) => [index ? " · " : "", el("a", { href: url }, name)]),
    );
  }

  function feedSection(feed, heading, lang, level = 2) {
    if (!feed) return null;
    const headingId = nextId("feed");
    return el(
      "section",
      { class: "feed", "aria-labelledby": headingId, "data-slug": feed.slug },
      el(`h${level}`, { class: "section-title", id: headingId }, heading || feed.title),
      feed.intro ? el("p", { class: "lead" }, feed.intro) : null,
      cards(feed.items, lang, level + 1),
      feedLinks(feed.meta && feed.meta.feeds, lang),
    );
  }

  // One StreamField block; `level` is the heading level a block's own heading takes.
  function block(b, lang, level) {
    const v = b.value;
    switch (b.type) {
      case "paragraph":
        return richText(v);
      case "heading":
        return el(/^h[2-6]$/.test(v.level) ? v.level : "h2", { class: "block-heading" }, v.text);
      case "quote":
        return el(
          "figure",
          { class: "quote" },
          el("blockquote", {}, el("p", {}, v.quote)),
          v.attribution ? el("figcaption", {}, v.attribution) : null,
        );
      case "image":
        if (!v.image) return null;
        return el(
          "figure",
          { class: "figure" },
          picture({ ...v.image, alt: v.alt }, "(min-width: 48rem) 46rem, 100vw"),
          v.caption ? el("figcaption", {}, v.caption) : null,
        );
      case "embed":
        // The oEmbed HTML is the provider's markup, not Wagtail's: link to the media instead.
        return el("p", { class: "embed" }, el("a", { href: v.url }, v.title || v.url));
      case "document":
        if (!v.document) return null;
        return el(
          "p",
          { class: "document" },
          el("a", { href: v.document.url }, v.title || v.document.title),
          v.document.file_extension ? ` (${v.document.file_extension.toUpperCase()})` : null,
        );
      case "call_to_action":
        if (!v.url) return null;
        return el(
          "p",
          {},
          el("a", { class: "button", href: v.page ? routeOf(v.url) : v.url }, v.text || (v.page && v.page.title)),
        );
      case "news_feed":
        return feedSection(v.feed, v.heading, lang, level);
      default:
        return null; // a block type this frontend does not know yet
    }
  }

  const body = (blocks, lang, level = 2) => (blocks || []).map((b) => block(b, lang, level));

  function breadcrumb(lang, trail) {
    return el(
      "nav",
      { class: "breadcrumb", "aria-label": t(lang, "breadcrumb") },
      el(
        "ol",
        {},
        trail.map(([label, href]) => el("li", {}, href ? el("a", { href }, label) : el("span", { "aria-current": "page" }, label))),
      ),
    );
  }

  // The parent path of a page path: /fr/delegations/onu/x/ -> /fr/delegations/onu/
  const parentPath = (path) => path.replace(/[^/]+\/$/, "");
  const pathOf = (page) => new URL(page.meta.html_url, window.location.href).pathname;

  // --- Page renderers ----------------------------------------------------------------------------

  function renderLanding(page, lang) {
    return [
      el(
        "header",
        { class: "hero" },
        el("h1", { class: "page-title", tabindex: "-1" }, page.title),
        richText(page.intro, "rich-text lead"),
      ),
      el(
        "div",
        { class: "delegations" },
        (page.delegations || []).map((d) => {
          const headingId = nextId("delegation");
          return el(
            "section",
            { class: "delegation", "aria-labelledby": headingId, "data-acronym": d.acronym },
            el(
              "div",
              { class: "delegation__intro" },
              el("p", { class: "badge" }, d.acronym),
              el("h2", { class: "delegation__title", id: headingId }, el("a", { href: routeOf(d.meta.html_url) }, d.title)),
              el("p", { class: "delegation__summary" }, d.summary),
              d.news_heading ? el("h3", { class: "delegation__news-heading" }, d.news_heading) : null,
              d.news_intro ? el("p", { class: "muted" }, d.news_intro) : null,
            ),
            cards(d.latest_news, lang, d.news_heading ? 4 : 3),
          );
        }),
      ),
      feedSection(page.news_feed, null, lang),
      body(page.body, lang),
    ];
  }

  function renderDelegation(page, lang) {
    const path = pathOf(page);
    const facts = [
      [t(lang, "status"), page.status],
      [t(lang, "locations"), page.locations],
    ].filter(([, value]) => value);
    return [
      breadcrumb(lang, [
        [t(lang, "home"), "#" + parentPath(path)],
        [page.title, null],
      ]),
      el(
        "header",
        { class: "hero" },
        el("p", { class: "badge" }, page.acronym),
        el("h1", { class: "page-title", tabindex: "-1" }, page.title),
        el("p", { class: "organisation" }, page.organisation),
        facts.length ? el("dl", { class: "facts" }, facts.map(([term, value]) => [el("dt", {}, term), el("dd", {}, value)])) : null,
        el("p", { class: "lead" }, page.summary),
      ),
      body(page.body, lang),
      el(
        "section",
        { class: "feed", "aria-labelledby": "delegation-news" },
        el("h2", { class: "section-title", id: "delegation-news" }, page.news_heading || t(lang, "news")),
        page.news_intro ? el("p", { class: "muted" }, page.news_intro) : null,
        cards(page.latest_news, lang, 3),
        page.latest_news && page.latest_news.length ? moreNews(page.id, page.latest_news, lang, 3) : null,
        feedLinks(page.meta.feeds, lang),
      ),
    ];
  }

  function renderNews(page, lang) {
    const path = pathOf(page);
    const delegation = page.delegations && page.delegations[0];
    const trail = [[t(lang, "home"), "#" + parentPath(parentPath(path))]];
    if (delegation) trail.push([delegation.title, "#" + parentPath(path)]);
    trail.push([page.title, null]);
    return [
      breadcrumb(lang, trail),
      el(
        "article",
        { class: "news" },
        el(
          "header",
          { class: "news__header" },
          el("h1", { class: "page-title", tabindex: "-1" }, page.title),
          el(
            "p",
            { class: "news__meta" },
            el("time", { datetime: page.date }, page.date_display),
            page.dateline ? [" · ", el("span", { class: "news__dateline" }, page.dateline)] : null,
            (page.delegations || []).length
              ? [" · ", page.delegations.map((d, index) => [index ? ", " : "", el("span", { class: "badge badge--small" }, d.acronym || d.title)])]
              : null,
          ),
        ),
        picture(page.image, "(min-width: 48rem) 46rem, 100vw", "news__image"),
        // One rule (docs/templates.md): a news item without a body shows its excerpt in the body's place.
        el(
          "div",
          { class: "news__body" },
          (page.body || []).length ? body(page.body, lang) : page.excerpt ? el("p", { class: "news__lead" }, page.excerpt) : null,
        ),
        page.tags && page.tags.length
          ? el(
              "footer",
              { class: "news__tags" },
              el("h2", { class: "visually-hidden" }, t(lang, "tags")),
              el("ul", { class: "tags" }, page.tags.map((tag) => el("li", { "data-slug": tag.slug }, tag.name))),
            )
          : null,
      ),
    ];
  }

  const RENDERERS = {
    "mmm_wagtail.DelegationIndexPage": renderLanding,
    "mmm_wagtail.DelegationPage": renderDelegation,
    "mmm_wagtail.NewsPage": renderNews,
    "mmm_wagtail.NewsFeed": (feed, lang) => feedSection(feed, null, lang, 1),
  };

  // --- Preview: Wagtail's "Headless frontend" preview mode opens this page with ?content_type=…&token=…
  // (wagtail-headless-preview's parameters). The page shows the editor's unsaved state from the API's
  // preview/ endpoint instead of a published page. While the editor types, mmm-wagtail's editor script
  // posts {type: "mmm-wagtail:preview", content_type, token} to this page (postMessage) for each update:
  // one fetch of preview/ with the new token, rendered in place (no reload, no loading state, the
  // reader's scroll position kept). Without this listener Wagtail reloads the page with the new token.
  const query = new URLSearchParams(window.location.search);
  let preview = query.get("token") && query.get("content_type")
    ? { content_type: query.get("content_type"), token: query.get("token") }
    : null;

  window.addEventListener("message", (event) => {
    // Only the page that framed us (Wagtail's admin, same origin as the API here) may switch the preview.
    if (event.origin !== window.location.origin) return;
    const data = event.data || {};
    if (data.type !== "mmm-wagtail:preview" || !data.token || !data.content_type) return;
    preview = { content_type: data.content_type, token: data.token };
    show({ inPlace: true });
  });

  function sourceURL(path) {
    const format = "rich_text_format=portable_text";
    if (!preview) return `${API}pages/find/?path=${encodeURIComponent(path)}&${format}`;
    return `${API}preview/?${new URLSearchParams(preview)}&${format}`;
  }

  // --- Chrome: language, switcher, states -------------------------------------------------------

  function languageName(code) {
    try {
      const name = new Intl.DisplayNames([code], { type: "language" }).of(code);
      return name.charAt(0).toLocaleUpperCase(code) + name.slice(1);
    } catch {
      return code.toUpperCase();
    }
  }

  function setLanguage(lang) {
    document.documentElement.lang = lang;
    languageNav.setAttribute("aria-label", t(lang, "languages"));
    for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(lang, node.dataset.i18n);
  }

  function renderLanguages(page) {
    const current = page.meta.locale;
    const entries = [{ locale: current, current: true }, ...(page.translations || [])];
    entries.sort((a, b) => a.locale.localeCompare(b.locale));
    languageNav.replaceChildren(
      el(
        "ul",
        {},
        entries.map((entry) =>
          el(
            "li",
            {},
            entry.current
              ? el("span", { class: "language language--current", "aria-current": "true", lang: entry.locale }, languageName(entry.locale))
              : el(
                  "a",
                  { class: "language", href: routeOf(entry.html_url), hreflang: entry.locale, lang: entry.locale, title: entry.title },
                  languageName(entry.locale),
                ),
          ),
        ),
      ),
    );
  }

  const languageOfPath = (path) => {
    const prefix = path.split("/")[1];
    return STRINGS[prefix] ? prefix : document.documentElement.lang || "fr";
  };

  function renderProblem(lang, path, problem) {
    const title = problem.notFound ? t(lang, "notFoundTitle") : t(lang, "errorTitle");
    document.title = `${title} — Make Mothers Matter`;
    app.replaceChildren(
      el(
        "section",
        { class: problem.notFound ? "problem problem--not-found" : "problem problem--error", role: problem.notFound ? null : "alert" },
        el("h1", { class: "page-title", tabindex: "-1" }, title),
        problem.notFound
          ? el("p", {}, `${t(lang, "notFoundText")} `, el("code", {}, path), ".")
          : el("p", {}, `${t(lang, "errorText")} (${problem.detail}).`),
        problem.notFound ? null : el("p", {}, el("button", { type: "button", class: "button", "data-action": "retry" }, t(lang, "retry"))),
        el("p", {}, el("a", { href: "#" + HOME.replace(/^\/[^/]+\//, `/${lang}/`) }, t(lang, "backHome"))),
      ),
    );
    const retry = app.querySelector("[data-action=retry]");
    if (retry) retry.addEventListener("click", () => show());
  }

  class ApiError extends Error {
    constructor(status, payload) {
      const messages = ((payload && payload.errors) || []).map((e) => `${e.parameter}: ${e.message}`);
      super(messages.join("; ") || `HTTP ${status}`);
      this.status = status;
    }
  }

  async function getJSON(url, signal) {
    const response = await fetch(url, { headers: { Accept: "application/json" }, signal });
    const payload = await response.json().catch(() => null);
    if (!response.ok) throw new ApiError(response.status, payload);
    if (payload === null) throw new ApiError(response.status, null);
    return payload;
  }

  // --- Router ------------------------------------------------------------------------------------

  let inFlight = null;
  let rendered = false;

  function currentPath() {
    const hash = decodeURIComponent(window.location.hash.slice(1));
    if (!hash.startsWith("/")) return HOME;
    return hash.endsWith("/") ? hash : `${hash}/`;
  }

  // inPlace: the same page again (a preview update), so no loading state and no move of focus or scroll.
  async function show({ inPlace = false } = {}) {
    const path = currentPath();
    if (inFlight) inFlight.abort(); // a slower answer for the previous route must not win
    const controller = new AbortController();
    inFlight = controller;
    const lang = languageOfPath(path);
    app.setAttribute("aria-busy", "true");
    // Only show the loading state if the answer takes long enough to notice.
    const slow = inPlace
      ? null
      : setTimeout(() => {
          app.replaceChildren(el("p", { class: "status status--loading" }, t(lang, "loading")));
        }, rendered ? 250 : 0);
    try {
      const page = await getJSON(sourceURL(path), controller.signal);
      clearTimeout(slow);
      const pageLang = page.meta.locale;
      setLanguage(pageLang);
      document.title = `${preview ? "[Preview] " : ""}${page.title} — Make Mothers Matter`;
      document.body.toggleAttribute("data-preview", Boolean(preview));
      brand.setAttribute("href", "#" + HOME.replace(/^\/[^/]+\//, `/${pageLang}/`));
      const render = RENDERERS[page.meta.type];
      app.replaceChildren(
        ...[render ? render(page, pageLang) : el("h1", { class: "page-title", tabindex: "-1" }, page.title)]
          .flat(Infinity)
          .filter(Boolean),
      );
      renderLanguages(page);
    } catch (error) {
      clearTimeout(slow);
      if (error.name === "AbortError") return;
      setLanguage(lang);
      languageNav.replaceChildren();
      renderProblem(lang, path, { notFound: error.status === 404, detail: error.message });
    } finally {
      if (inFlight === controller) {
        inFlight = null;
        app.removeAttribute("aria-busy");
      }
    }
    // After a navigation, move the focus to the new page's title so screen readers announce it.
    if (rendered && !inPlace) {
      const heading = app.querySelector("h1");
      if (heading) heading.focus({ preventScroll: true });
      window.scrollTo(0, 0);
    }
    rendered = true;
  }

  // The skip link moves the focus without replacing the route held in the hash.
  document.querySelector(".skip-link").addEventListener("click", (event) => {
    event.preventDefault();
    app.focus();
  });

  window.addEventListener("hashchange", () => {
    // Only "#/…" hashes are routes (a hand-typed "#app" is the skip link's target).
    if (window.location.hash.startsWith("#/")) {
      preview = null; // following a link leaves the preview for the published site
      show();
    }
  });
  show();
})();
