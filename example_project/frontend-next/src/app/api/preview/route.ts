// Wagtail's "Headless frontend" preview mode opens PREVIEW_CLIENT_URLS (this route) with
// ?content_type=…&token=…. The token is checked against the API's preview/ endpoint (a
// valid, unexpired token of that object); then draft mode is on and the editor is sent to
// /<lang>/preview/, which fetches the draft. The editor script's live updates call this
// route again with ?update=1 (new token, no redirect) before refreshing the page.
import { cookies, draftMode } from "next/headers";
import { redirect } from "next/navigation";

import { ApiError, getPreview } from "@/lib/api";

const PREVIEW_COOKIE = "mmm-preview";

export async function GET(request: Request) {
  const { searchParams } = new URL(request.url);
  const contentType = searchParams.get("content_type");
  const token = searchParams.get("token");
  if (!contentType || !token) return new Response("Missing content_type or token", { status: 400 });
  const query = new URLSearchParams({ content_type: contentType, token }).toString();
  let page;
  try {
    page = await getPreview(query);
  } catch (error) {
    if (error instanceof ApiError) {
      const message = error.status === 410 ? "This preview has expired: reopen it in Wagtail." : "Invalid preview token.";
      return new Response(message, { status: error.status === 410 ? 410 : 403 });
    }
    throw error;
  }
  (await draftMode()).enable();
  // SameSite=None: the preview is framed by the Wagtail admin, another origin.
  (await cookies()).set(PREVIEW_COOKIE, query, { httpOnly: true, sameSite: "none", secure: true, path: "/" });
  if (searchParams.get("update")) return new Response(null, { status: 204 });
  redirect(`/${page.meta.locale}/preview/`);
}
