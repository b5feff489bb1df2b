import { PortableText, type InferStrictComponents, type PortableTextMarkComponent } from "@portabletext/react";
import type { DelegationIndex, Feed, FeedLinks, Image, NewsCard, ParagraphBlock } from "@/client";
import { t } from "@/lib/i18n";
import { routeOf } from "@/lib/routes";

type Block = DelegationIndex["body"][number];
type Level = 2 | 3 | 4 | 5;

export function Picture({ image, alt, sizes, className }: { image: Image | null; alt?: string; sizes: string; className?: string }) {
  if (!image) return null;
  return (
    // eslint-disable-next-line @next/next/no-img-element -- the API's renditions and srcset, no optimiser
    <img
      className={className}
      src={image.url}
      srcSet={image.srcset || undefined}
      sizes={image.srcset ? sizes : undefined}
      alt={alt ?? image.alt}
      width={image.width}
      height={image.height}
      loading="lazy"
    />
  );
}

// Rich text as the API's Portable Text (every request asks for rich_text_format=portable_text, src/lib/api.ts):
// React elements, no HTML string inserted. The components are checked against the generated node types: a
// node or link type added to the API and not rendered here is a compile error.
type RichTextValue = ParagraphBlock["value"];
type PortableTextValue = Exclude<RichTextValue, string>;

const richTextComponents = {
  types: {
    image: ({ value }) => (
      <Picture image={value.image} alt={value.alt} sizes="(min-width: 48rem) 46rem, 100vw" />
    ),
    // The oEmbed HTML is the provider's markup, not Wagtail's: link to the media instead.
    embed: ({ value }) => (
      <p className="embed">
        <a href={value.url}>{value.title || value.url}</a>
      </p>
    ),
  },
  marks: {
    link: ({ value, children }) => <a href={value?.href}>{children}</a>,
    // A page of the site: a link of this site (its path), wherever the API serves the page.
    pageLink: ({ value, children }) => <a href={routeOf(value?.href)}>{children}</a>,
    documentLink: ({ value, children }) => <a href={value?.href}>{children}</a>,
  },
} satisfies InferStrictComponents<PortableTextValue>;

// Decorators are plain strings in `marks`, out of the generated types: Wagtail's sub/sup features.
const sub: PortableTextMarkComponent = ({ children }) => <sub>{children}</sub>;
const sup: PortableTextMarkComponent = ({ children }) => <sup>{children}</sup>;
const components = { ...richTextComponents, marks: { ...richTextComponents.marks, sub, sup } };

export function RichText({ value, className = "rich-text" }: { value: RichTextValue; className?: string }) {
  if (typeof value === "string") throw new Error("Rich text came as HTML: ask for rich_text_format=portable_text");
  return (
    <div className={className}>
      <PortableText value={value} components={components} />
    </div>
  );
}

function Heading({ level, ...props }: { level: Level } & React.HTMLAttributes<HTMLHeadingElement>) {
  const Tag = `h${level}` as const;
  return <Tag {...props} />;
}

export function Card({ item, lang, level }: { item: NewsCard; lang: string; level: Level }) {
  const titleId = `card-${item.id}-${level}`;
  return (
    <article className="card" data-id={item.id}>
      <Picture image={item.image} sizes="(min-width: 60rem) 20rem, 100vw" className="card__image" />
      <Heading level={level} className="card__title" id={titleId}>
        {item.title}
      </Heading>
      <time className="card__date" dateTime={item.date}>
        {item.date_display}
      </time>
      <p className="card__excerpt">
        {item.dateline ? <span className="card__dateline">{item.dateline}</span> : null}
        {item.dateline ? " – " : null}
        {item.excerpt}
      </p>
      <a className="card__more" href={routeOf(item.meta.html_url)} aria-describedby={titleId}>
        {t(lang, "readMore")}
      </a>
    </article>
  );
}

