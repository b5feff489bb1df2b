// Live headless preview: the frontend on screen follows the editor's typing, without reloading.
//
// 1. Each edit marks Wagtail's preview stale at once. Wagtail's own watcher (w-unsaved) compares
//    the whole form every 500 ms and reports a change 530 ms after it saw the last one: about a
//    second before the preview even starts. Here an `input` event in the edit form (a key press)
//    triggers the preview controller's own `setStale` action, bound the Stimulus way (a
//    `data-action` on its element); Wagtail's auto-update then waits
//    WAGTAIL_AUTO_UPDATE_PREVIEW_INTERVAL and POSTs the form, as for any other change. Changes
//    without an `input` event (choosers, blocks added) keep Wagtail's own path.
// 2. When the panel is about to reload (its cancelable "w-preview:load" event) in the "Headless
//    frontend" mode, we ask the preview view for a fresh token, as the reload would, and post it
//    to the frontend already on screen: {type: "mmm-wagtail:preview", content_type, token}. The
//    frontend fetches preview/ with it and renders in place. Any other mode, or a frontend page
//    not (yet) there, keeps Wagtail's reload.
"use strict";

(() => {
  const MODE = "frontend";
  const EDITED = "mmm-wagtail:edited";

  function frontendFrame() {
    const panel = document.getElementById("w-preview-iframe");
    try {
      const inner = panel && panel.contentDocument && panel.contentDocument.querySelector("iframe[data-mmm-preview]");
      return inner && inner.contentWindow ? inner : null;
    } catch {
      return null; // another origin: not our page
    }
  }

  const modeOf = (controller) => {
    const select = controller.querySelector("[data-w-preview-target=mode]");
    return select ? select.value : null; // no select: a single mode, not ours
  };

  // 1. Key presses reach the preview without waiting for Wagtail's change check.
  const previewPanel = document.querySelector('[data-controller~="w-preview"]');
  const editForm = document.querySelector("[data-edit-form]");
  if (previewPanel && editForm) {
    const actions = previewPanel.getAttribute("data-action") || "";
    if (!actions.includes(EDITED)) {
      previewPanel.setAttribute("data-action", `${actions} ${EDITED}->w-preview#setStale`.trim());
    }
    editForm.addEventListener("input", () => {
      if (modeOf(previewPanel) === MODE) previewPanel.dispatchEvent(new CustomEvent(EDITED));
    });
  }

  // 2. A new token for the frontend on screen instead of a reload. Wagtail counts its update as
  // done as soon as the reload is cancelled, so a next one may start while this one's token is on
  // its way: only the latest request posts its token.
  let latest = null;

  document.addEventListener("w-preview:load", (event) => {
    const controller = event.target;
    const inner = frontendFrame();
    if (!inner || modeOf(controller) !== MODE) return;
    const url = new URL(controller.dataset.wPreviewUrlValue, window.location.href);
    url.searchParams.set("mode", MODE);
    url.searchParams.set("in_preview_panel", "true");
    event.preventDefault();
    if (latest) latest.abort();
    const request = new AbortController();
    latest = request;
    fetch(url, { credentials: "same-origin", signal: request.signal })
      .then((response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.text();
      })
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
      .catch((error) => {
        if (error.name === "AbortError") return; // a newer update is on its way
        // Whatever else went wrong, the plain reload shows the editor's state.
        const panel = document.getElementById("w-preview-iframe");
        if (panel) panel.src = url.toString();
      })
      .finally(() => {
        if (latest === request) latest = null;
      });
  });
})();
