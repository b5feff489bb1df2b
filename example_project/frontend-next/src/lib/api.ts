// The API client: Next's fetch, typed with the types generated from the OpenAPI document
// (src/client, `npm run generate`), each response cached in Next's data cache under the
// dependency tags our webhooks name (docs/caching.md), so /api/revalidate/ refreshes it.
import type {
  DelegationDetail,
  DelegationIndex,
  NewsDetail,
  NewsList,
  RedirectList,
  SiteInfo,
  Sitemap,
  SitemapEntry,
} from "@/client";

export const API_URL = (process.env.MMM_API_URL ?? "http://127.0.0.1:8000/api/mmm/").replace(/\/?$/, "/");
export const API_ORIGIN = new URL(API_URL).origin;

export type Page = DelegationIndex | DelegationDetail | NewsDetail;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
  ) {
    super(`API ${status} for ${path}`);
  }
}

async function get<T>(path: string, tags: string[], init: RequestInit = {}): Promise<T> {
  const response = await fetch(API_URL + path, {
    headers: { Accept: "application/json" },
    next: init.cache === "no-store" ? undefined : { tags: ["mmm", ...tags] },
    ...init,
  });
  if (!response.ok) throw new ApiError(response.status, path);
  return (await response.json()) as T;
}

// What a page of a language shows besides itself: latest news and feeds (listings of its
// language), tag names, feed snippets.
const languageTags = (lang: string) => [`mmm-list-${lang}`, `mmm-feeds-${lang}`, "mmm-tags"];

export const getSite = () => get<SiteInfo>("site/", []);

// Every item of a listing: its pages one after the other through their `next` links (keyset
// cursors for sitemap/ and news/: each page costs the same at any depth and none is skipped or
// repeated while the site changes). Each link's query is re-rooted at API_URL, so the frontend
// keeps its own address of the API whatever origin the API writes into its links.
type Listing<T> = { items: T[]; next?: string | null };

async function everyItem<T>(path: string, tags: string[]): Promise<T[]> {
  const items: T[] = [];
  const endpoint = path.split("?")[0];
  let next: string | null = path;
  while (next) {
    // Annotated: `next` is assigned from `page` below, which TypeScript cannot infer through.
    const page: Listing<T> = await get<Listing<T>>(next, tags);
    items.push(...page.items);
    next = page.next ? endpoint + new URL(page.next).search : null;
  }
  return items;
}

export const getSitemap = (lang: string) =>
  everyItem<SitemapEntry>(`sitemap/?locale=${encodeURIComponent(lang)}`, [`mmm-list-${lang}`]);

export const getRedirects = () => everyItem<RedirectList["items"][number]>("redirects/", []);

// Rich text as Portable Text nodes, rendered with @portabletext/react (components/Blocks.tsx).
const RICH_TEXT = "rich_text_format=portable_text";

export const getPage = (id: number, lang: string) =>
  get<Page>(`pages/${id}/?${RICH_TEXT}`, [`mmm-page-${id}`, ...languageTags(lang)]);

export const getNewsByTag = (tag: string, lang: string) =>
  everyItem<NewsList["items"][number]>(
    `news/?tag=${encodeURIComponent(tag)}&locale=${encodeURIComponent(lang)}&limit=100`,
    languageTags(lang),
  );

export const getPreview = (query: string) => get<Page>(`preview/?${query}&${RICH_TEXT}`, [], { cache: "no-store" });

export const isIndex = (page: Page): page is DelegationIndex => "news_feed" in page;
export const isNews = (page: Page): page is NewsDetail => "date" in page;
export const isDelegation = (page: Page): page is DelegationDetail => !isIndex(page) && !isNews(page);
