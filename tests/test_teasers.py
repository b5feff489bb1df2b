import unicodedata

import pytest
import regex
from hypothesis import example, given
from hypothesis import strategies as st

from demo import seed
from mmm_wagtail.teasers import ELLIPSIS, make_teaser, news_teaser, plain_text, truncate

GRAPHEME = regex.compile(r"\X")


def graphemes(text):
    return GRAPHEME.findall(text)


@given(st.text(), st.integers(min_value=1, max_value=300))
@example("participé à la réunion", 13)
@example("e\u0301" * 10, 4)  # combining accents
@example("👩‍👩‍👧‍👦 family", 3)  # one grapheme of 7 code points
@example("🇫🇷🇫🇷🇫🇷", 4)  # flags are pairs of regional indicators
def test_truncate_never_splits_a_grapheme(text, length):
    result = truncate(text, length)
    if result == text:
        assert len(text) <= length
        return
    assert len(result) <= length
    assert result.endswith(ELLIPSIS)
    kept = result[: -len(ELLIPSIS)]
    assert text.startswith(kept)
    # The kept part ends on a grapheme boundary of the original text.
    assert "".join(graphemes(text)[: len(graphemes(kept))]) == kept


WORDS = st.text(alphabet="abcdeéàçœ ,;.!?-’", min_size=1)


@given(WORDS, st.integers(min_value=2, max_value=80))
@example("Un, deux, trois", 8)
def test_truncate_cuts_on_word_boundary_when_there_is_one(text, length):
    result = truncate(text, length)
    budget = length - len(ELLIPSIS)
    if result == text or not any(c.isspace() for c in text[1:budget]):
        return
    kept = result[: -len(ELLIPSIS)]
    rest = text[len(kept) :]
    # What follows the kept words is a space, or punctuation we trimmed before one.
    assert rest[0].isspace() or unicodedata.category(rest[0]).startswith("P")


def test_plain_text_strips_tags_and_decodes_entities():
    html = "<p>Caf&eacute; &amp; cr&egrave;me</p><p>second&nbsp;line<br>third</p><script>x()</script>"
    assert plain_text(html) == "Café & crème second line third"


def test_plain_text_collapses_whitespace_and_keeps_words_apart():
    assert plain_text("<p>one</p><p>two</p>\n\n  three") == "one two three"


def test_make_teaser_on_seed_text_cuts_on_a_word():
    text = next(item["text"] for item in seed.NEWS if "Côte d’Ivoire" in item["title"])
    teaser = make_teaser(f"<p>{text}</p>", 120)
    assert len(teaser) <= 120
    assert teaser.endswith("…")
    assert "Ã" not in teaser
    assert text.startswith(teaser[:-1])
    assert text[len(teaser) - 1] == " "  # the next character was a space: a word boundary


def test_every_seed_teaser_is_clean():
    for item in seed.NEWS:
        for length in (20, 60, 150, 200, 400):
            teaser = make_teaser(f"<p>{item['text']}</p>", length)
            assert len(teaser) <= length
            teaser.encode("utf-8")  # never a lone surrogate or broken character
            assert "Ã" not in teaser


def test_short_text_is_returned_whole():
    assert truncate("Bonjour", 7) == "Bonjour"
    assert truncate("Bonjour", 6) == "Bonjo…"


def test_no_trailing_punctuation_before_ellipsis():
    assert truncate("Un, deux, trois, quatre", 10) == "Un, deux…"


def test_length_must_be_positive():
    with pytest.raises(ValueError):
        truncate("abc", 0)


# Rich text as editors and importers produce it: words, tags (some with attributes holding
# "&"), entities (some double-escaped), combining marks, emoji and spacing.
MARKUP_PIECES = st.one_of(
    st.text(alphabet=st.characters(blacklist_characters="<>&", blacklist_categories=("Cs",)), max_size=30),
    st.sampled_from(
        [
            "<p>",
            "</p>",
            "<b>",
            "</b>",
            "<br/>",
            '<a href="/x?a=1&amp;b=2">',
            "</a>",
            "&amp;",
            "&eacute;",
            "&amp;eacute;",
            "&#233;",
            "&nbsp;",
            "e\u0301",
            "👩‍👧",
            "  ",
            "\n",
            "mot ",
            "<script>x<y</script>",
        ]
    ),
)


@given(st.lists(MARKUP_PIECES, max_size=120).map("".join), st.integers(min_value=1, max_value=120))
@example("<p>" + "Une phrase assez longue, avec des mots. " * 40 + "</p>", 100)
@example("<p>" + "x" * 395 + "&amp;eacute; la suite" * 20 + "</p>", 200)
def test_news_teaser_from_a_prefix_equals_the_whole_bodys(markup, length):
    body = [{"type": "paragraph", "value": markup}]
    assert news_teaser("", body, length) == make_teaser(markup, length)
