import { NextResponse, type NextRequest } from "next/server";

import { getSite } from "@/lib/api";

// "/" has no language: the site's default one.
export async function middleware(request: NextRequest) {
  const site = await getSite();
  const home = site.languages.find((language) => language.default)?.home.path ?? `/${site.default_locale}/`;
  return NextResponse.redirect(new URL(encodeURI(home), request.url), 307);
}

export const config = { matcher: "/" };
