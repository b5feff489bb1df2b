const STRINGS = {
  fr: {
    readMore: "Lire la suite",
    noNews: "Aucune actualité pour le moment.",
    subscribe: "S’abonner :",
    home: "Accueil",
    news: "Actualités",
    status: "Statut",
    locations: "Lieux",
    tag: "Mot-clé",
    notFound: "Page introuvable",
    notFoundText: "Cette page n’existe pas ou n’est plus publiée.",
    language: "Langue",
    breadcrumb: "Fil d’Ariane",
    preview: "Aperçu",
  },
  en: {
    readMore: "Read more",
    noNews: "No news yet.",
    subscribe: "Subscribe:",
    home: "Home",
    news: "News",
    status: "Status",
    locations: "Locations",
    tag: "Tag",
    notFound: "Page not found",
    notFoundText: "This page does not exist or is no longer published.",
    language: "Language",
    breadcrumb: "Breadcrumb",
    preview: "Preview",
  },
} as const;

export type Key = keyof (typeof STRINGS)["fr"];
export const t = (lang: string, key: Key): string => (STRINGS[lang as keyof typeof STRINGS] ?? STRINGS.en)[key];
