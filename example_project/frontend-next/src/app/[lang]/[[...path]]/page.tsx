import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";

import { Shell } from "@/components/Chrome";
import { PageView, languagesOf } from "@/components/PageView";
import { getPage, getSite, getSitemap } from "@/lib/api";
import { pathOfRoute, segmentsOf } from "@/lib/routes";
import { findEntry, followRedirect, landingPath } from "@/lib/site";

type Params = Promise<{ lang: string; path?: string[] }>;

// Every page of the sitemap is pre-rendered; a page published later renders on first request.
export async function generateStaticParams() {
  const site = await getSite();
  const params = [];
  for (const language of site.languages) {
    for (const item of await getSitemap(language.code)) {
      if (item.path) params.push({ lang: language.code, path: segmentsOf(item.path) });
    }
  }
  return params;
}

async function load(params: Params) {
  const { lang, path } = await params;
  const wanted = pathOfRoute(lang, path);
  const entry = await findEntry(lang, wanted);
  if (!entry) {
    await followRedirect(wanted);
    notFound();
  }
  if (entry.type === "wagtailcore.Page" && !path?.length) redirect(await landingPath(lang));
  if (!entry.type.startsWith("mmm_wagtail.")) notFound();
  return { lang, page: await getPage(entry.id, lang) };
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { page } = await load(params);
  const languages = Object.fromEntries(languagesOf(page).map((entry) => [entry.locale, entry.href]));
  const feeds = "feeds" in page.meta ? page.meta.feeds : null;
  return {
    title: page.title,
    alternates: {
      canonical: languages[page.meta.locale],
      languages,
      types: feeds ? { "application/rss+xml": feeds.rss, "application/atom+xml": feeds.atom } : undefined,
    },
  };
}

export default async function Route({ params }: { params: Params }) {
  const { lang, page } = await load(params);
  const site = await getSite();
  return (
    <Shell lang={lang} siteName={site.name} home={await landingPath(lang)} entries={languagesOf(page)}>
      <PageView page={page} />
    </Shell>
  );
}
