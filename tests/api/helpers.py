"""Helpers for reading API answers in tests."""

import csv
import io
import json


def body(response):
    return json.loads(b"".join(response.streaming_content) if response.streaming else response.content)


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
