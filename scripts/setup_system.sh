#!/usr/bin/env bash
# Installs the Debian packages zhifa needs, only those missing. Usage: setup_system.sh demo|test
set -euo pipefail
what="${1:-demo}"
pkgs=(fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils nodejs npm)
if [ "$what" = "test" ]; then
  pkgs+=(postgresql redis-server chromium openjdk-17-jre-headless)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node/npm/java may come with the machine image rather than from Debian packages
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
if command -v java >/dev/null; then missing=("${missing[@]/openjdk-17-jre-headless}"); fi
todo=()
for p in "${missing[@]}"; do [ -n "$p" ] && todo+=("$p"); done
if [ ${#todo[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
echo "installing: ${todo[*]}"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${todo[@]}" >/dev/null
echo "system packages: installed"
