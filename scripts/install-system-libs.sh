#!/usr/bin/env bash
# Makes sure WeasyPrint (PDF reports, evidence packs) finds the system libraries it loads at run
# time: Pango, PangoFT2 and HarfBuzz's subsetter. Without the subsetter WeasyPrint warns that it
# "will be required", which the test suite treats as an error. Does nothing when they are there.
# Only without them, as root with apt-get (a clean CI machine), it installs Debian's packages;
# otherwise it names them and leaves the decision to the user.
set -euo pipefail

python="${PYTHON:-python3}"
packages="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"

missing() {
    "$python" - <<'PY'
import ctypes.util
wanted = {"pango-1.0": "libpango-1.0-0", "pangoft2-1.0": "libpangoft2-1.0-0",
          "harfbuzz-subset": "libharfbuzz-subset0"}
print(" ".join(package for library, package in wanted.items() if not ctypes.util.find_library(library)))
PY
}

absent="$(missing)"
if [ -z "$absent" ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "install-system-libs: installing $absent (apt-get update && apt-get install -y)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086  # one word per package
    apt-get install -y -qq --no-install-recommends $packages >/dev/null
    absent="$(missing)"
    if [ -n "$absent" ]; then
        echo "install-system-libs: still missing after the install: $absent" >&2
        exit 1
    fi
    exit 0
fi

echo "install-system-libs: WeasyPrint needs the system packages $absent (Debian/Ubuntu names);" >&2
echo "install-system-libs: PDF reports and evidence packs and their tests fail until they are installed" >&2
