#!/usr/bin/env bash
# Benchmark: how fast Masthead serves a cached article, alone and behind nginx, against nginx
# serving the same bytes as a static file (the physical limit of this machine); how long an
# article takes to render uncached; and how long a published edit takes to reach readers.
#
#     bench/serve.sh
#
# From a fresh clone: installs nginx and wrk with apt-get if missing, makes .venv, then starts
# Masthead the way ./run does (`manage.py serve`, demo newsroom) in a fresh temporary data
# folder, picks the largest English demo article, and loads with wrk, in turn:
#   (a) nginx serving the article's exact bytes as a static file,
#   (b) Masthead alone (its page cache answering),
#   (c) nginx configured as deploy/nginx/masthead.conf says, in front of Masthead.
# Then the uncached render times, the staleness of (c) after a publish, optionally
# bench/scale.py, and a table. Everything it starts is stopped on exit. The last line is
#     alone_ratio=<x> alone_p99_ms=<y> proxied_ratio=<z> staleness_s=<s>
#
# Settings (environment): BENCH_PORT (first of three loopback ports, default 18801),
# BENCH_DURATION (per wrk run, default 10s), BENCH_WARMUP (default 3s), BENCH_THREADS (2),
# BENCH_CONNECTIONS (32), BENCH_RENDERS (requests per render median, 50), BENCH_EDITS
# (published edits timed for staleness, the worst one counts; 3), BENCH_WORK_DIR
# (default: a new temporary folder), BENCH_KEEP=1 (keep that folder: logs, configs, wrk output),
# MASTHEAD_BENCH_SCALE=0 (skip bench/scale.py).

# The whole script is one block, read before it runs: editing the file (or a git pull) while a
# run is in progress can't change what the run does.
{
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)

APP_PORT=${BENCH_PORT:-18801}
STATIC_PORT=$((APP_PORT + 1))
PROXY_PORT=$((APP_PORT + 2))
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-3s}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
RENDERS=${BENCH_RENDERS:-50}
EDITS=${BENCH_EDITS:-3}

say() { printf '\n== %s\n' "$*"; }

