#!/usr/bin/env bash
# The import as a job, from any machine that can reach the bucket (no replica needs to run here):
#   set -a; . /etc/dashboard/dashboard.env; set +a
#   deploy/import-job.sh tickets 工单导出.xlsx
# Builds and checks the snapshot in a local temp folder, uploads and verifies every file, then
# switches CURRENT with a conditional write; the replicas pick it up within snapshot_refresh_s.
# Exit codes as `python -m dashboard import`: 0 published, 1 refused (nothing changed), 2 usage.
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:?usage: deploy/import-job.sh KIND FILE...}
shift
case "${DASHBOARD_DATA_DIR:-}" in
  s3://*) ;;
  *) echo "DASHBOARD_DATA_DIR 须为 s3://存储桶/前缀" >&2; exit 2 ;;
esac
exec "${PYTHON:-.venv/bin/python}" -m dashboard import --kind "$kind" "$@"
