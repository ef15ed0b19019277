#!/usr/bin/env bash
# The long fuzzing run (issue #9). `make test` runs tests/test_fuzz.py bounded (50 examples per
# property) and the caches' equivalence tests with a few; this runs the same properties with many
# more examples (the equivalence tests a tenth of EXAMPLES), then, when atheris is installed in
# .venv, a coverage-guided atheris run of the in-memory pipeline.
#
#   scripts/fuzz.sh [EXAMPLES] [ATHERIS_RUNS]     defaults: 5000 and 5000 (atheris: ~8 runs/s)
#   RAI_GRAPH_FUZZ_SEED=7 scripts/fuzz.sh          another reproducible sample (default: derandomised)
#
# Install atheris with `.venv/bin/pip install atheris` (a binary wheel exists for CPython 3.11 on
# x86-64 Linux). Crashing inputs atheris finds are written to build/fuzz/atheris/crash-*.
set -euo pipefail

cd "$(dirname "$0")/.."
PYTHON=.venv/bin/python
EXAMPLES="${1:-5000}"
ATHERIS_RUNS="${2:-5000}"
export PYTHONPATH=src
mkdir -p build/fuzz/atheris/corpus

echo "fuzz: hypothesis, ${EXAMPLES} examples per property${RAI_GRAPH_FUZZ_SEED:+, seed $RAI_GRAPH_FUZZ_SEED}"
started=$(date +%s)
status=0
RAI_GRAPH_FUZZ_EXAMPLES="$EXAMPLES" "$PYTHON" -m pytest tests/test_fuzz.py -q -p no:randomly \
    -p no:cacheprovider --durations=0 || status=$?
echo "fuzz: hypothesis took $(( $(date +%s) - started )) s (exit $status)"

# The cached-against-fresh equivalence properties (make test runs 5 and 6 examples): a tenth of
# EXAMPLES, as each example runs the CLI a dozen times on a whole repository.
EQUIVALENCE=$(( EXAMPLES / 10 > 1 ? EXAMPLES / 10 : 1 ))
echo "fuzz: cached against fresh runs, ${EQUIVALENCE} examples per property"
started=$(date +%s)
RAI_GRAPH_EQUIVALENCE_EXAMPLES="$EQUIVALENCE" "$PYTHON" -m pytest tests/test_replay.py tests/test_incremental.py \
    -q -p no:cacheprovider -k "fresh_run" --durations=5 || status=$?
echo "fuzz: equivalence took $(( $(date +%s) - started )) s (exit $status)"

if "$PYTHON" -c "import atheris" 2>/dev/null; then
    # Start from real records: the example organisation's evidence files.
    find evidence -name '*.ttl' -size -4k -exec cp -n {} build/fuzz/atheris/corpus/ \; 2>/dev/null || true
    echo "fuzz: atheris, ${ATHERIS_RUNS} runs of the in-memory pipeline"
    started=$(date +%s)
    "$PYTHON" tests/test_fuzz.py --atheris -runs="$ATHERIS_RUNS" -max_len=4096 \
        -artifact_prefix=build/fuzz/atheris/ build/fuzz/atheris/corpus || status=$?
    echo "fuzz: atheris took $(( $(date +%s) - started )) s"
else
    echo "fuzz: atheris is not installed in .venv (.venv/bin/pip install atheris); skipped"
fi
exit "$status"