# --- 1. nginx, wrk and the virtual environment ---------------------------------------------
export PATH="$PATH:/usr/sbin:/sbin"
missing=()
command -v nginx > /dev/null || missing+=(nginx)
command -v wrk > /dev/null || missing+=(wrk)
if [ ${#missing[@]} -gt 0 ]; then
  say "Installing ${missing[*]} with apt-get"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi
source scripts/venv.sh
ensure_venv ""
PY="$REPO/.venv/bin/python"
HELPERS="$REPO/bench/serve_helpers.py"

for port in "$APP_PORT" "$STATIC_PORT" "$PROXY_PORT"; do
  if (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then
    echo "Port $port is in use; choose other ports with BENCH_PORT=<first of three>." >&2
    exit 1
  fi
done

if [ -n "${BENCH_WORK_DIR:-}" ]; then
  WORK=$BENCH_WORK_DIR
  if [ -e "$WORK" ] && [ -n "$(ls -A "$WORK")" ]; then
    echo "BENCH_WORK_DIR=$WORK is not empty; give an empty or new folder." >&2
    exit 1
  fi
  mkdir -p "$WORK"
else
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/masthead-bench.XXXXXX")
  # nginx's worker processes run as another user (nobody, www-data) and must read in here.
  chmod 755 "$WORK"
fi
WORK=$(cd "$WORK" && pwd)
DATA="$WORK/data"
mkdir -p "$DATA" "$WORK/www" "$WORK/tls"

# --- Stopping everything on exit ------------------------------------------------------------
SERVE_PID=""
NGINX_CONFS=()

descendants() {
  local child
  for child in $(pgrep -P "$1" 2> /dev/null || true); do
    echo "$child"
    descendants "$child"
  done
}

stop_all() {
  local status=$? conf pid pids
  trap - EXIT INT TERM
  for conf in "${NGINX_CONFS[@]}"; do
    pid=$(cat "${conf%.conf}/nginx.pid" 2> /dev/null || true)
    [ -n "$pid" ] && kill "$pid" 2> /dev/null || true
  done
  if [ -n "$SERVE_PID" ] && kill -0 "$SERVE_PID" 2> /dev/null; then
    # serve starts its web server and worker in their own sessions: note them (and theirs)
    # first, ask serve to stop them, and make sure afterwards.
    pids=$(descendants "$SERVE_PID")
    kill -TERM "$SERVE_PID" 2> /dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$SERVE_PID" 2> /dev/null || break
      sleep 0.2
    done
    kill -KILL "$SERVE_PID" 2> /dev/null || true
    for pid in $pids; do kill -KILL "$pid" 2> /dev/null || true; done
  fi
  SERVE_PID=""
  if [ "$status" -ne 0 ]; then
    echo "Logs, configurations and wrk output: $WORK" >&2
  elif [ "${BENCH_KEEP:-0}" != 1 ]; then
    rm -rf "$WORK"
  fi
  exit "$status"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

wait_for() { # URL SECONDS
  local deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null --max-time 5 "$1" 2> /dev/null; do
    if [ -n "$SERVE_PID" ] && ! kill -0 "$SERVE_PID" 2> /dev/null; then
      echo "Masthead stopped while starting; the end of its log:" >&2
      tail -n 40 "$WORK/serve.log" >&2
      return 1
    fi
    if [ $SECONDS -ge "$deadline" ]; then
      echo "$1 did not answer within $2 s." >&2
      return 1
    fi
    sleep 0.5
  done
}

start_nginx() { # CONF
  "$(command -v nginx)" -p "${1%.conf}" -c "$1" -e "${1%.conf}/error.log"
  NGINX_CONFS+=("$1")
}

log_lines() { wc -l < "$WORK/serve.log"; }

load() { # NAME URL
  local before
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$2" > "$WORK/wrk-$1-warmup.txt"
  before=$(log_lines)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$2" > "$WORK/wrk-$1.txt"
  sed -n -e '/requests in/p' -e '/Requests\/sec/p' -e '/Socket errors/p' -e '/Non-2xx/p' \
    -e '/^ *50%/p' -e '/^ *99%/p' "$WORK/wrk-$1.txt"
  # What reached Masthead meanwhile, from its web server's access log (status: count).
  echo "  Masthead's access log during the run: $(tail -n +"$((before + 1))" "$WORK/serve.log" |
    grep -oE '" [1-5][0-9]{2} ' | sort | uniq -c |
    awk '{printf "%s%s x %s", (NR > 1 ? ", " : ""), $3, $1} END {if (NR == 0) printf "no requests"}')"
}

# --- 2. Masthead, the way ./run starts it ---------------------------------------------------
say "Starting Masthead (manage.py serve, demo newsroom) on 127.0.0.1:$APP_PORT, data in $DATA"
MASTHEAD_DATA_DIR="$DATA" MASTHEAD_HOST=127.0.0.1 MASTHEAD_PORT="$APP_PORT" \
  "$PY" manage.py serve > "$WORK/serve.log" 2>&1 &
SERVE_PID=$!
started=$SECONDS
wait_for "http://127.0.0.1:$APP_PORT/" 600
echo "Answering after $((SECONDS - started)) s (log: $WORK/serve.log)."
grep -m1 -i -E "granian|gunicorn|Listening|Booting" "$WORK/serve.log" || true
# The worker starts with the demo's queue (translations' indexes, related lists, every story's
# pictures in AVIF/WebP): measure once it is idle, as a newsroom's server is between stories.
started=$SECONDS
until [ "$(MASTHEAD_DATA_DIR="$DATA" "$PY" manage.py shell -v 0 -c "
from django_tasks_db.models import DBTaskResult
print(DBTaskResult.objects.filter(status__in=['READY', 'RUNNING']).count())" 2> /dev/null)" = 0 ]; do
  [ $((SECONDS - started)) -lt 900 ] || { echo "The worker is still busy after 900 s." >&2; break; }
  sleep 5
done
echo "Worker idle after $((SECONDS - started)) s more."
STARTUP_LINES=$(log_lines)

# --- 3. The article, and nginx serving its bytes as a static file ---------------------------
say "Picking the largest English demo article"
ARTICLE=$("$PY" "$HELPERS" pick-article "http://127.0.0.1:$APP_PORT" "$WORK/www/article.html")
echo "Article: $ARTICLE ($(wc -c < "$WORK/www/article.html") bytes saved)"

"$PY" "$HELPERS" nginx-configs "$REPO/deploy/nginx/masthead.conf" "$WORK" "$DATA" \
  "$APP_PORT" "$STATIC_PORT" "$PROXY_PORT"
command -v openssl > /dev/null || { echo "openssl is needed (a throwaway certificate)." >&2; exit 1; }
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
  -keyout "$WORK/tls/key.pem" -out "$WORK/tls/cert.pem" > /dev/null 2>&1
if nginx -t -q -p "$WORK/nginx-check" -c "$WORK/nginx-check.conf" -e "$WORK/nginx-check/error.log"; then
  echo "deploy/nginx/masthead.conf (whole file, TLS included): nginx -t ok"
else
  echo "deploy/nginx/masthead.conf does not pass nginx -t (above)." >&2
  exit 1
fi
start_nginx "$WORK/nginx-static.conf"
start_nginx "$WORK/nginx-proxy.conf"
wait_for "http://127.0.0.1:$STATIC_PORT$ARTICLE" 10
wait_for "http://127.0.0.1:$PROXY_PORT$ARTICLE" 10
if ! cmp -s <(curl -fsS "http://127.0.0.1:$STATIC_PORT$ARTICLE") "$WORK/www/article.html"; then
  echo "nginx static does not answer the article's bytes." >&2
  exit 1
fi

# --- 4./5. Load --------------------------------------------------------------------------
say "(a) nginx static file: wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after $WARMUP warm-up)"
load static "http://127.0.0.1:$STATIC_PORT$ARTICLE"

say "(b) Masthead alone"
echo -n "before: " && "$PY" "$HELPERS" headers "http://127.0.0.1:$APP_PORT$ARTICLE"
load alone "http://127.0.0.1:$APP_PORT$ARTICLE"
echo -n "after:  " && "$PY" "$HELPERS" headers "http://127.0.0.1:$APP_PORT$ARTICLE"

say "(c) Masthead behind nginx (deploy/nginx/masthead.conf)"
echo -n "before: " && "$PY" "$HELPERS" headers "http://127.0.0.1:$PROXY_PORT$ARTICLE"
load proxied "http://127.0.0.1:$PROXY_PORT$ARTICLE"
echo -n "after:  " && "$PY" "$HELPERS" headers "http://127.0.0.1:$PROXY_PORT$ARTICLE"

# --- 6. Uncached render times -------------------------------------------------------------
say "Uncached renders over HTTP (median of $RENDERS, page cache bypassed with ?nocache=<n>)"
"$PY" "$HELPERS" render-times "http://127.0.0.1:$APP_PORT" "$ARTICLE" "$RENDERS" \
  | tee "$WORK/render.txt"
if [ -f bench/article_render.py ]; then
  say "bench/article_render.py"
  if ! "$PY" bench/article_render.py 2>&1 | tee "$WORK/article_render.txt" | tail -n 15; then
    echo "(bench/article_render.py failed; its output: $WORK/article_render.txt)"
  fi
fi

# --- 7. Staleness after a publish ---------------------------------------------------------
say "Staleness: publishing $EDITS edits of $ARTICLE, polling both copies every 50 ms"
MASTHEAD_DATA_DIR="$DATA" "$PY" "$HELPERS" staleness "http://127.0.0.1:$APP_PORT$ARTICLE" \
  "http://127.0.0.1:$PROXY_PORT$ARTICLE" "$WORK/staleness.json" "$EDITS"

# Errors Masthead logged: while starting (migrate, demo, the worker's first tasks) and after.
startup_errors=$(head -n "$STARTUP_LINES" "$WORK/serve.log" | grep -c -E " ERROR | CRITICAL " || true)
if [ "$startup_errors" -gt 0 ]; then
  say "Masthead logged $startup_errors errors while starting; the first ones:"
  head -n "$STARTUP_LINES" "$WORK/serve.log" | grep -E " ERROR | CRITICAL |^[A-Za-z_.]+(Error|Exception|DoesNotExist)\b" |
    head -n 6 || true
fi
if tail -n +"$((STARTUP_LINES + 1))" "$WORK/serve.log" | grep -q -E "Traceback| ERROR | CRITICAL "; then
  say "Masthead logged errors during the benchmark (first ones; the whole log: $WORK/serve.log)"
  tail -n +"$((STARTUP_LINES + 1))" "$WORK/serve.log" | grep -m 10 -E "Traceback| ERROR | CRITICAL |Error:" || true
fi

# Stop the servers before bench/scale.py, so it has the machine to itself.
say "Stopping Masthead and nginx"
for conf in "${NGINX_CONFS[@]}"; do
  kill "$(cat "${conf%.conf}/nginx.pid")" 2> /dev/null || true
done
NGINX_CONFS=()
if [ -n "$SERVE_PID" ]; then
  pids=$(descendants "$SERVE_PID")
  kill -TERM "$SERVE_PID" 2> /dev/null || true
  wait "$SERVE_PID" 2> /dev/null || true
  for pid in $pids; do kill -KILL "$pid" 2> /dev/null || true; done
  SERVE_PID=""
fi

# --- 8. bench/scale.py (optional) ---------------------------------------------------------
if [ -f bench/scale.py ] && [ "${MASTHEAD_BENCH_SCALE:-1}" != 0 ]; then
  say "bench/scale.py (minutes; MASTHEAD_BENCH_SCALE=0 skips it)"
  if "$PY" bench/scale.py > "$WORK/scale.txt" 2>&1; then
    tail -n 12 "$WORK/scale.txt"
  else
    echo "bench/scale.py failed; its last lines:"
    tail -n 10 "$WORK/scale.txt"
  fi
fi

# --- 9. The table and the last line -----------------------------------------------------------
say "Results ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores $(uname -m), wrk -t$THREADS -c$CONNECTIONS -d$DURATION, loopback)"
echo "Article $ARTICLE, $(wc -c < "$WORK/www/article.html") bytes"
[ "${BENCH_KEEP:-0}" = 1 ] && echo "Logs, configurations and wrk output kept in $WORK"
[ -s "$WORK/scale.txt" ] && echo "bench/scale.py: $(tail -n 1 "$WORK/scale.txt")"
"$PY" "$HELPERS" report "$WORK"
exit
}
