import { notFound } from "next/navigation";

import { Cards } from "@/components/Blocks";
import { Shell } from "@/components/Chrome";
import { ApiError, getNewsByTag, getSite } from "@/lib/api";
import { t } from "@/lib/i18n";
import { landingPath, languages } from "@/lib/site";

export default async function TagPage({ params }: { params: Promise<{ lang: string; tag: string }> }) {
  const { lang, tag: raw } = await params;
  const tag = decodeURIComponent(raw);
  if (!(await languages()).includes(lang)) notFound();
  let news;
  try {
    news = await getNewsByTag(tag, lang);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 400)) notFound();
    throw error;
  }
  const name = news[0]?.tags.find((item) => item.slug === tag)?.name ?? tag;
  const site = await getSite();
  return (
    <Shell lang={lang} siteName={site.name} home={await landingPath(lang)} entries={[{ locale: lang, href: `/${lang}/tags/${raw}/`, current: true }]}>
      <header className="hero">
        <p className="badge">{t(lang, "tag")}</p>
        <h1 className="page-title">{name}</h1>
      </header>
      <Cards items={news} lang={lang} level={2} />
    </Shell>
  );
}
