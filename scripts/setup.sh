#!/usr/bin/env bash
# Installs the system packages Winnow builds against, if any is missing (idempotent).
# As root it runs apt-get; otherwise it prints the exact command to run and fails.
set -euo pipefail
need=()
for p in pkg-config zlib1g-dev libzstd-dev libxml2-dev libicu-dev libsqlite3-dev libdeflate0 libopenblas-dev ${WINNOW_EXTRA_PACKAGES:-}; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO=sudo; else
    echo "winnow setup: missing system packages: ${need[*]}" >&2
    echo "install them with:  sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
else SUDO=; fi
echo "winnow setup: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${need[@]}" >/dev/null
