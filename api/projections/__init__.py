"""Read projections: one definition of each resource's representation (claims, entities,
documents, predicates), from which its JSON lists and details, `?format=csv`, the exports,
its ETags and its OpenAPI response schema all come.

Each module declares a resource's read serializers; `compiler.Projection` generates from a
serializer the fast path that the hot reads use (compiled statements on the raw cursor and a
generated row-shaping function), so the two can never disagree. Raw cursor SQL of the read
path lives here and nowhere else in api/. See docs/architecture.md ("The compiled fast path")."""
