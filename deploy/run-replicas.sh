#!/usr/bin/env bash
# Run N identical dashboard replicas on this machine, on ports BASE_PORT .. BASE_PORT+N-1
# (default 8501), each a `streamlit run app.py`; they share nothing but the bucket.
#   DASHBOARD_DATA_DIR=s3://bucket/prefix AWS_ENDPOINT_URL=… AWS_ACCESS_KEY_ID=… \
#   AWS_SECRET_ACCESS_KEY=… AWS_REGION=… deploy/run-replicas.sh 3
# Put nginx in front (deploy/nginx-conf.sh).  Stops all of them on Ctrl-C / SIGTERM; a replica
# that exits is restarted after 2 s.  On several machines, run it (or deploy/dashboard@.service)
# on each with N=1 or more, and list every HOST:PORT in the nginx config.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:?usage: deploy/run-replicas.sh N}
base=${BASE_PORT:-8501}
address=${SERVER_ADDRESS:-127.0.0.1}   # 0.0.0.0 when nginx runs on another machine
py=${PYTHON:-.venv/bin/python}
case "${DASHBOARD_DATA_DIR:-}" in
  s3://*) ;;
  *) echo "注意：DASHBOARD_DATA_DIR 不是 s3://…，各副本将读同一个本地数据目录（只适用于单机）" >&2 ;;
esac
pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait; exit 0; }
trap stop INT TERM
for i in $(seq 0 $((n - 1))); do
  port=$((base + i))
  (
    child=
    trap '[ -n "$child" ] && kill "$child" 2>/dev/null; exit 0' TERM INT
    while true; do
      "$py" -m streamlit run app.py --server.headless=true --server.address="$address" \
        --server.port="$port" --server.fileWatcherType=none --browser.gatherUsageStats=false &
      child=$!
      wait "$child" || true
      sleep 2
    done
  ) &
  pids+=($!)
  echo "副本 $((i + 1))：http://$address:$port（健康检查 /_stcore/health）"
done
wait
