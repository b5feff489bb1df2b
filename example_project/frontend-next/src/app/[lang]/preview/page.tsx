import { cookies, draftMode } from "next/headers";
import { notFound } from "next/navigation";

import { Shell } from "@/components/Chrome";
import { PageView } from "@/components/PageView";
import { ApiError, getPreview, getSite } from "@/lib/api";
import { t } from "@/lib/i18n";

import { LiveUpdates } from "./LiveUpdates";

// The editor's unsaved state (draft mode, entered through /api/preview/), rendered with the
// published pages' components. Never cached.
export const dynamic = "force-dynamic";

export default async function Preview({ params }: { params: Promise<{ lang: string }> }) {
  const { lang } = await params;
  if (!(await draftMode()).isEnabled) notFound();
  const query = (await cookies()).get("mmm-preview")?.value;
  if (!query) notFound();
  let page;
  try {
    page = await getPreview(query);
  } catch (error) {
    if (error instanceof ApiError && error.status === 410) return <p className="status">This preview has expired: reopen it in Wagtail.</p>;
    notFound();
  }
  const site = await getSite();
  return (
    <Shell lang={lang} siteName={`${site.name} — ${t(lang, "preview")}`} home={`/${lang}/`} entries={[]}>
      <LiveUpdates adminOrigin={process.env.MMM_ADMIN_ORIGIN ?? new URL(process.env.MMM_API_URL ?? "http://127.0.0.1:8000/").origin} />
      <PageView page={page} />
    </Shell>
  );
}
