// Reference headless frontend for mmm-wagtail: renders the delegations section from the JSON API only.
"use strict";

const API = window.MMM_API || "/api/mmm/";
const app = document.getElementById("app");
const READ_MORE = { fr: "Lire plus", en: "Read more" };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined) continue;
    if (key === "html") node.innerHTML = value; // trusted: rich text rendered by the API
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`${response.status} ${url}`);
  return response.json();
}

// Turn the API's html_url (the Wagtail site URL) into a frontend route.
function route(meta) {
  return "#" + new URL(meta.html_url, window.location.href).pathname;
}

function card(item, lang) {
  return el(
    "article",
    { class: "card", "data-id": item.id },
    el("time", { datetime: item.date }, item.date_display),
    el("h4", {}, el("a", { href: route(item.meta) }, item.title)),
    item.dateline ? el("p", { class: "dateline" }, item.dateline) : null,
    el("p", {}, item.excerpt),
    el("a", { class: "more", href: route(item.meta) }, READ_MORE[lang] || READ_MORE.en),
  );
}

function block(b) {
  const v = b.value;
  switch (b.type) {
    case "paragraph": return el("div", { html: v.html ?? v });
    case "heading": return el(v.level || "h2", {}, v.text);
    case "quote": return el("blockquote", {}, el("p", {}, v.quote), v.attribution ? el("footer", {}, v.attribution) : null);
    case "image": return v.image ? el("figure", {}, el("img", { src: v.image.url, srcset: v.image.srcset, alt: v.image.alt ?? v.alt_text ?? "", width: v.image.width, height: v.image.height }), v.caption ? el("figcaption", {}, v.caption) : null) : null;
    case "document": return v.document ? el("p", {}, el("a", { href: v.document.url }, v.title || v.document.title)) : null;
    case "call_to_action": return el("p", {}, el("a", { class: "more", href: v.page ? "#" + new URL(v.page.url, location.href).pathname : v.url }, v.text));
    case "embed": return el("p", {}, el("a", { href: v.url }, v.url));
    case "news_feed": return feedSection(v, document.documentElement.lang);
    default: return null;
  }
}

function feedSection(feed, lang) {
  if (!feed) return null;
  return el("section", { class: "feed" },
    el("h2", {}, feed.heading || feed.title),
    feed.intro ? el("p", {}, feed.intro) : null,
    el("div", { class: "cards" }, (feed.items || []).map((item) => card(item, lang))));
}

function renderLanding(page, lang) {
  return [
    el("h1", {}, page.title),
    el("div", { class: "intro", html: page.intro }),
    (page.delegations || []).map((d) =>
      el("section", { class: "delegation", "data-acronym": d.acronym },
        el("h2", {}, d.title),
        el("p", {}, d.summary),
        d.news_heading ? el("h3", {}, d.news_heading) : null,
        d.news_intro ? el("p", {}, d.news_intro) : null,
        el("div", { class: "cards" }, (d.latest_news || []).map((item) => card(item, lang))))),
    feedSection(page.news_feed, lang),
    (page.body || []).map(block),
  ];
}

function renderDelegation(page, lang) {
  return [
    el("h1", {}, page.title),
    el("p", {}, el("strong", {}, page.organisation), ` (${page.acronym})`),
    el("p", {}, page.summary),
    (page.body || []).map(block),
    page.news_heading ? el("h2", {}, page.news_heading) : null,
    el("div", { class: "cards" }, (page.latest_news || []).map((item) => card(item, lang))),
  ];
}

function renderNews(page) {
  return el("article", {},
    el("h1", {}, page.title),
    el("p", { class: "dateline" }, el("time", { datetime: page.date }, page.date_display), page.dateline ? ` — ${page.dateline}` : ""),
    (page.body || []).map(block),
    el("p", { class: "tags" }, (page.tags || []).map((t) => el("span", {}, t.name))));
}

function renderLanguages(page) {
  const nav = document.getElementById("languages");
  nav.replaceChildren(...(page.translations || []).map((t) =>
    el("a", { href: "#" + new URL(t.html_url, location.href).pathname, hreflang: t.locale }, t.locale.toUpperCase())));
}

async function show() {
  const path = decodeURIComponent(window.location.hash.slice(1)) || "/fr/delegations/";
  try {
    const page = await getJSON(`${API}pages/find/?path=${encodeURIComponent(path)}`);
    const lang = page.meta.locale;
    document.documentElement.lang = lang;
    document.title = page.title;
    const renderers = {
      "mmm_wagtail.DelegationIndexPage": renderLanding,
      "mmm_wagtail.DelegationPage": renderDelegation,
      "mmm_wagtail.NewsPage": renderNews,
    };
    const render = renderers[page.meta.type];
    app.replaceChildren(...[render ? render(page, lang) : el("p", {}, page.title)].flat(2).filter(Boolean));
    renderLanguages(page);
  } catch (error) {
    app.replaceChildren(el("p", { class: "error" }, `Impossible de charger ${path} (${error.message}).`));
  }
}

window.addEventListener("hashchange", show);
show();
