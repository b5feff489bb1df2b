const API_URL = (process.env.MMM_API_URL ?? "http://127.0.0.1:8000/api/mmm/").replace(/\/?$/, "/");

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Wagtail's paths end with a slash: keep them as they are (and the preview URL Wagtail builds).
  trailingSlash: true,
  poweredByHeader: false,
  // The API gives renditions and srcset: no image optimisation server (and no sharp download).
  images: { unoptimized: true },
  // "/" has no language: the home page of the site's default one, read from site/ at build time.
  async redirects() {
    try {
      const site = await (await fetch(API_URL + "site/")).json();
      const home = site.languages.find((language) => language.default)?.home.path ?? `/${site.default_locale}/`;
      return [{ source: "/", destination: encodeURI(home), permanent: false }];
    } catch {
      return [];
    }
  },
};

export default nextConfig;
