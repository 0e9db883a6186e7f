#!/usr/bin/env bash
# Install the kiosk into .venv and start it (the bundled demo pack is imported on a first start).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -e '.[kiosk]'
exec .venv/bin/python run.py "$@"
