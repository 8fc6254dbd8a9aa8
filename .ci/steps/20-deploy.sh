#!/usr/bin/env bash
# The Dockerfile's commands, run in a plain virtualenv since CI has no Docker engine:
# install the pinned requirements, collectstatic and migrate with the production settings,
# start gunicorn with gunicorn.conf.py, then check what a proxy and an orchestrator would see.
set -euo pipefail
cd "$(dirname "$0")/../.."

work=$(mktemp -d)
log="$work/gunicorn.log"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "deploy check failed: $*" >&2
  [ -f "$log" ] && tail -n 40 "$log" >&2
  exit 1
}

PYTHON=${PYTHON:-python3}
echo "-- virtualenv with requirements.txt only"
"$PYTHON" -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check -r requirements.txt

export DJANGO_SETTINGS_MODULE=crm_project.settings.production
DJANGO_SECRET_KEY=$("$work/venv/bin/python" -c 'import secrets; print(secrets.token_urlsafe(50))')
export DJANGO_SECRET_KEY
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
# The PostgreSQL the CI started (SQLite when run by hand without one).
export DATABASE_URL=${DATABASE_URL:-sqlite:///$work/deploy.sqlite3}
export DJANGO_LOG_FORMAT=json
port=$("$work/venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"

echo "-- collectstatic, check --deploy, migrate"
"$work/venv/bin/python" manage.py collectstatic --noinput >/dev/null
"$work/venv/bin/python" manage.py check --deploy --fail-level WARNING
"$work/venv/bin/python" manage.py migrate --noinput >/dev/null

echo "-- gunicorn on $base"
GUNICORN_BIND="127.0.0.1:$port" GUNICORN_WORKERS=2 GUNICORN_THREADS=2 \
  "$work/venv/bin/gunicorn" --config gunicorn.conf.py >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 60); do
  curl -fsS -o /dev/null "$base/healthcheck" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || fail "gunicorn exited"
  sleep 0.5
done

https=(-H "X-Forwarded-Proto: https")
status() { curl -sS -o "$work/body" -D "$work/headers" -w '%{http_code}' "$@"; }

# An orchestrator's probe: plain HTTP, no redirect.
[ "$(status "$base/healthcheck")" = 200 ] || fail "/healthcheck over plain HTTP"
grep -q '"migrations":"ok"' "$work/body" || fail "/healthcheck body: $(cat "$work/body")"

# Everything else is redirected to HTTPS unless the proxy says the request was HTTPS.
[ "$(status "$base/admin/login/")" = 301 ] || fail "plain HTTP /admin/login/ is not redirected"
grep -qi '^location: https://' "$work/headers" || fail "the redirect does not go to https"

[ "$(status "${https[@]}" "$base/admin/login/")" = 200 ] || fail "/admin/login/"
grep -qi '^strict-transport-security: max-age=' "$work/headers" || fail "no HSTS header"
css=$(grep -o '/static/admin/css/base\.[0-9a-f]*\.css' "$work/body" | head -n 1)
[ -n "$css" ] || fail "the login page links no hashed admin stylesheet"
[ "$(status "${https[@]}" "$base$css")" = 200 ] || fail "$css"
grep -qi '^content-type: text/css' "$work/headers" || fail "$css is not served as CSS"

[ "$(status "${https[@]}" "$base/api/docs")" = 200 ] || fail "/api/docs"
grep -q 'swagger-ui' "$work/body" || fail "/api/docs is not the Swagger UI"
js=$(grep -o '/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle\.[0-9a-f]*\.js' "$work/body" | head -n 1)
[ -n "$js" ] || fail "/api/docs does not load the bundled Swagger UI"
[ "$(status "${https[@]}" "$base$js")" = 200 ] || fail "$js"
[ "$(status "${https[@]}" "$base/openapi.json")" = 200 ] || fail "/openapi.json"

# Logs are JSON lines, the access log included, each with a request id.
"$work/venv/bin/python" - "$log" <<'PY' || fail "the log is not JSON lines with request ids"
import json, sys
records = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
access = [r for r in records if r["logger"] == "gunicorn.access"]
assert access and all(r["request_id"] not in ("", "-") for r in access), access[:3]
PY

echo "-- graceful stop"
kill -TERM "$pid"
wait "$pid" || fail "gunicorn did not stop cleanly"
pid=""
echo "deploy check passed"
