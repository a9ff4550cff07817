#!/usr/bin/env bash
# Installs Debian's Chromium for the report's browser test (playwright-core drives it through
# executablePath; no browser is downloaded). Needs root and Debian's apt; does nothing when present.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  echo "setup-browser: $(chromium --version 2>/dev/null | head -1)"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "setup-browser: needs root (apt-get install chromium)" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
echo "setup-browser: installed $(chromium --version 2>/dev/null | head -1)"
