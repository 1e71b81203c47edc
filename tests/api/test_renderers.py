"""The fast JSON renderer (api/renderers.py) encodes like DRF's."""

import datetime
import decimal
import json
import uuid

from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from api.renderers import FastJSONRenderer


def test_fast_renderer_encodes_like_drf():
    data = {
        "text": "Moscow’s “influence” 🙂",
        "number": decimal.Decimal("12.5000"),
        "day": datetime.date(2021, 7, 6),
        "moment": datetime.datetime(2021, 7, 6, 12, 30, 5, 123456, tzinfo=datetime.UTC),
        "uid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "lazy": gettext_lazy("This field is required."),
        "nested": [{"a": None, "b": True}, (1, 2)],
    }
    assert json.loads(FastJSONRenderer().render(data)) == json.loads(JSONRenderer().render(data))


def test_fast_renderer_indents_on_request():
    body = FastJSONRenderer().render({"a": [1]}, "application/json; indent=2", {})
    assert body == b'{\n  "a": [\n    1\n  ]\n}'
