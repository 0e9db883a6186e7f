#!/usr/bin/env bash
# Remove the kiosk: its services, program and users. Visitors' data in /var/lib/wuxiao-kiosk is kept.
# --root DIR removes it from DIR instead of / (as install.sh --root put it there).
set -euo pipefail
ROOT=/
while [ $# -gt 0 ]; do
  case "$1" in
    --root) ROOT=$2; shift 2 ;;
    *) echo "用法：sudo ./uninstall.sh [--root 目录]" >&2; exit 2 ;;
  esac
done
R=${ROOT%/}
if [ "$(id -u)" != 0 ]; then echo "请用管理员身份运行：sudo $0" >&2; exit 1; fi
units=(wuxiao-kiosk.service wuxiao-screen.service wuxiao-update.path wuxiao-update.service)
if [ -z "$R" ]; then systemctl stop "${units[@]}" 2>/dev/null || true; fi
systemctl --root="${R:-/}" disable "${units[@]}" 2>/dev/null || true
for unit in "${units[@]}"; do rm -f "$R/etc/systemd/system/$unit"; done
rm -rf "$R/etc/wuxiao-kiosk"
rm -rf "$R/opt/wuxiao-kiosk"
rm -f "$R/etc/chromium/policies/managed/wuxiao-kiosk.json"
for user in wuxiao-screen wuxiao; do
  if grep -q "^$user:" "$R/etc/passwd" 2>/dev/null; then userdel --prefix "${R:-/}" "$user"; fi
done
if [ -z "$R" ]; then systemctl daemon-reload; fi
echo "已卸载。观众的建议和统计仍在 /var/lib/wuxiao-kiosk（要彻底删除请手动删掉这个文件夹）。"
