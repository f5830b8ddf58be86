#!/usr/bin/env bash
# Install into .venv and start the dashboard (builds the demo snapshot on first start).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
# the demo only into an empty data dir: snapshots with a missing or empty CURRENT are real data,
# refused with the rollback command by the app, never overwritten
.venv/bin/python -m dashboard demo --if-empty
exec .venv/bin/python -m streamlit run app.py "$@"
