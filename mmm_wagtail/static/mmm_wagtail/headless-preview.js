// Live headless preview without reloading the frontend.
//
// Wagtail's preview panel reloads its iframe after every auto-update. In the "Headless frontend"
// mode that iframe holds our page framing the site's frontend, and a reload means loading the
// frontend again from scratch. Instead, when the panel is about to reload (its cancelable
// "w-preview:load" event), we ask the preview view for a fresh token, as the reload would, and
// post it to the frontend already on screen: {type: "mmm-wagtail:preview", content_type, token}.
// The frontend fetches preview/ with it and renders in place. Any other mode, or a frontend
// page not (yet) there, keeps Wagtail's reload.
"use strict";

(() => {
  const MODE = "frontend";

  function frontendFrame() {
    const panel = document.getElementById("w-preview-iframe");
    try {
      const inner = panel && panel.contentDocument && panel.contentDocument.querySelector("iframe[data-mmm-preview]");
      return inner && inner.contentWindow ? inner : null;
    } catch {
      return null; // another origin: not our page
    }
  }

  document.addEventListener("w-preview:load", (event) => {
    const controller = event.target;
    const select = controller.querySelector("[data-w-preview-target=mode]");
    const inner = frontendFrame();
    if (!inner || (select && select.value !== MODE)) return;
    const url = new URL(controller.dataset.wPreviewUrlValue, window.location.href);
    url.searchParams.set("mode", MODE);
    url.searchParams.set("in_preview_panel", "true");
    event.preventDefault();
    fetch(url, { credentials: "same-origin" })
      .then((response) => response.text())
      .then((html) => {
        const page = new DOMParser().parseFromString(html, "text/html");
        const framed = page.querySelector("iframe[data-mmm-preview]");
        if (!framed) throw new Error("no frontend in the preview page");
        const next = new URL(framed.getAttribute("src"), window.location.href);
        inner.contentWindow.postMessage(
          {
            type: "mmm-wagtail:preview",
            content_type: next.searchParams.get("content_type"),
            token: next.searchParams.get("token"),
          },
          next.origin,
        );
      })
      .catch(() => {
        // Whatever went wrong, the plain reload shows the editor's state.
        const panel = document.getElementById("w-preview-iframe");
        if (panel) panel.src = url.toString();
      });
  });
})();
