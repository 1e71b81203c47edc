"""Helpers for admin tests: post a form back as a browser would."""

from __future__ import annotations

import datetime
from html.parser import HTMLParser


def _field_values(form) -> dict:
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False or value == []:
            continue
        widget = form.fields[name].widget
        if hasattr(widget, "widgets_names"):  # a MultiWidget (a split date and time): one value per part
            parts = widget.decompress(value) if not isinstance(value, list) else value
            for suffix, part in zip(widget.widgets_names, parts, strict=True):
                data[form.add_prefix(name) + suffix] = part.isoformat() if hasattr(part, "isoformat") else part
            continue
        if value is True:
            value = "on"
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        data[form.add_prefix(name)] = value
    return data


def form_data(response) -> dict:
    """Everything a browser posts for an admin add/change page left as rendered: the main
    form's values and every inline's management form and rows (prefilled ones included)."""
    data = _field_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(len(formset.forms))
        data[f"{formset.prefix}-INITIAL_FORMS"] = str(formset.initial_form_count())
        for form in formset.forms:
            data.update(_field_values(form))
    return data


class _TextOf(HTMLParser):
    """The text content of the element with a given id, as a browser's textContent."""

    def __init__(self, element_id: str):
        super().__init__(convert_charrefs=True)
        self.element_id, self.depth, self.parts = element_id, 0, []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("id") == self.element_id:
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def text_content(html: str, element_id: str) -> str:
    parser = _TextOf(element_id)
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)
