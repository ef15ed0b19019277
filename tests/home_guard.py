"""The real home directory, kept out of the suite's reach.

``conftest.py`` gives every test process a throwaway ``HOME`` (and XDG folders), so git, Chromium
and rai-graph's cache secret never read or write the real one, and checks at the end that nothing
under the real home's tool folders changed; ``test_quickstart.py`` checks its normal user the
same way.
"""

from __future__ import annotations

import os
import pwd
from pathlib import Path

REAL_HOME = Path(pwd.getpwuid(os.getuid()).pw_dir)
"""The account's home from the password database: ``HOME`` is the throwaway one during tests."""
HOME_PLACES = (".cache", ".config", ".local", ".npm", ".npmrc", ".gitconfig", ".pip", ".python_history")
"""Where tools (pip, npm, git, Playwright, rai-graph's cache) would write in a home."""


def written_in(home: Path, since: float, uid: int) -> list[str]:
    """Files directly in ``home`` or in its tool folders that ``uid`` changed since ``since``."""
    candidates: list[str] = []
    try:
        candidates += [str(entry) for entry in home.iterdir() if entry.is_file()]
    except OSError:
        return []  # another user's home, unreadable to us and so to the normal user too
    for place in HOME_PLACES:
        for folder, _, files in os.walk(home / place):
            candidates += [os.path.join(folder, name) for name in files]
    changed = []
    for candidate in candidates:
        try:
            info = os.lstat(candidate)
        except OSError:
            continue  # gone meanwhile
        if info.st_uid == uid and info.st_mtime >= since:
            changed.append(candidate)
    return changed
