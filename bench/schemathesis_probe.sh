#!/usr/bin/env bash
# Fuzz the live API with schemathesis, every check, as an organiser and as a volunteer.
#
# Not part of the test run (tests/api/test_schemathesis.py is the small version that is). Runs gunicorn on the
# database in DATABASE_URL (PostgreSQL) with the demo council loaded (manage.py load_demo), gets each role's
# token from the API token endpoint (organisers with two-factor on: a confirmed TOTP device and its current code),
# then runs `st run --checks all --max-examples N` per role and prints each run's summary, its reading by
# bench/schemathesis_summary.py (cases per operation and phase, answers by status, 5xx) and a last line per role
# with its exit code, cases and failures. Zero 5xx and no failed check means exit code 0.
#
#   export DATABASE_URL=postgres://... CACHE_URL=redis://... SECRET_KEY=...
#   bench/schemathesis_probe.sh                  # 200 examples per operation, both roles
#   MAX_EXAMPLES=50 ROLES=vera bench/schemathesis_probe.sh --include-path-regex /contacts/
#
# Extra arguments go to `st run` (e.g. --include-path-regex to run a subset). Left out: POST /auth/logout/ and
# DELETE /auth/tokens/{id}/, which would revoke the token the run is using.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?set DATABASE_URL to a PostgreSQL database}"
MAX_EXAMPLES=${MAX_EXAMPLES:-200}
PORT=${PROBE_PORT:-8731}
WORKERS=${PROBE_WORKERS:-2}
ROLES=${ROLES:-"olivia vera"}
SEED=${SEED:-2026}
REPORTS=${REPORTS:-/tmp/schemathesis-probe}
BIN=.venv/bin
BASE=http://127.0.0.1:$PORT

export DEBUG=0 SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 ALLOWED_HOSTS=127.0.0.1,localhost

$BIN/python manage.py migrate --no-input -v0
$BIN/python manage.py createcachetable
mkdir -p "$REPORTS"
$BIN/python manage.py load_demo --force >"$REPORTS.load_demo.log"
head -1 "$REPORTS.load_demo.log"

if curl -s -o /dev/null "$BASE/healthz"; then echo "port $PORT is in use: set PROBE_PORT" >&2; exit 2; fi
$BIN/gunicorn canvass.config.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" --timeout 120 --log-level warning \
  >"$REPORTS.gunicorn.log" 2>&1 &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 120); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.5; done
curl -fs "$BASE/healthz" >/dev/null || { echo "gunicorn did not answer: see $REPORTS.gunicorn.log" >&2; exit 2; }

declare -A PASSWORDS=([olivia]=demo-organiser-pass [vera]=demo-volunteer-pass [oscar]=demo-organiser-pass \
  [victor]=demo-volunteer-pass [admin]=demo-admin-pass)

# Two-factor sign-in stays on (production settings): an organiser or admin gets a confirmed authenticator app
# (django-otp TOTP) and sends its current code as `otp`, as the phone app would. Volunteers send none.
otp() {
  $BIN/python manage.py shell -v0 -c "
from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from canvass.privacy.two_factor import second_factor_required
user = get_user_model().objects.get(username='$1')
if second_factor_required(user):
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name='schemathesis probe', confirmed=True)
    print(f'{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}')
"
}

token() {
  curl -fsS -X POST "$BASE/api/v1/auth/token/" -H 'Content-Type: application/json' \
    -d "{\"username\": \"$1\", \"password\": \"${PASSWORDS[$1]}\", \"otp\": \"$(otp "$1")\", \"device\": \"schemathesis probe\"}" |
    $BIN/python -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}

status=0
summary=()
for role in $ROLES; do
  key=$(token "$role")
  mkdir -p "$REPORTS/$role"
  started=$(date +%s)
  set +e
  $BIN/st --config-file bench/schemathesis.toml run "$BASE/api/schema/" \
    --header "Authorization: Token $key" \
    --checks all \
    --max-examples "$MAX_EXAMPLES" \
    --seed "$SEED" \
    --workers "${ST_WORKERS:-2}" \
    --no-shrink \
    --request-timeout 60 \
    --exclude-path-regex '/auth/(logout/|tokens/\{)' \
    --report junit,ndjson --report-dir "$REPORTS/$role" \
    --warnings off \
    "$@" 2>&1 | tee "$REPORTS/$role/st.log" | tail -40
  code=${PIPESTATUS[0]}
  set -e
  cases=$({ grep -A1 '^Test cases:' "$REPORTS/$role/st.log" || true; } | tail -1 | sed 's/^ *//')
  failures=$({ sed -n '/^Failures:/,/^$/p' "$REPORTS/$role/st.log" | grep -v '^Failures:' || true; } | sed 's/^ *//' | paste -sd ';' -)
  # Cases per operation and phase, answers by status and 5xx, from this run's report (the newest).
  $BIN/python bench/schemathesis_summary.py "$(ls -t "$REPORTS/$role"/ndjson-*.ndjson | head -1)" || code=${code/#0/1}
  summary+=("$role: st exit $code in $(($(date +%s) - started)) s, max-examples $MAX_EXAMPLES; test cases: ${cases:-?}; failures: ${failures:-none}")
  [ "$code" = 0 ] || status=1
done
printf '%s\n' "${summary[@]}"
echo "5xx answers logged by the server: $(grep -c 'Internal Server Error\|Traceback' "$REPORTS.gunicorn.log" || true) (see $REPORTS.gunicorn.log)"
exit $status
