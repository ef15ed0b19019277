#!/usr/bin/env bash
# Makes sure the site's browser tests (tests/test_site_browser.py) have a Chromium to drive.
# Finds one the way the tests do (tests/chromium.py: $CHROMIUM, chromium/google-chrome on PATH,
# the macOS bundles, a Playwright-installed build) and does nothing more when there is one. Only
# without one, as root with apt-get (a clean CI machine), it installs Debian's 'chromium'
# package; otherwise it says how to get one and leaves the decision to the user (the browser
# tests then fail with that same line; `make test-fast` does not run them).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-python3}"

if found="$("$python" "$here/tests/chromium.py" 2>/dev/null)"; then
    echo "install-browser: using $found ($("$found" --version 2>/dev/null || echo 'version unknown'))"
    exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: installing the Debian package 'chromium' (apt-get update && apt-get install -y chromium)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
    found="$("$python" "$here/tests/chromium.py")"
    echo "install-browser: installed $found"
    exit 0
fi

echo "install-browser: $("$python" "$here/tests/chromium.py" 2>&1 >/dev/null)" >&2
echo "install-browser: the browser tests will fail until one is installed; make test-fast runs without them" >&2
