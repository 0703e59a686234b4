#!/usr/bin/env bash
# Every figure BENCHMARKS.md compares with a target, in one run, with the load printed between steps.
#
#   bash bench/run_targets.sh [LOG]        (default LOG: bench-targets.log in the current folder)
#
# Bytecode is cached as after a normal install (some sandboxes set PYTHONDONTWRITEBYTECODE, which
# makes every start recompile the project); the calibration runs first and last, so the figures can
# be read against targets set on another machine (bench/calibrate.py).
set -euo pipefail
cd "$(dirname "$0")/.."
LOG="${1:-bench-targets.log}"
unset PYTHONDONTWRITEBYTECODE
export PYTHONPYCACHEPREFIX="${PYTHONPYCACHEPREFIX:-${TMPDIR:-/tmp}/marginalia-pycache}"
export TRANSFORMERS_VERBOSITY=error
BOOK="${TMPDIR:-/tmp}/marginalia-enbook.tex"
MDBOOK="${TMPDIR:-/tmp}/marginalia-mdbook.qmd"
step() { echo; echo "== $* ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg))"; }
{
  python -m compileall -q lsp_server plugins >/dev/null
  python bench/make_book.py --english "$BOOK" >/dev/null
  python -c "import sys; sys.path.insert(0, 'bench'); from bench_markdown import DEFAULT_CORPUS, build; open(sys.argv[1], 'w', encoding='utf-8').write(build(DEFAULT_CORPUS, 100_000))" "$MDBOOK"
  python bench/bench_server.py --edits 0 >/dev/null 2>&1 || true   # warm the bytecode and caches once
  step "calibration"; python bench/calibrate.py --runs 3
  for i in 1 2 3; do
    step "server, every default plugin, run $i"; python bench/bench_server.py --book "$BOOK" --edits 40
  done
  step "server, spelling only"; python bench/bench_server.py --book "$BOOK" --edits 40 --plugins spelling
  step "server, every default plugin, Quarto book"; python bench/bench_server.py --book "$MDBOOK" --edits 40
  step "engine, full check and edits"; python bench/bench_core.py "$BOOK" --edits 100
  step "grammar-rules + style"; python bench/bench_style.py --edits 200 --english-only
  step "citations"; python bench/bench_citations.py --runs 5 --requests 300 --edits 50
  step "markdown"; python bench/bench_markdown.py --runs 5 --edits 200
  step "model, CPU"; python bench/bench_model.py --sizes 0.5b --quant int8 --runs 5 --context 512
  step "calibration again"; python bench/calibrate.py --runs 3
} 2>&1 | tee "$LOG"
