#!/usr/bin/env bash
# Write an update bundle for a USB stick: OUTDIR/wuxiao-update-<version>.tar with the program and every Python
# wheel it needs, each file checked by SHA-256; signed with --key (an Ed25519 private key in PEM, made with
# `python -m kiosk.appliance.update keygen DIR`: keep it off the repository and the kiosks).
# Staff copy the .tar to a stick; the kiosk's 软件更新 page installs it and switches back if it does not start.
# Usage: scripts/make-update-bundle.sh OUTDIR [--key update-key.pem] [--python 3.11,3.13]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:?用法：scripts/make-update-bundle.sh 输出目录 [--key 私钥.pem] [--python 3.11,3.13]}
shift
KEY=()
PYTHONS=(--python 3.11,3.13)
while [ $# -gt 0 ]; do
  case "$1" in
    --key) KEY=(--key "$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"); shift 2 ;;
    --python) PYTHONS=(--python "$2"); shift 2 ;;
    *) echo "未知选项：$1" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash scripts/make-offline-installer.sh "$work/installer" --no-debs "${PYTHONS[@]}" >/dev/null
version=$(cat "$work/installer/app/VERSION")
python=python3
[ -x .venv/bin/python ] && python=.venv/bin/python
"$python" -m kiosk.appliance.update make "$work/installer" "$OUT/wuxiao-update-$version.tar" "${KEY[@]}"
