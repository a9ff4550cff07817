#!/usr/bin/env bash
# Real runs for the gate's error rates (docs/ci-gate.md): N runs of this build and N with an injected
# 30% slowdown, alternating so both see the same drift, then M interleaved A/B pairs of this build
# against itself, with and without the slowdown; scripts/gate-rates.mjs computes the rates.
#   bash scripts/measure-gate.sh OUT_DIR [N] [M]
set -euo pipefail
out=${1:?usage: measure-gate.sh OUT_DIR [N] [M]}
n=${2:-10}
m=${3:-6}
args=(--backend wasm --filter 'primitives/gemm*' --sizes 64,256 --dtype f32,f64 --threads 1,2 --time 150)
mkdir -p "$out"
for i in $(seq 1 "$n"); do
  node packages/cli/dist/main.js bench "${args[@]}" --results-dir "$out/null" > /dev/null 2>&1
  node packages/cli/dist/main.js bench "${args[@]}" --inject-slowdown 30% --results-dir "$out/slow" > /dev/null 2>&1
  echo "runs: $i of $n" >&2
done
for i in $(seq 1 "$m"); do
  node packages/cli/dist/main.js bench --interleave . "${args[@]}" --out "$out/il-null/$i" > /dev/null 2>&1
  node packages/cli/dist/main.js bench --interleave . "${args[@]}" --inject-slowdown 30% --out "$out/il-slow/$i" > /dev/null 2>&1
  echo "interleaved: $i of $m" >&2
done
node scripts/gate-rates.mjs "$out/null" "$out/slow" "$out/il-null" "$out/il-slow"
