"""Standard export formats: W3C Web Annotation (JSON-LD) for spans and mentions, Popolo JSON
for people, organisations and memberships. Pure builders: they take model instances and
URL-building callables and return JSON-ready dicts, so the API, a management command or a
test can all use them."""
