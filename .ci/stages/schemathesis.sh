#!/usr/bin/env bash
# Fuzz the running API against its own OpenAPI schema with schemathesis, anonymously and
# with a curator's token. Fails on any 5xx, any status code the schema does not list, and
# any response whose body or content type does not match the schema. Bounded in time:
# a fresh SQLite database, gunicorn on a free 127.0.0.1 port, a few examples per operation.
#
#   SCHEMATHESIS_MAX_EXAMPLES=25 SCHEMATHESIS_SEED=7 bash .ci/stages/schemathesis.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-10}"
SEED="${SCHEMATHESIS_SEED:-20210706}"  # fixed by default: CI runs are reproducible

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
token="$($PY manage.py shell -v 0 -c '
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
user, _ = User.objects.get_or_create(username="schemathesis-curator")
user.groups.add(Group.objects.get(name="curators"))
print(Token.objects.get_or_create(user=user)[0].key)
' | tail -n 1)"

# Point the operations addressed by id at rows that exist (otherwise nearly every generated id
# is a 404 and the detail, write and action code paths go untested).
$PY manage.py shell -v 0 >"$work/schemathesis.toml" <<'PY'
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

.venv/bin/gunicorn factbase.wsgi:application --bind "127.0.0.1:$port" --workers 2 --timeout 30 \
  --log-level warning >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 60); do
  if $PY -c "import urllib.request; urllib.request.urlopen('$base/api/v1/schema/', timeout=2)" 2>/dev/null; then
    break
  fi
  sleep 0.5
done

run() {
  local label="$1"
  shift
  echo "---- schemathesis ($label)"
  # Phases: the schema's examples, then random fuzzing. The "coverage" phase enumerates
  # every boundary of every parameter: with this many filters it runs for tens of minutes.
  # Authorization/Cookie values are not fuzzed: malformed header bytes are refused by
  # gunicorn itself before the application sees them.
  timeout 240 .venv/bin/schemathesis --config-file "$work/schemathesis.toml" run "$base/api/v1/schema/" \
    --url "$base" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --phases examples,fuzzing --max-examples "$MAX_EXAMPLES" --seed "$SEED" \
    --generation-with-security-parameters false --generation-database none \
    --request-timeout 20 --workers 1 --no-color --suppress-health-check all \
    "$@"
}

status=0
run anonymous || status=$?
run "curator token" --header "Authorization: Token $token" || status=$?
if [ "$status" -ne 0 ]; then
  echo "---- server log"
  tail -n 100 "$work/server.log"
fi
exit "$status"
