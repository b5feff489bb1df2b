"""The demo's images and document, drawn with Pillow when loaded: no files to license or ship.

Each is an abstract illustration in MMM-like colours (plain shapes, a label), not a photograph.
"""

import io

from PIL import Image, ImageDraw

# name -> (title, description (alt text), background, accent)
IMAGES = {
    "formation": (
        "Projet MAV — illustration",
        "Illustration : des formes claires sur fond violet",
        "#5b2a86",
        "#f4a259",
    ),
    "geneve": (
        "Genève — illustration",
        "Illustration : un bâtiment sur fond bleu",
        "#1d4e89",
        "#f6f1e9",
    ),
    "ecole": (
        "Une classe — illustration",
        "Illustration : des formes sur fond vert",
        "#2a7f62",
        "#f2d0a4",
    ),
}
# The descriptions in English: the alt text of image blocks in the translated news items.
EN_DESCRIPTIONS = {
    "Illustration : des formes claires sur fond violet": "Illustration: light shapes on a purple background",
    "Illustration : un bâtiment sur fond bleu": "Illustration: a building on a blue background",
    "Illustration : des formes sur fond vert": "Illustration: shapes on a green background",
}
DOCUMENT_TITLE = "Recommandations de MMM — soutien aux familles (démo)"


def image_file(name, size=(1600, 900)):
    """A PNG of ``size``: a background, circles and bands in the accent colour."""
    _title, _alt, background, accent = IMAGES[name]
    width, height = size
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    for index in range(6):
        radius = height // (3 + index)
        x = width * (index + 1) // 7
        y = height // 2 + (-1) ** index * height // 6
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), outline=accent, width=12)
    draw.rectangle((0, height - height // 8, width, height), fill=accent)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def document_file():
    """A one-page PDF (Pillow writes PDF): the demo's downloadable document."""
    page = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, 1240, 160), fill="#5b2a86")
    draw.text((80, 60), "Make Mothers Matter", fill="white")
    draw.text((80, 240), DOCUMENT_TITLE, fill="black")
    for line in range(20):
        draw.rectangle((80, 320 + line * 56, 1160 - (line % 3) * 140, 340 + line * 56), fill="#dddddd")
    out = io.BytesIO()
    page.save(out, "PDF")
    return out.getvalue()
