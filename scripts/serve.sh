#!/usr/bin/env bash
# Start the web server, the task worker and the scheduler together; Ctrl-C (or any exit)
# stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
BIN=.venv/bin

pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping Souk..."
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
trap stop INT TERM EXIT

"$BIN/python" manage.py db_worker --queue-name '*' &
pids+=($!)
# Queues the periodic tasks (expired reservations, overdue answers...) when due.
"$BIN/python" manage.py run_scheduler &
pids+=($!)
# One sync worker per core by default: a page is CPU work (SQLite runs in the worker).
"$BIN/gunicorn" souk.wsgi:application \
  --bind "127.0.0.1:${PORT}" \
  --workers "${WEB_CONCURRENCY:-$(nproc)}" \
  --access-logfile - \
  --graceful-timeout 5 \
  --no-control-socket &
pids+=($!)

echo
echo "Souk is running on http://127.0.0.1:${PORT}/  (Ctrl-C stops the server and the worker)"
echo "Log in with one of the demo accounts listed above."
echo

# Exit as soon as either process dies, so a crash is not hidden behind a half-running app.
wait -n "${pids[@]}"
