#!/usr/bin/env bash
# Installs Debian's Chromium for the site's browser test (tests/test_site_browser.py).
# Idempotent: does nothing when /usr/bin/chromium is already there. Playwright drives this
# system browser through `executable_path`; `playwright install` (which downloads its own
# browser builds) is never used.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    echo "install-browser: $CHROMIUM already installed ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "install-browser: $CHROMIUM is missing and we are not root; install the Debian package 'chromium' (apt-get install chromium)" >&2
    exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: $CHROMIUM is missing and apt-get is not available; install Chromium at $CHROMIUM" >&2
    exit 1
fi

echo "install-browser: installing the Debian package 'chromium' (apt-get update && apt-get install -y chromium)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
echo "install-browser: installed $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
