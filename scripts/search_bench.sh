#!/usr/bin/env bash
# The search benchmark (issue 12 item 6): tantivy (crates/search) against SQLite
# FTS5 on the same generated practices and queries, in one run, release build.
# Prints markdown tables; numbers to read, not a test.
#
#   BENCH_DOCS=100000             how many practices to generate
#   SEEDS_DIR=/work/shared/seeds  where the Spanish vocabulary comes from
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --release -q -p redes-search --example search_bench
