#!/usr/bin/env bash
# Start the web server, the task worker and the scheduler together, and keep them running: a
# child that exits (a crash, a lost database) is started again after a short pause, and the
# others go on serving. Ctrl-C (or TERM) stops them all (docs/reliability.md, "Processes").
# No `set -e`: a child's exit status is for the supervisor to handle, not a reason to stop.
set -uo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
BIN=.venv/bin

declare -A pids=() started_at=() quick_exits=()

start() {
  case "$1" in
    # Several workers take tasks side by side (each leases its own): the sandbox's callbacks
    # are posted concurrently, as the real processor posts them, not one at a time.
    worker*) "$BIN/python" manage.py run_worker --queue-name '*' & ;;
    # Queues the periodic tasks (expired reservations, overdue answers...) when due.
    scheduler) "$BIN/python" manage.py run_scheduler & ;;
    # One worker process per core by default: a page is CPU work (SQLite runs in the worker).
    # A few threads each, so that a request waiting on another request of this server (the
    # processor's callback asks the sandbox's status API here) never holds the only free slot.
    web)
      "$BIN/gunicorn" souk.wsgi:application \
        --bind "127.0.0.1:${PORT}" \
        --workers "${WEB_CONCURRENCY:-$(nproc)}" \
        --threads "${WEB_THREADS:-4}" \
        --access-logfile - \
        --graceful-timeout 5 \
        --no-control-socket &
      ;;
  esac
  pids[$1]=$!
  started_at[$1]=$SECONDS
}

stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping Souk..."
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  exit 0
}
trap stop INT TERM EXIT

children=(scheduler web)
for ((n = 1; n <= ${TASK_WORKERS:-$(nproc)}; n++)); do
  children+=("worker$n")
done
for name in "${children[@]}"; do
  start "$name"
  quick_exits[$name]=0
done

echo
echo "Souk is running on http://127.0.0.1:${PORT}/  (Ctrl-C stops the server and the worker)"
echo "Log in with one of the demo accounts listed above."
echo

while true; do
  exited=""
  wait -n -p exited "${pids[@]}"
  status=$?
  # Interrupted by a signal (the trap stops everything) or nothing to report.
  [[ -n "$exited" ]] || continue
  for name in "${!pids[@]}"; do
    [[ "${pids[$name]}" == "$exited" ]] && break
  done
  # 1 s after an exit, doubled for each exit within a minute of starting, at most 30 s: a
  # child that cannot start (the database is down) does not spin.
  if ((SECONDS - started_at[$name] >= 60)); then
    quick_exits[$name]=0
  fi
  delay=$((1 << quick_exits[$name]))
  ((delay > 30)) && delay=30
  ((quick_exits[$name] < 5)) && quick_exits[$name]=$((quick_exits[$name] + 1))
  echo "serve.sh: the ${name} (pid ${exited}) exited with status ${status}; restarting it in ${delay}s" >&2
  # Sleep in the background so Ctrl-C or TERM is handled at once, not after the pause.
  sleep "$delay" &
  wait $!
  start "$name"
  echo "serve.sh: the ${name} is running again (pid ${pids[$name]})" >&2
done
