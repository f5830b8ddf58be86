#!/usr/bin/env bash
# Write an nginx.conf for N replicas from deploy/nginx.conf.in to stdout.
#   deploy/nginx-conf.sh LISTEN RUN_DIR HOST:PORT [HOST:PORT ...]
# e.g. deploy/nginx-conf.sh 0.0.0.0:80 /var/lib/dashboard-nginx 10.0.0.11:8501 10.0.0.12:8501 10.0.0.13:8501
# Then: nginx -p RUN_DIR -e RUN_DIR/error.log -c /path/to/nginx.conf
# A replica that fails once is skipped for 10 s (max_fails=1 fail_timeout=10s: passive health checks).
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 LISTEN RUN_DIR HOST:PORT [HOST:PORT ...]" >&2; exit 2; }
listen=$1 run=$2
shift 2
mkdir -p "$run"
servers=""
for upstream in "$@"; do
  servers+="        server $upstream max_fails=1 fail_timeout=10s;"$'\n'
done
template="$(dirname "$0")/nginx.conf.in"
awk -v listen="$listen" -v run="$run" -v servers="${servers%$'\n'}" '
  /^@SERVERS@$/ { print servers; next }
  { gsub(/@LISTEN@/, listen); gsub(/@RUN@/, run); print }' "$template"
