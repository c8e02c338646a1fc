#!/usr/bin/env bash
# `make serve-cached`: ToeSite as it runs in production, on one machine: Redis, gunicorn (the
# production settings) and Varnish in front (deploy/varnish/site.vcl), purged after every change.
# Installs Debian's varnish and varnish-modules when varnishd is absent. Readers' address:
# http://127.0.0.1:$CACHED_PORT/ (gunicorn itself listens on $APP_PORT). Ctrl+C stops gunicorn and
# Varnish; Redis, if this started it, keeps running. Staff sign-in needs HTTPS (secure cookies): edit
# with `make run`, or put a TLS proxy in front as in docs/scaling.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
CACHED_PORT=${CACHED_PORT:-8080}
APP_PORT=${APP_PORT:-8001}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}

if ! command -v varnishd >/dev/null; then
  echo "Installing varnish and varnish-modules (Debian packages)"
  apt-get update -qq && apt-get install -y -qq varnish varnish-modules
fi
if ! redis-cli -u "$REDIS_URL" ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
fi

export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-$($BIN/python -c 'import secrets; print(secrets.token_urlsafe(50))')}
export DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}
export DJANGO_SITE_URL=${DJANGO_SITE_URL:-http://127.0.0.1:$CACHED_PORT}
export DJANGO_SSL_REDIRECT=0  # plain HTTP on this machine; a real deployment ends TLS in front
export REDIS_URL

$BIN/python manage.py migrate --noinput --verbosity 0
$BIN/python manage.py load_content --verbosity 0
$BIN/python manage.py load_questionnaire --verbosity 0
$BIN/python manage.py collectstatic --noinput --verbosity 0

work=$(mktemp -d)
chmod 755 "$work"  # varnishd's worker runs as its own user and reads the VCL here
sed "s/\.port = \"8000\";/.port = \"$APP_PORT\";/" deploy/varnish/site.vcl > "$work/site.vcl"
FRONT_CACHES=127.0.0.1:$CACHED_PORT $BIN/gunicorn toesite.wsgi --bind "127.0.0.1:$APP_PORT" --workers "${WORKERS:-3}" &
app=$!
trap 'kill $app 2>/dev/null; [ -f "$work/varnishd.pid" ] && kill "$(cat "$work/varnishd.pid")" 2>/dev/null; rm -rf "$work"' EXIT
echo "ToeSite through Varnish: http://127.0.0.1:$CACHED_PORT/ (press Ctrl+C to stop)"
varnishd -F -a "127.0.0.1:$CACHED_PORT" -f "$work/site.vcl" -n "$work" -s malloc,256m -P "$work/varnishd.pid"