export function Cards({ items, lang, level }: { items: NewsCard[]; lang: string; level: Level }) {
  if (!items.length) return <p className="muted">{t(lang, "noNews")}</p>;
  return (
    <div className="cards">
      {items.map((item) => (
        <Card key={item.id} item={item} lang={lang} level={level} />
      ))}
    </div>
  );
}

export function FeedLinksList({ feeds, lang }: { feeds: FeedLinks | null | undefined; lang: string }) {
  if (!feeds) return null;
  const links: [string, string][] = [
    ["RSS", feeds.rss],
    ["Atom", feeds.atom],
    ["JSON Feed", feeds.json],
  ];
  return (
    <p className="subscribe">
      {t(lang, "subscribe")}{" "}
      {links.map(([name, url], index) => (
        <span key={name}>
          {index ? " · " : ""}
          <a href={url}>{name}</a>
        </span>
      ))}
    </p>
  );
}

export function FeedSection({ feed, heading, lang, level = 2 }: { feed: Feed | null; heading?: string; lang: string; level?: Level }) {
  if (!feed) return null;
  const headingId = `feed-${feed.id}`;
  return (
    <section className="feed" aria-labelledby={headingId} data-slug={feed.slug}>
      <Heading level={level} className="section-title" id={headingId}>
        {heading || feed.title}
      </Heading>
      {feed.intro ? <p className="lead">{feed.intro}</p> : null}
      <Cards items={feed.items} lang={lang} level={Math.min(level + 1, 5) as Level} />
      <FeedLinksList feeds={feed.meta.feeds} lang={lang} />
    </section>
  );
}

function assertNever(block: never): never {
  throw new Error(`Unrendered block type: ${JSON.stringify(block)}`);
}

// One StreamField block. The switch is exhaustive over the generated union: a block type
// added to the API and not rendered here is a compile error (`never`).
export function BlockView({ block, lang, level }: { block: Block; lang: string; level: Level }) {
  switch (block.type) {
    case "paragraph":
      return <RichText value={block.value} />;
    case "heading": {
      const Tag = block.value.level;
      return <Tag className="block-heading">{block.value.text}</Tag>;
    }
    case "quote":
      return (
        <figure className="quote">
          <blockquote>
            <p>{block.value.quote}</p>
          </blockquote>
          {block.value.attribution ? <figcaption>{block.value.attribution}</figcaption> : null}
        </figure>
      );
    case "image":
      if (!block.value.image) return null;
      return (
        <figure className="figure">
          <Picture image={block.value.image} alt={block.value.alt} sizes="(min-width: 48rem) 46rem, 100vw" />
          {block.value.caption ? <figcaption>{block.value.caption}</figcaption> : null}
        </figure>
      );
    case "embed":
      // The oEmbed HTML is the provider's markup, not Wagtail's: link to the media instead.
      return (
        <p className="embed">
          <a href={block.value.url}>{block.value.title || block.value.url}</a>
        </p>
      );
    case "document":
      if (!block.value.document) return null;
      return (
        <p className="document">
          <a href={block.value.document.url}>{block.value.title || block.value.document.title}</a>
          {block.value.document.file_extension ? ` (${block.value.document.file_extension.toUpperCase()})` : null}
        </p>
      );
    case "call_to_action":
      if (!block.value.url) return null;
      return (
        <p>
          <a className="button" href={routeOf(block.value.url)}>
            {block.value.text || block.value.page?.title}
          </a>
        </p>
      );
    case "news_feed":
      return <FeedSection feed={block.value.feed} heading={block.value.heading} lang={lang} level={level} />;
    default:
      return assertNever(block);
  }
}

export const Body = ({ blocks, lang, level = 2 }: { blocks: Block[]; lang: string; level?: Level }) => (
  <>
    {blocks.map((block, index) => (
      <div className="block" data-block-type={block.type} key={block.id ?? index}>
        <BlockView block={block} lang={lang} level={level} />
      </div>
    ))}
  </>
);
