// The site's structure from the API: languages, the page at a path, its redirects.
import { permanentRedirect, redirect } from "next/navigation";

import { getRedirects, getSite, getSitemap } from "./api";

export async function languages() {
  return (await getSite()).languages.map((language) => language.code);
}

/** The landing page (the delegation index) of a language: where "/" and "/fr/" lead. */
export async function landingPath(lang: string) {
  const items = await getSitemap(lang);
  return (items.find((item) => item.type === "mmm_wagtail.DelegationIndexPage") ?? items[0])?.path ?? `/${lang}/`;
}

export async function findEntry(lang: string, path: string) {
  if (!(await languages()).includes(lang)) return undefined;
  return (await getSitemap(lang)).find((item) => item.path === path);
}

/** Wagtail's redirect for a path this site has no page at, if any (else returns). */
export async function followRedirect(path: string) {
  // Wagtail stores old paths decoded, without the trailing slash.
  const wanted = path.length > 1 ? path.replace(/\/$/, "") : path;
  const found = (await getRedirects()).find((item) => item.old_path === wanted);
  if (!found?.location) return;
  const location = encodeURI(decodeURI(found.location));
  if (found.is_permanent) permanentRedirect(location);
  redirect(location);
}
