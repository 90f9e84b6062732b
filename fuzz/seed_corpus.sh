#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ with every program of tests/programs (and examples/), one file
# each, named after its path. Run from anywhere; existing corpus entries are kept.
set -euo pipefail
cd "$(dirname "$0")/.."
for target in diagnostics run; do
    mkdir -p "fuzz/corpus/$target"
    find tests/programs examples -name '*.py' | sort | while read -r f; do
        cp "$f" "fuzz/corpus/$target/seed-$(echo "$f" | tr '/' '_')"
    done
done
echo "seeded: $(ls fuzz/corpus/diagnostics | wc -l) diagnostics, $(ls fuzz/corpus/run | wc -l) run"
