/** @type {import('next').NextConfig} */
const nextConfig = {
  // Wagtail's paths end with a slash: keep them as they are (and the preview URL Wagtail builds).
  trailingSlash: true,
  poweredByHeader: false,
  // The API gives renditions and srcset: no image optimisation server (and no sharp download).
  images: { unoptimized: true },
};

export default nextConfig;
