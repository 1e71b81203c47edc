"""The API reads JSON only. DRF's JSON parser turns a syntax error into a 400 but lets
`RecursionError` (a body nested thousands of levels deep) escape as a 500; this one does not."""

from __future__ import annotations

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class FactbaseJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the body is nested too deeply.")
