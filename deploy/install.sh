#!/usr/bin/env bash
# Install the kiosk from this folder (made by scripts/make-offline-installer.sh), with no network: Debian
# packages from debs/, Python wheels from wheels/. Run as root: sudo ./install.sh, then reboot.
# --root DIR installs into DIR instead of / (a throw-away root, for checking); --no-apt skips the packages;
# --release-only builds releases/<version> and nothing else (the updater, kiosk/appliance/update.py, does the rest).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=/
APT=1
ONLY_RELEASE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --root) ROOT=$2; shift 2 ;;
    --no-apt) APT=0; shift ;;
    --release-only) ONLY_RELEASE=1; APT=0; shift ;;
    *) echo "用法：sudo ./install.sh [--root 目录] [--no-apt]" >&2; exit 2 ;;
  esac
done
R=${ROOT%/}
PREFIX=/opt/wuxiao-kiosk
VERSION=$(cat "$HERE/app/VERSION")
step() { printf '\n== %s\n' "$*"; }

if [ "$(id -u)" != 0 ]; then echo "请用管理员身份运行：sudo $0" >&2; exit 1; fi

step "1/5 系统软件包（来自本文件夹，不联网）"
if [ "$APT" = 1 ] && [ -z "$R" ]; then
  sources=$(mktemp)
  echo "deb [trusted=yes] file:$HERE/debs ./" > "$sources"
  apt_local=(-o Dir::Etc::SourceList="$sources" -o Dir::Etc::SourceParts=- -o APT::Get::List-Cleanup=0)
  apt-get "${apt_local[@]}" update -qq
  xargs -a "$HERE/debian-packages.txt" apt-get "${apt_local[@]}" install -y -q --no-install-recommends
  rm -f "$sources"
else
  echo "跳过（--root 或 --no-apt）"
fi

if [ "$ONLY_RELEASE" = 1 ]; then
  if [ "$(readlink "$R$PREFIX/current" 2>/dev/null)" = "releases/$VERSION" ]; then
    echo "$VERSION 正在使用，不能重装" >&2; exit 1
  fi
else
  step "2/5 用户 wuxiao（应用）和 wuxiao-screen（屏幕）"
  mkdir -p "$R/etc"
  systemd-sysusers --root="${R:-/}" "$HERE/app/deploy/sysusers.conf"
fi

step "3/5 程序 $VERSION 装到 $PREFIX/releases/$VERSION（旧版本保留）"
releases="$R$PREFIX/releases"
mkdir -p "$releases"
rm -rf "$releases/$VERSION.part"
cp -a "$HERE/app" "$releases/$VERSION.part"
python3 -m venv "$releases/$VERSION.part/.venv"
"$releases/$VERSION.part/.venv/bin/pip" install --quiet --disable-pip-version-check --no-index \
  --find-links "$HERE/wheels" "$releases/$VERSION.part[kiosk]"
(cd "$releases/$VERSION.part" && .venv/bin/python -m kiosk.keyboard.dictionary)
rm -rf "$releases/$VERSION"
mv "$releases/$VERSION.part" "$releases/$VERSION"
if [ "$ONLY_RELEASE" = 1 ]; then echo "完成：$releases/$VERSION（未切换）。"; exit 0; fi
ln -sfn "releases/$VERSION" "$R$PREFIX/current.new"
mv -T "$R$PREFIX/current.new" "$R$PREFIX/current"

step "4/5 开机自动启动（systemd）"
mkdir -p "$R/etc/systemd/system"
install -m 644 "$releases/$VERSION/deploy/systemd/"wuxiao-* "$R/etc/systemd/system/"
systemctl --root="${R:-/}" enable wuxiao-kiosk.service wuxiao-screen.service wuxiao-update.path
# What `systemctl set-default graphical.target` writes (it refuses a root without the target's file).
ln -sfn /lib/systemd/system/graphical.target "$R/etc/systemd/system/default.target"

# Chromium's managed policies: no translate bar (flags no longer turn it off), no password or sign-in prompts.
mkdir -p "$R/etc/chromium/policies/managed"
install -m 644 "$releases/$VERSION/deploy/chromium/wuxiao-kiosk.json" "$R/etc/chromium/policies/managed/"

# Update bundles signed by the publisher: its public key(s) beside install.sh, in update-keys/ (never the private
# key). With none, updates are checked by their checksums only.
if compgen -G "$HERE/update-keys/*.pub" >/dev/null; then
  mkdir -p "$R/etc/wuxiao-kiosk/update-keys"
  install -m 644 "$HERE"/update-keys/*.pub "$R/etc/wuxiao-kiosk/update-keys/"
fi

step "5/5 启动"
if [ -z "$R" ]; then
  systemctl daemon-reload
  systemctl restart wuxiao-kiosk.service wuxiao-screen.service
  systemctl start wuxiao-update.path
  echo "完成。重启电脑后会自动进入展示画面；检查方法见 docs/deploy.md。"
else
  echo "完成（装在 $R，未启动）。"
fi
