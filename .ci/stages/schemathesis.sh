#!/usr/bin/env bash
# Fuzz the running API against its own OpenAPI schema with schemathesis, three times: anonymously,
# with a curator's token and with a reviewer's token. Fails on any 5xx, any status code the
# schema does not list, and any response whose body or content type does not match the schema.
# A fresh SQLite database with the fixtures, gunicorn on a free 127.0.0.1 port. Bounded in
# time: a clean run takes about 6.5 minutes on 2 quiet cores (anonymous 58 s, curator 141 s,
# reviewer 174 s) and about 1.4 times that on the CI machine, where the reviewer's run was cut
# off at a 240 s bound with no failure found; a run that finds failures spends longer
# shrinking them, and each identity is cut off (and fails) after RUN_TIMEOUT seconds.
#
# Phases, per operation:
# - examples: the schema's own examples;
# - coverage, for the writes (POST, PUT, PATCH) with a token only: every property of the
#   body in turn with each kind of wrong value (wrong type, null, out of range, a list of the
#   wrong items), the rest valid. This is what finds a 500 that one bad value in one nested
#   field causes (`{"name": "X Y", "aliases": [0]}` on people/ did). On the list endpoints it
#   would enumerate every boundary of every filter, for tens of minutes: they get random
#   fuzzing only;
# - fuzzing: MAX_EXAMPLES random requests, valid and invalid ("mode all"), from a fixed seed.
#
#   SCHEMATHESIS_MAX_EXAMPLES=50 SCHEMATHESIS_SEED=7 bash .ci/stages/schemathesis.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-25}"
SEED="${SCHEMATHESIS_SEED:-20210706}"  # fixed by default: CI runs are reproducible
RUN_TIMEOUT="${SCHEMATHESIS_RUN_TIMEOUT:-480}"  # seconds per identity

work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

export DATABASE_URL="sqlite:///$work/db.sqlite3"
export FACTBASE_ENV=development DEBUG=0
export FACTBASE_THROTTLE_ANON=off FACTBASE_THROTTLE_USER=off  # the fuzzer is not abuse

port="$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"

