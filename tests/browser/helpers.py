"""What a curator does with the mouse and keyboard, for the browser tests."""

from __future__ import annotations

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's

# Pixel positions of the first and last characters of `sentence` in the document text. The
# test only uses this to know where to put the mouse; the page's own script computes offsets.
_SENTENCE_BOUNDS = """
(sentence) => {
  const container = document.getElementById("fb-text");
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let total = 0;
  while (walker.nextNode()) { nodes.push([walker.currentNode, total]); total += walker.currentNode.length; }
  function at(unit) {
    for (const [node, begin] of nodes) {
      if (unit < begin + node.length) return [node, unit - begin];
    }
    const [node] = nodes[nodes.length - 1];
    return [node, node.length];
  }
  function rect(from, to) {
    const range = document.createRange();
    range.setStart(...at(from));
    range.setEnd(...at(to));
    const rects = range.getClientRects();
    return rects[rects.length - 1];
  }
  const start = container.textContent.indexOf(sentence);
  if (start < 0) return null;
  const end = start + sentence.length;
  // Bring the sentence to the middle of the window, then measure where it is.
  window.scrollBy({top: rect(start, start + 1).top - window.innerHeight / 2, behavior: "instant"});
  const first = rect(start, start + 1), last = rect(end - 1, end);
  return {x1: first.left + 1, y1: first.top + first.height / 2, x2: last.right - 1, y2: last.top + last.height / 2};
}
"""


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def select_with_mouse(page, sentence: str) -> None:
    """Press the mouse before the sentence's first character and release it after its last."""
    bounds = page.evaluate(_SENTENCE_BOUNDS, sentence)
    assert bounds is not None, f"{sentence!r} is not on the page"
    page.mouse.move(bounds["x1"], bounds["y1"])
    page.mouse.down()
    page.mouse.move(bounds["x2"], bounds["y2"], steps=12)
    page.mouse.up()


def pick(page, field: str, term: str, choice: str) -> None:
    """Choose `choice` in an autocomplete (select2) entity picker by typing `term`."""
    page.click(f"#id_{field} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", term)
    page.locator(".select2-results__option", has_text=choice).click()
