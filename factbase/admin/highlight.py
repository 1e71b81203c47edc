"""The document text as escaped HTML with every span and mention highlighted.

The output's text content is exactly the document's text, character for character: the
browser script (static/factbase/admin/document.js) counts characters in it to turn a mouse
selection into offsets. So nothing but the text itself may become text nodes here: no
added whitespace, carriage returns kept as character references (an HTML parser would turn
a literal CR LF into LF), and every piece of text escaped (HTML in a document stays text)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Highlight:
    start: int
    end: int
    kind: str  # "span" (evidence of a claim) or "mention" (an entity named here)
    ref: str  # stable id of the highlighted record in the page: "span-12", "mention-3"
    label: str  # shown when hovering: which claim or entity this is
    css: str = ""  # extra classes (claim status)


def _text(chunk: str) -> str:
    return escape(chunk).replace("\r", "&#13;")


def annotated_text(text: str, highlights: list[Highlight]) -> SafeString:
    """Split the text at every highlight boundary; each piece covered by one or more
    highlights becomes a <mark> naming them all (overlapping evidence stays visible)."""
    length = len(text)
    anchors = [h for h in highlights if 0 <= h.start < h.end <= length]
    boundaries = sorted({0, length, *(h.start for h in anchors), *(h.end for h in anchors)})
    starting: dict[int, list[Highlight]] = {}
    for h in anchors:
        starting.setdefault(h.start, []).append(h)
    active: dict[str, Highlight] = {}
    out: list[str] = []
    for left, right in zip(boundaries, boundaries[1:], strict=False):
        for ref in [ref for ref, h in active.items() if h.end <= left]:
            del active[ref]
        for h in starting.get(left, []):
            active[h.ref] = h
            out.append(f'<span class="fb-target" id="fb-{escape(h.ref)}"></span>')
        chunk = _text(text[left:right])
        if not active:
            out.append(chunk)
            continue
        covering = sorted(active.values(), key=lambda h: (h.kind != "span", h.start, h.ref))
        kinds = sorted({h.kind for h in covering})
        classes = ["fb-hl", *(f"fb-hl-{kind}" for kind in kinds), *(h.css for h in covering if h.css)]
        title = "\n".join(h.label for h in covering)
        refs = " ".join(h.ref for h in covering)
        out.append(
            f'<mark class="{escape(" ".join(dict.fromkeys(classes)))}" title="{escape(title)}" '
            f'data-refs="{escape(refs)}">{chunk}</mark>'
        )
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped
