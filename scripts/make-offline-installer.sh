#!/usr/bin/env bash
# Write an offline installer for a USB stick into OUTDIR: the program (app/), every Python wheel it needs
# (wheels/, for Debian 12's Python 3.11 and Debian 13's 3.13), the Debian packages with everything they need
# (debs/, a local apt source for this machine's Debian release), install.sh and uninstall.sh.
# Run on a machine with internet and the same Debian release as the kiosk PCs.
# Usage: scripts/make-offline-installer.sh OUTDIR [--no-debs] [--python 3.11,3.13]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:?用法：scripts/make-offline-installer.sh 输出目录 [--no-debs] [--python 3.11,3.13]}
shift
DEBS=1
PYTHONS=3.11,3.13
while [ $# -gt 0 ]; do
  case "$1" in
    --no-debs) DEBS=0; shift ;;
    --python) PYTHONS=$2; shift 2 ;;
    *) echo "未知选项：$1" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT/app" "$OUT/wheels" "$OUT/debs"
OUT=$(cd "$OUT" && pwd)

echo "== 程序"
rm -rf "$OUT/app" && mkdir "$OUT/app"
git archive HEAD | tar -x -C "$OUT/app"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)-$(git rev-parse --short HEAD)
echo "$version" > "$OUT/app/VERSION"
cp deploy/install.sh deploy/uninstall.sh deploy/debian-packages.txt "$OUT/"

echo "== Python 软件包（$PYTHONS）"
pip=(python3 -m pip)
[ -x .venv/bin/pip ] && pip=(.venv/bin/pip)
requirements=$(python3 - <<'PY'
import tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
build = tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"]
print("\n".join(project["dependencies"] + project["optional-dependencies"]["kiosk"] + build + ["wheel"]))
PY
)
source_only=$(printf '%s\n' "$requirements" | grep -i '^jieba' || true)  # published as source only
binary=$(printf '%s\n' "$requirements" | grep -vi '^jieba')
for py in ${PYTHONS//,/ }; do
  printf '%s\n' "$binary" | "${pip[@]}" download --quiet --disable-pip-version-check --dest "$OUT/wheels" \
    --only-binary=:all: --python-version "$py" --implementation cp \
    --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
    -r /dev/stdin
done
if [ -n "$source_only" ]; then
  "${pip[@]}" download --quiet --disable-pip-version-check --dest "$OUT/wheels" --no-deps --no-binary=:all: $source_only
fi

if [ "$DEBS" = 1 ]; then
  echo "== Debian 软件包（连同依赖）"
  packages=$(cat deploy/debian-packages.txt)
  closure=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
    --no-enhances $packages | grep '^[a-z0-9]' | sort -u)
  (cd "$OUT/debs" && apt-get download $closure)
  (cd "$OUT/debs" && dpkg-scanpackages --multiversion . /dev/null > Packages 2>/dev/null)
fi
echo "完成：$OUT（版本 $version）。把整个文件夹拷到U盘，在展示端电脑上运行 sudo ./install.sh。"
