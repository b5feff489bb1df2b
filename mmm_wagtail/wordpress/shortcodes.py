"""WordPress shortcodes turned into the HTML that ``body`` reads, unknown ones kept as text.

``[caption]`` becomes a figure with its caption, ``[embed]`` an embed figure, ``[gallery]`` a
gallery of the attachments it names, ``[video]`` a video figure (``body`` makes it an embed or a
document). A shortcode of any other name is left in the text as it is, and reported.
"""

import re
from html import escape

__all__ = ["KNOWN", "expand", "parse_attributes"]

KNOWN = ("caption", "wp_caption", "embed", "gallery", "video")

# WordPress's own shortcode_parse_atts() pattern: name="value", name='value', name=value, or
# a bare value.
_ATTRIBUTES = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)"""
    r"""|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)"""
)
# An opening tag: [name attributes], [name attributes /]; [[name]] is WordPress's escape.
_OPENING = re.compile(r"(\[?)\[([a-z_][a-z0-9_-]*)((?:\s[^\]]*?)?)(/?)\](\]?)")
_VIDEO_SOURCES = ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv")


def parse_attributes(text):
    attributes = {}
    for match in _ATTRIBUTES.finditer(text.replace("\u00a0", " ")):
        groups = match.groups()
        for name, value in ((groups[0], groups[1]), (groups[2], groups[3]), (groups[4], groups[5])):
            if name:
                attributes[name.lower()] = value
                break
        else:
            value = next(group for group in groups[6:] if group is not None)
            attributes.setdefault("_positional", []).append(value)
    return attributes


def _caption(attributes, content):
    caption = attributes.get("caption", "")
    # [caption]<img …> The caption[/caption]: the text after the image is the caption.
    match = re.match(r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", content, re.S | re.I)
    if match:
        image, rest = match.groups()
        caption = caption or rest.strip()
    else:
        image = content
    return f'<figure class="wp-caption">{image}<figcaption>{caption}</figcaption></figure>'


def _embed(attributes, content):
    url = (content or attributes.get("src") or attributes.get("url") or "").strip()
    return f'<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">{escape(url)}</div></figure>'


def _gallery(attributes, content):
    ids = [part.strip() for part in attributes.get("ids", "").split(",") if part.strip().isdigit()]
    images = "".join(f'<img class="wp-image-{pk}" data-id="{pk}" alt="">' for pk in ids)
    return f'<figure class="wp-block-gallery">{images}</figure>'


def _video(attributes, content):
    url = next((attributes[key] for key in _VIDEO_SOURCES if attributes.get(key)), "")
    return f'<figure class="wp-block-video"><video src="{escape(url)}"></video></figure>'


_HANDLERS = {
    "caption": _caption,
    "wp_caption": _caption,
    "embed": _embed,
    "gallery": _gallery,
    "video": _video,
}


def expand(text, unknown):
    """``text`` with the known shortcodes replaced by HTML; ``unknown(name)`` is called for
    every other shortcode, which stays in the text as written."""
    out = []
    position = 0
    while True:
        match = _OPENING.search(text, position)
        if match is None:
            out.append(text[position:])
            return "".join(out)
        out.append(text[position : match.start()])
        escaped_open, name, raw_attributes, self_closing, escaped_close = match.groups()
        end = match.end()
        if escaped_open and escaped_close:  # [[name]]: printed as [name] by WordPress
            out.append(match.group(0)[1:-1])
            position = end
            continue
        if escaped_open:
            out.append("[")
        closing = f"[/{name}]"
        content = ""
        closing_at = -1 if self_closing else text.find(closing, end)
        if closing_at != -1:
            content = text[end:closing_at]
            end = closing_at + len(closing)
        handler = _HANDLERS.get(name)
        if handler is None:
            unknown(name)
            out.append(text[match.start() + len(escaped_open) : end])
        else:
            out.append(handler(parse_attributes(raw_attributes), content))
        if escaped_close:
            out.append("]")
        position = end
