#!/usr/bin/env bash
# Install into .venv and start the dashboard (builds the demo snapshot on first start).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
if [ -z "$(cat data/CURRENT 2>/dev/null)" ] && [ -z "${DASHBOARD_DATA_DIR:-}" ]; then
  echo "首次启动：生成演示数据快照…"
  .venv/bin/python -m dashboard demo
fi
exec .venv/bin/python -m streamlit run app.py "$@"
