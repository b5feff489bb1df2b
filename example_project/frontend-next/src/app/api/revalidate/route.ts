// Our webhooks (MMM_WAGTAIL["WEBHOOKS"], docs/caching.md) name the dependency tags and page
// paths a change touched: verify the Standard Webhooks signature, then revalidate them.
import { revalidatePath, revalidateTag } from "next/cache";

import { verify } from "@/lib/webhooks";

type Delivery = { type: string; data: { tags: string[]; page_paths: string[]; everything: boolean } };

export async function POST(request: Request) {
  const secret = process.env.MMM_WEBHOOK_SECRET;
  if (!secret) return new Response("MMM_WEBHOOK_SECRET is not set", { status: 500 });
  const body = await request.text();
  if (!verify(secret, request.headers, body)) return new Response("Bad signature", { status: 401 });
  const delivery = JSON.parse(body) as Delivery;
  for (const tag of delivery.data.tags) revalidateTag(tag);
  if (delivery.data.everything) revalidatePath("/", "layout");
  for (const path of delivery.data.page_paths) revalidatePath(path);
  return Response.json({ revalidated: delivery.data.tags, paths: delivery.data.page_paths });
}
