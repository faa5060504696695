#!/usr/bin/env bash
# hw4 as a preempted job (CTest suite.hw4_sigterm): SIGTERM ends the study with 143, the running experiment's
# checkpoint and the command that continues it; that command finishes the experiment to the weights of a
# study never stopped.   hw4_sigterm.sh <hw4 binary> <scratch folder>
set -uo pipefail
hw4=$1 scratch=$2
rm -rf "$scratch" && mkdir -p "$scratch" && cd "$scratch" || exit 1
study=(--profile quick --only model_relu --no-progress --threads 2)
incomplete=3  # hw4's status when --only leaves experiments out of the report
"$hw4" "${study[@]}" --out whole > whole.log 2>&1
status=$?
[[ $status == "$incomplete" ]] || { echo "FAIL: the uninterrupted study exited $status: $(tail -3 whole.log)"; exit 1; }

"$hw4" "${study[@]}" --out stopped > stopped.log 2>&1 &
job=$!
for _ in $(seq 1 500); do grep -q "^\[1/1 model_relu\]" stopped.log && break; sleep 0.01; done  # the experiment has started
kill -TERM "$job"
wait "$job"
status=$?
[[ $status == 143 ]] || { echo "FAIL: hw4 sent SIGTERM exited $status: $(tail -3 stopped.log)"; exit 1; }
grep -q "^hw4: SIGTERM: training stopped at epoch" stopped.log && grep -q "^to continue: hw4 " stopped.log ||
  { echo "FAIL: no stop message: $(tail -3 stopped.log)"; exit 1; }
[[ -f stopped/runs/model_relu.checkpoint ]] || { echo "FAIL: no checkpoint"; exit 1; }
grep "^hw4: SIGTERM" stopped.log

"$hw4" "${study[@]}" --out stopped > continued.log 2>&1
status=$?
[[ $status == "$incomplete" ]] || { echo "FAIL: the continued study exited $status: $(tail -3 continued.log)"; exit 1; }
grep -q "resuming from" continued.log || { echo "FAIL: the continued study did not resume"; exit 1; }
cmp -s stopped/runs/model_relu.weights whole/runs/model_relu.weights || { echo "FAIL: the continued study trained other weights"; exit 1; }
echo "continued from its checkpoint to the uninterrupted study's weights"
