/*
 * Factbase document screen: turn a mouse (or keyboard) selection in the document text into
 * offsets in Unicode code points, the unit the server counts in (as Python indexes strings),
 * and offer "New claim from selection" and "New mention" with the offsets and the quote.
 *
 * Browsers count UTF-16 code units: a character outside the Basic Multilingual Plane (most
 * emoji, many CJK extension characters) is two units but one code point, so every offset
 * read from the DOM is converted before it leaves the page.
 */
"use strict";
(function () {
  const MAX_QUOTE_IN_URL = 1500; // longer quotes are sent as offsets only; the server re-reads the text

  function codePointLength(text) {
    let count = 0;
    for (const _ of text) count += 1; // iterating a string yields code points
    return count;
  }

  function isLowSurrogate(code) {
    return code >= 0xdc00 && code <= 0xdfff;
  }

  // UTF-16 units of the container's text before (node, offset).
  function unitsBefore(container, node, offset) {
    const range = document.createRange();
    range.selectNodeContents(container);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  // The selection inside `container` as {start, end, exact} in code points, trimmed of
  // surrounding whitespace, or null when nothing in the text is selected.
  function selectionInText(container, text) {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    if (!range.intersectsNode(container)) return null;
    let start = container.contains(range.startContainer)
      ? unitsBefore(container, range.startContainer, range.startOffset)
      : 0;
    let end = container.contains(range.endContainer)
      ? unitsBefore(container, range.endContainer, range.endOffset)
      : text.length;
    // Never cut a surrogate pair in two.
    if (start > 0 && start < text.length && isLowSurrogate(text.charCodeAt(start))) start -= 1;
    if (end > 0 && end < text.length && isLowSurrogate(text.charCodeAt(end))) end += 1;
    // A quote starts and ends with what it says, not with the spaces around it.
    while (start < end && /\s/.test(text[start])) start += 1;
    while (end > start && /\s/.test(text[end - 1])) end -= 1;
    if (end <= start) return null;
    const exact = text.slice(start, end);
    const startPoints = codePointLength(text.slice(0, start));
    return { start: startPoints, end: startPoints + codePointLength(exact), exact: exact };
  }

  function addUrl(base, documentId, chosen) {
    const params = new URLSearchParams({ document: documentId, start: chosen.start, end: chosen.end });
    if (chosen.exact.length <= MAX_QUOTE_IN_URL) params.set("exact", chosen.exact);
    return base + "?" + params.toString();
  }

  function preview(text) {
    const flat = text.replace(/\s+/g, " ");
    return flat.length > 160 ? flat.slice(0, 100) + " … " + flat.slice(-50) : flat;
  }

  function setup() {
    const container = document.getElementById("fb-text");
    const toolbar = document.getElementById("fb-toolbar");
    if (!container || !toolbar) return;
    const text = container.textContent;
    const hint = document.getElementById("fb-hint");
    const shown = document.getElementById("fb-selection");
    const offsets = document.getElementById("fb-sel-offsets");
    const quote = document.getElementById("fb-sel-quote");
    const refs = document.getElementById("fb-refs");
    const buttons = [
      [document.getElementById("fb-new-claim"), toolbar.dataset.claimAddUrl],
      [document.getElementById("fb-new-mention"), toolbar.dataset.mentionAddUrl],
    ].filter(([button, url]) => button && url);

    // The page must hold exactly the document's text, or every offset would be wrong.
    if (codePointLength(text) !== Number(container.dataset.length)) {
      hint.textContent = "This text could not be displayed exactly; selecting it cannot give reliable offsets.";
      hint.classList.add("fb-warning");
      return;
    }

    function update() {
      const chosen = selectionInText(container, text);
      shown.hidden = !chosen;
      if (chosen) {
        hint.hidden = refs.hidden = true;
      } else if (refs.hidden) {
        hint.hidden = false;
      }
      // The buttons stay in place (disabled) so that nothing moves under the mouse mid-drag.
      for (const [button, url] of buttons) {
        button.setAttribute("aria-disabled", chosen ? "false" : "true");
        if (chosen) button.href = addUrl(url, toolbar.dataset.document, chosen);
        else button.removeAttribute("href");
      }
      if (chosen) {
        offsets.textContent = chosen.start + "–" + chosen.end;
        quote.textContent = preview(chosen.exact);
        toolbar.dataset.start = chosen.start;
        toolbar.dataset.end = chosen.end;
      } else {
        delete toolbar.dataset.start;
        delete toolbar.dataset.end;
      }
    }

    let pending = false;
    document.addEventListener("selectionchange", function () {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        update();
      });
    });
    container.addEventListener("mouseup", update);

    // Pointing at a highlight (while nothing is selected) lists the claims and entities it
    // belongs to in the toolbar, as links; they stay there until the next highlight.
    function showRefs(mark) {
      const selection = window.getSelection();
      if (selection && !selection.isCollapsed) return;
      refs.replaceChildren("Here: ");
      mark.dataset.refs.split(" ").forEach(function (ref, index) {
        const link = document.querySelector("#fb-ref-" + CSS.escape(ref) + " a.fb-ref-link");
        if (!link) return;
        if (index > 0) refs.append("; ");
        refs.append(link.cloneNode(true));
      });
      hint.hidden = true;
      refs.hidden = false;
    }
    container.addEventListener("mouseover", function (event) {
      const mark = event.target.closest("mark[data-refs]");
      if (mark) showRefs(mark);
    });
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
