"""annotated_text(): the document text as escaped HTML whose text content is exactly the
document's text, with overlapping highlights split into pieces that name them all."""

from factbase.admin.highlight import Highlight, annotated_text
from tests.factbase.admin.helpers import text_content


def wrap(html: str) -> str:
    return f'<div id="t">{html}</div>'


def test_annotated_text_without_highlights_is_the_escaped_text():
    assert annotated_text('a < b & "c"\r\nd', []) == "a &lt; b &amp; &quot;c&quot;&#13;\nd"


def test_annotated_text_splits_overlapping_highlights():
    text = "🇷🇺 Lavrov visited Jakarta."
    start = text.index("Lavrov")
    highlights = [
        Highlight(start, start + len("Lavrov visited Jakarta"), "span", "span-1", "Claim: Lavrov visited Indonesia"),
        Highlight(start, start + len("Lavrov"), "mention", "mention-2", "Mention: Sergei Lavrov (person)"),
    ]

    html = annotated_text(text, highlights)

    assert html == (
        "🇷🇺 "
        '<span class="fb-target" id="fb-span-1"></span><span class="fb-target" id="fb-mention-2"></span>'
        '<mark class="fb-hl fb-hl-mention fb-hl-span" '
        'title="Claim: Lavrov visited Indonesia\nMention: Sergei Lavrov (person)" data-refs="span-1 mention-2">'
        "Lavrov</mark>"
        '<mark class="fb-hl fb-hl-span" title="Claim: Lavrov visited Indonesia" data-refs="span-1">'
        " visited Jakarta</mark>."
    )
    assert text_content(wrap(html), "t") == text


def test_annotated_text_escapes_labels_and_skips_anchors_outside_the_text():
    highlights = [
        Highlight(0, 2, "mention", "mention-1", 'Mention: <img src=x onerror="alert(1)">'),
        Highlight(3, 99, "span", "span-2", "out of range"),
    ]

    html = annotated_text("ab cd", highlights)

    assert html == (
        '<span class="fb-target" id="fb-mention-1"></span><mark class="fb-hl fb-hl-mention" '
        'title="Mention: &lt;img src=x onerror=&quot;alert(1)&quot;&gt;" data-refs="mention-1">ab</mark> cd'
    )
