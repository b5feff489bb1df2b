// Hey API: TypeScript types only, generated from the package's OpenAPI document.
// The app fetches with Next's own fetch (per-call cache tags), typed with these types.
export default {
  input: "openapi.json",
  output: { path: "src/client" },
  plugins: ["@hey-api/typescript"],
};
