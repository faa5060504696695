#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS (default 60), side by side, from seeds written by the tests' fixture
# code, with a 1 GB memory limit and a 10 s per-input limit. Fails on any crash, sanitizer report, timeout
# or out-of-memory, and prints what each fuzzer did.
#   tests/fuzz/run_fuzzers.sh [SECONDS] [BUILD_DIR]     (BUILD_DIR: a `cmake --preset fuzz` build, build/fuzz)
set -euo pipefail
seconds=${1:-60}
build=${2:-build/fuzz}
corpus=$build/corpus
"$build/tests/fuzz/make_fuzz_corpus" "$corpus/seeds"
# The four run side by side, each for SECONDS.
targets="idx png weights onnx"
pids=()
for target in $targets; do
  mkdir -p "$corpus/$target" "$build/fuzz-artifacts/$target"
  # The first corpus folder collects what the run finds interesting; the seeds are read only.
  "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -rss_limit_mb=1024 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$build/fuzz-artifacts/$target/" "$corpus/$target" "$corpus/seeds/$target" > "$build/fuzz_$target.log" 2>&1 &
  pids+=($!)
done
status=0
for i in 0 1 2 3; do
  target=$(echo $targets | cut -d' ' -f$((i + 1)))
  log=$build/fuzz_$target.log
  if wait "${pids[$i]}"; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
    echo "fuzz_$target: ${seconds} s, $runs inputs, $coverage, corpus $(ls "$corpus/$target" | wc -l) files, no crash, hang or out-of-memory"
  else
    echo "fuzz_$target FAILED (see $log):"
    tail -40 "$log"
    status=1
  fi
done
exit $status
