#!/usr/bin/env bash
# System packages the platform and its tests need: CJK fonts (pages, Word/PDF, screenshots)
# and Debian's Chromium for the browser tests. Installs only what is missing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# The package, not fc-list: fontconfig's tools may be absent where the fonts are installed.
have_cjk() {
  if command -v dpkg-query >/dev/null 2>&1; then
    dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q "ok installed"
  else fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; fi
}
have_cjk || need+=(fonts-noto-cjk)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "缺少系统软件包：${need[*]}，请以 root 身份安装：apt-get install ${need[*]}" >&2; exit 1; fi
else SUDO=""; fi
# Two runs side by side (CI runs SQLite and PostgreSQL at once) must not race for apt's lock.
if command -v flock >/dev/null 2>&1; then exec 9>"${TMPDIR:-/tmp}/lvzhi-system-deps.lock"; flock 9; fi
echo "安装系统软件包：${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
