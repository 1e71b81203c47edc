"""Validators for the published schemas and context shipped in tests/data/schemas/ (see the
README there): no network, every $ref resolved from the local copies."""

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft3Validator, Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

SCHEMAS = Path(__file__).resolve().parents[2] / "data" / "schemas"
JSONLD_KEYWORDS = {"@context", "@id", "@type", "@value", "@language", "@list", "@set", "@graph"}


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def popolo_validator(name: str) -> Draft3Validator:
    resources = []
    for path in sorted((SCHEMAS / "popolo").glob("*.json")):
        contents = _load(path)
        resources.append((contents["id"].rstrip("#"), Resource.from_contents(contents, default_specification=DRAFT3)))
    registry = Registry().with_resources(resources)
    schema = _load(SCHEMAS / "popolo" / f"{name}.json")
    return Draft3Validator(schema, registry=registry, format_checker=Draft3Validator.FORMAT_CHECKER)


@cache
def annotation_validator() -> Draft4Validator:
    schema = _load(SCHEMAS / "web-annotation" / "annotation.schema.json")
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)


@cache
def anno_context_terms() -> frozenset[str]:
    return frozenset(_load(SCHEMAS / "web-annotation" / "anno.jsonld")["@context"])


def terms_outside_context(value) -> set[str]:
    """Keys, and type/motivation/purpose values, that the anno.jsonld context does not define."""
    terms, unknown = anno_context_terms(), set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in terms and key not in JSONLD_KEYWORDS:
                unknown.add(key)
            if key in ("type", "motivation", "purpose"):
                for name in item if isinstance(item, list) else [item]:
                    if name not in terms:
                        unknown.add(f"{key}={name}")
            unknown |= terms_outside_context(item)
    elif isinstance(value, list):
        for item in value:
            unknown |= terms_outside_context(item)
    return unknown


def errors(validator, instance) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(instance)]
