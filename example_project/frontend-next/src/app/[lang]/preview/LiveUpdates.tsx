"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

// mmm-wagtail's editor script posts {type: "mmm-wagtail:preview", content_type, token} to the
// framed preview while the editor types: store the new token, then re-render on the server.
export function LiveUpdates({ adminOrigin }: { adminOrigin: string }) {
  const router = useRouter();
  useEffect(() => {
    async function onMessage(event: MessageEvent) {
      if (event.origin !== adminOrigin) return;
      const data = event.data as { type?: string; content_type?: string; token?: string } | null;
      if (data?.type !== "mmm-wagtail:preview" || !data.content_type || !data.token) return;
      const query = new URLSearchParams({ content_type: data.content_type, token: data.token, update: "1" });
      const response = await fetch(`/api/preview/?${query}`, { credentials: "same-origin" });
      if (response.ok) router.refresh();
    }
    window.addEventListener("message", onMessage);
    return () => window.removeEventListener("message", onMessage);
  }, [adminOrigin, router]);
  return null;
}
