// Routes of this site are the API's page paths (html_url's pathname).
//
// html_url is percent-encoded (journ%C3%A9e-%C3%A0-gen%C3%A8ve): a link uses the pathname as
// it is; a route parameter or a sitemap path is decoded ONCE. Encoding the pathname again
// (encodeURIComponent) would encode the "%" and find nothing (docs/frontend.md).
import { API_ORIGIN } from "./api";

/** The site-relative href of an API URL of the public site (unchanged when external). */
export function routeOf(url: string | null | undefined): string {
  if (!url) return "#";
  const parsed = new URL(url, API_ORIGIN);
  return parsed.origin === API_ORIGIN ? parsed.pathname + parsed.search + parsed.hash : url;
}

/** The decoded path of a route: "/" + lang + segments + "/", as the sitemap's `path`. */
export function pathOfRoute(lang: string, segments: string[] = []): string {
  const decoded = [lang, ...segments].map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  });
  return "/" + decoded.join("/") + "/";
}

/** A decoded sitemap path as route segments (without the language). */
export const segmentsOf = (path: string) => path.split("/").filter(Boolean).slice(1);