$PY manage.py migrate --noinput -v 0
if ls fixtures/*.json >/dev/null 2>&1; then
  $PY manage.py load_checked
fi
# One token per group, printed as "<group> <key>" lines.
$PY manage.py shell -v 0 >"$work/tokens" <<'PY'
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token

for group in ("curators", "reviewers"):
    user, _ = User.objects.get_or_create(username=f"schemathesis-{group}")
    user.groups.add(Group.objects.get(name=group))
    print(group, Token.objects.get_or_create(user=user)[0].key)
PY
token() { awk -v group="$1" '$1 == group { print $2 }' "$work/tokens"; }
curator_token="$(token curators)"
reviewer_token="$(token reviewers)"
if [ -z "$curator_token" ] || [ -z "$reviewer_token" ]; then
  echo "could not make the curator and reviewer tokens" >&2
  exit 1
fi

# Settings (schemathesis.toml): generation, phases, and the operations addressed by id
# pointed at rows that exist (otherwise nearly every generated id is a 404 and the detail,
# write and action code paths go untested).
cat >"$work/schemathesis.toml" <<TOML
seed = $SEED

[generation]
mode = "all"
max-examples = $MAX_EXAMPLES
database = "none"
# Authorization/Cookie values are not fuzzed: malformed header bytes are refused by
# gunicorn itself before the application sees them.
with-security-parameters = false

[phases.examples]
enabled = true
[phases.coverage]
enabled = true
[phases.fuzzing]
enabled = true
[phases.stateful]
enabled = false

[[operations]]
include-method-regex = "^(GET|DELETE)\$"
phases.coverage.enabled = false

TOML
$PY manage.py shell -v 0 >>"$work/schemathesis.toml" <<'PY'
from factbase.models import Claim, Country, Document, Entity, Event, Organisation, Person, Predicate


def first(queryset):
    return queryset.order_by("pk").values_list("pk", flat=True).first()


picks = {
    "claims": first(Claim.objects.filter(status="published")),
    "countries": first(Country.objects.all()),
    "documents": first(Document.objects.all()),
    "entities": first(Entity.objects.all()),
    "events": first(Event.objects.all()),
    "organisations": first(Organisation.objects.all()),
    "people": first(Person.objects.all()),
}
for resource, pk in picks.items():
    if pk is not None:
        print("[[operations]]")
        print(f'include-path-regex = "^/api/v1/{resource}/[{{]id[}}]/"')
        print(f'parameters = {{ "path.id" = {pk} }}')
slug = Predicate.objects.order_by("pk").values_list("slug", flat=True).first()
if slug:
    print("[[operations]]")
    print('include-path = "/api/v1/predicates/{slug}/"')
    print(f'parameters = {{ "path.slug" = "{slug}" }}')
PY

# Sync workers, not factbase/gunicorn.conf.py's threaded ones: under those, the anonymous
# run stalls for 20 s at a time (its request timeout) between write operations, with
# persistent connections or without; not yet understood.
.venv/bin/gunicorn factbase.wsgi:application --bind "127.0.0.1:$port" --workers 2 --timeout 30 \
  --log-level warning >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 60); do
  if $PY -c "import urllib.request; urllib.request.urlopen('$base/api/v1/schema/', timeout=2)" 2>/dev/null; then
    break
  fi
  sleep 0.5
done

# The schema with every component reference written out in place: schemathesis's coverage
# phase generates no request body at all for a body whose properties reach another component
# through "\$ref" (claims' spans, events' participants), so it would test nothing there.
$PY - "$base/api/v1/schema/?format=json" "$work/schema.json" <<'PY'
import json
import sys
import urllib.request

with urllib.request.urlopen(sys.argv[1], timeout=30) as response:
    schema = json.load(response)
components = schema["components"]["schemas"]


def inline(node, seen=()):
    if isinstance(node, list):
        return [inline(item, seen) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        name = ref.rsplit("/", 1)[1]
        if name in seen:
            raise SystemExit(f"recursive schema component {name}: cannot be inlined")
        rest = {key: value for key, value in node.items() if key != "$ref"}
        return {**inline(components[name], (*seen, name)), **inline(rest, seen)}
    return {key: inline(value, seen) for key, value in node.items()}


schema["paths"] = inline(schema["paths"])
with open(sys.argv[2], "w") as out:
    json.dump(schema, out)
PY

# POST imports/ takes JSON Lines (application/x-ndjson), which schemathesis cannot send by
# itself: a generated string goes as it is (lone surrogates as the invalid UTF-8 they make),
# anything else as one JSON line per item.
cat >"$work/factbase_schemathesis_hooks.py" <<'HOOKS'
import json

import schemathesis


@schemathesis.serializer("application/x-ndjson")
def ndjson(ctx, value):
    if value is None or isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    items = value if isinstance(value, list) else [value]
    return "".join(json.dumps(item) + "\n" for item in items).encode()
HOOKS
export PYTHONPATH="$work${PYTHONPATH:+:$PYTHONPATH}" SCHEMATHESIS_HOOKS=factbase_schemathesis_hooks

run() {
  local label="$1"
  shift
  echo "---- schemathesis ($label)"
  local started=$SECONDS
  local rc=0
  timeout "$RUN_TIMEOUT" .venv/bin/schemathesis --config-file "$work/schemathesis.toml" run "$work/schema.json" \
    --url "$base" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --request-timeout 20 --workers 1 --no-color --suppress-health-check all --output-truncate true \
    "$@" || rc=$?
  echo "---- schemathesis ($label): exit $rc in $((SECONDS - started)) s"
  return "$rc"
}

status=0
# Anonymous writes are refused before their bodies are read: no coverage phase for them.
run anonymous --phases examples,fuzzing || status=$?
run "curator token" --header "Authorization: Token $curator_token" || status=$?
run "reviewer token" --header "Authorization: Token $reviewer_token" || status=$?
if [ "$status" -ne 0 ]; then
  echo "---- server log (without the one-line 4xx warnings)"
  grep -vE '^((Bad Request|Unauthorized|Forbidden|Not Found|Method Not Allowed|Not Acceptable|Conflict|Precondition Failed|Request Entity Too Large|Unsupported Media Type): )' \
    "$work/server.log" | tail -n 100 || true
fi
exit "$status"
