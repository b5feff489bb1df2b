#!/usr/bin/env bash
# The Next.js frontend job (example_project/frontend-next): npm ci, the client generated from the
# package's OpenAPI document (and a second generator's output compiled against it), tsc, next build
# against the example site with the demo content, then next start and the browser checks
# (.ci/frontend_e2e.py, Debian's Chromium through Playwright). Nothing is downloaded at run time
# but the npm packages of the lockfile (next's SWC binary is one: @next/swc-linux-x64-gnu).
# Ports: FRONTEND_DJANGO_PORT (default 8765) and FRONTEND_NEXT_PORT (default 3765).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PY:-$ROOT/.venv/bin/python}
APP=$ROOT/example_project/frontend-next
DJANGO_PORT=${FRONTEND_DJANGO_PORT:-8765}
NEXT_PORT=${FRONTEND_NEXT_PORT:-3765}
WORK=$(mktemp -d /tmp/mmm-frontend-XXXXXX)
export ARTIFACTS=${ARTIFACTS:-$ROOT/artifacts}
export NEXT_TELEMETRY_DISABLED=1
export DATABASE_URL=sqlite:///$WORK/db.sqlite3 MEDIA_ROOT=$WORK/media
export MMM_NEXT_URL=http://127.0.0.1:$NEXT_PORT NEXT_URL=http://127.0.0.1:$NEXT_PORT
export MMM_API_URL=http://127.0.0.1:$DJANGO_PORT/api/mmm/ PORT=$NEXT_PORT
export MMM_WEBHOOK_SECRET=whsec_$($PY -c "import base64, os; print(base64.b64encode(os.urandom(32)).decode())")
export WAGTAILADMIN_BASE_URL=http://127.0.0.1:$DJANGO_PORT
unset REDIS_URL
started=$SECONDS
pids=()
# Each server runs in its own process group (setsid): npx's child next-server goes with it.
cleanup() { for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
wait_for() {  # wait_for URL LOG: up to 60 s
  for _ in $(seq 120); do curl -fsS -o /dev/null "$1" && return 0; sleep 0.5; done
  echo "not up: $1"; cat "$2"; return 1
}

cd "$APP"
npm ci --no-audit --no-fund
PYTHON=$PY npm run --silent openapi
npm run --silent generate
npm run --silent generate:second  # openapi-typescript's types, compiled with tsc (the document is not tuned to one tool)
npx tsc --noEmit

cd "$ROOT/example_project"
$PY manage.py migrate --noinput -v 0
$PY manage.py load_demo_content --admin --site "127.0.0.1:$DJANGO_PORT" -v 0
setsid $PY -m gunicorn mysite.wsgi --bind "127.0.0.1:$DJANGO_PORT" --workers 2 --threads 4 >"$WORK/django.log" 2>&1 &
pids+=($!)
# The example site queues its webhooks (and Wagtail's tasks) in the database: its worker sends them.
setsid $PY manage.py db_worker >"$WORK/worker.log" 2>&1 &
pids+=($!)
wait_for "$MMM_API_URL" "$WORK/django.log"

cd "$APP"
rm -rf .next  # no data cache of an earlier run: the build reads the API afresh
npx next build | tee "$WORK/build.log"
# Next's table shortens the list ("[+17 more paths]"): every pre-rendered page, before any request.
find .next/server/app -name '*.html' | sed 's|^.next/server/app||; s|\.html$||' | sort >"$WORK/pages.txt"
setsid npx next start -p "$NEXT_PORT" -H 127.0.0.1 >"$WORK/next.log" 2>&1 &
pids+=($!)
wait_for "$NEXT_URL/sitemap.xml" "$WORK/next.log"

cd "$ROOT"
if ! $PY .ci/frontend_e2e.py; then
  echo "--- next start"; tail -n 50 "$WORK/next.log"; echo "--- django"; tail -n 50 "$WORK/django.log"
  echo "--- task worker"; tail -n 30 "$WORK/worker.log"; exit 1
fi
echo "next build routes:"; sed -n '/^Route (app)/,/^+ First Load/p' "$WORK/build.log"
echo "next build pre-rendered pages ($(wc -l <"$WORK/pages.txt")):"; cat "$WORK/pages.txt"
echo "Frontend job: $((SECONDS - started)) s; screenshots in $ARTIFACTS"
