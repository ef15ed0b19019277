"""Where the browser tests find Chromium: one list, used by the tests and by
``scripts/install-browser.sh`` (``python3 tests/chromium.py`` prints the path, or exits 1).

In order: ``$CHROMIUM``; ``chromium``, ``chromium-browser``, ``google-chrome`` or
``google-chrome-stable`` on ``PATH`` (Debian, Ubuntu, Fedora, Homebrew); the macOS application
bundles; a Chromium that Playwright installed (``$PLAYWRIGHT_BROWSERS_PATH``, else its default
cache folder). Playwright drives whichever is found through ``executable_path``.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
MAC_BUNDLES = ("/Applications/Chromium.app/Contents/MacOS/Chromium",
               "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome")
PLAYWRIGHT_BUILDS = ("chromium-*/chrome-linux/chrome", "chromium-*/chrome-mac/Chromium.app/Contents/MacOS/Chromium",
                     "chromium_headless_shell-*/chrome-linux/headless_shell")
HOW_TO_GET_IT = ("no Chromium found: install one (Debian/Ubuntu: sudo apt-get install chromium; macOS: "
                 "brew install --cask chromium; anywhere: .venv/bin/playwright install chromium) or set "
                 "CHROMIUM=/path/to/chrome")


def find_chromium() -> Path | None:
    """The first Chromium of the list above that exists and is executable, or None."""
    given = os.environ.get("CHROMIUM")
    candidates: list[str] = [given] if given else []
    candidates += [found for name in NAMES if (found := shutil.which(name))]
    candidates += list(MAC_BUNDLES)
    builds = os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or _playwright_default()
    if builds:
        for pattern in PLAYWRIGHT_BUILDS:
            candidates += sorted((str(p) for p in Path(builds).glob(pattern)), reverse=True)
    for candidate in candidates:
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return Path(candidate)
    return None


def _playwright_default() -> str | None:
    """Playwright's own cache folder (only looked at, never written)."""
    if sys.platform == "darwin":
        return str(Path.home() / "Library" / "Caches" / "ms-playwright")
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return str(Path(base) / "ms-playwright")


if __name__ == "__main__":
    found = find_chromium()
    if found is None:
        print(HOW_TO_GET_IT, file=sys.stderr)
        sys.exit(1)
    print(found)
