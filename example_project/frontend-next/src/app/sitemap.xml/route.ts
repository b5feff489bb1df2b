// sitemap.xml with hreflang alternates, from the API's sitemap/ (every readable page per language).
import { getSite, getSitemap } from "@/lib/api";

const escape = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export async function GET(request: Request) {
  // SITE_URL when set (behind a proxy); else the Host the reader asked (Next's request.url
  // names its own bind address).
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  const scheme = request.headers.get("x-forwarded-proto") ?? "http";
  const origin = process.env.SITE_URL ?? (host ? `${scheme}://${host}` : new URL(request.url).origin);
  // A sitemap path is decoded: encode it once for the URL.
  const url = (path: string | null | undefined) => escape(origin + encodeURI(path ?? "/"));
  const site = await getSite();
  const entries: string[] = [];
  for (const language of site.languages) {
    for (const item of await getSitemap(language.code)) {
      if (!item.path) continue;
      const alternates = [item, ...item.translations]
        .map((version) => `<xhtml:link rel="alternate" hreflang="${version.locale}" href="${url(version.path)}"/>`)
        .join("");
      const modified = item.last_published_at ? `<lastmod>${item.last_published_at}</lastmod>` : "";
      entries.push(`<url><loc>${url(item.path)}</loc>${modified}${alternates}</url>`);
    }
  }
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' +
    entries.join("\n") +
    "\n</urlset>\n";
  return new Response(body, { headers: { "Content-Type": "application/xml; charset=utf-8" } });
}
