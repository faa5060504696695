#!/usr/bin/env bash
# A variant binary as operators run it under mpirun (CTest mpi.operations):
#   mpi_operations.sh <mpiexec> <model_relu binary> <hw4 binary, or "skip"> <scratch folder> <SIGTERM stops>
# 1. two runs with 2 ranks write bit-identical weights, one summary and one report (ranks 2, per-rank timings);
# 2. ranks started with different options refuse to train, naming what differs;
# 3. a rank that fails (a data folder it cannot read) ends the job non-zero within seconds;
# 4. a rank killed mid-training ends the job non-zero within 30 s;
# 5. SIGTERM to both ranks at random moments (20 times; 0, skipped, under the sanitizers, where the runs take
#    minutes): each stop exits 143 with a checkpoint, and --resume finishes with the weights of an uninterrupted run;
# 6. the hw4 study on 2 ranks trains what it trains in one process, and writes its report once.
set -uo pipefail
mpiexec=$1 binary=$2 hw4=$3 scratch=$4 stops_wanted=$5
mpirun=("$mpiexec" --allow-run-as-root --oversubscribe)
small=(--limit 1024 --limit-validation 256 --limit-test 256 --threads 1 --no-progress)
rm -rf "$scratch" && mkdir -p "$scratch" && cd "$scratch" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# Runs a command with a time limit; sets status and seconds.
timed() {
  local start=$SECONDS
  timeout "$1" "${@:2}"
  status=$?
  seconds=$((SECONDS - start))
}

echo "== 1. two runs on 2 ranks: the same bits, one output"
for run in a b; do
  "${mpirun[@]}" -np 2 "$binary" --epochs 2 "${small[@]}" --out "$run" > "$run.out" 2> "$run.err" || fail "run $run exited $?: $(cat "$run.err")"
done
cmp -s a/model_relu.weights b/model_relu.weights && echo "weights identical across runs" || fail "two 2-rank runs wrote different weights"
summaries=$(grep -c "^Total params" a.out)
[[ $summaries == 1 ]] && echo "one summary printed" || fail "the summary was printed $summaries times (only rank 0 speaks)"
python3 - a/model_relu.json <<'EOF' || fail "the report does not record 2 ranks and their timings"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["ranks"] == 2, r["ranks"]
ranks = r["timings"]["ranks"]
assert len(ranks) == 2 and all(t["gradient_bytes"] > 0 and t["fit_seconds"] > 0 for t in ranks), ranks
print("report: ranks 2, per rank:", [(round(t["fit_seconds"], 3), round(t["communication_wait_seconds"], 3)) for t in ranks])
EOF

echo "== 2. ranks with different options refuse to train"
timed 60 "${mpirun[@]}" -np 1 "$binary" --epochs 1 "${small[@]}" --seed 1 --out c : -np 1 "$binary" --epochs 1 "${small[@]}" --seed 2 --out c \
  > c.out 2> c.err
[[ $status != 0 ]] || fail "mismatched ranks exited 0"
grep -q "rank 1 of 2 runs with other options than rank 0" c.err && echo "refused in ${seconds}s: $(grep -m1 'other options' c.err)" ||
  fail "no message naming the mismatch: $(cat c.err)"

echo "== 3. a rank that fails ends the job"
timed 60 "${mpirun[@]}" -np 1 "$binary" --epochs 1 "${small[@]}" --out d : -np 1 "$binary" --epochs 1 "${small[@]}" --data "$scratch/missing" --out d \
  > d.out 2> d.err
[[ $status != 0 && $status != 124 ]] || fail "a failing rank: exit status $status after ${seconds}s"
((seconds <= 30)) || fail "a failing rank took ${seconds}s to end the job"
grep -q "error on rank 1 of 2: .*missing" d.err && echo "job ended in ${seconds}s: $(grep -m1 'error on rank' d.err)" ||
  fail "no message naming the rank and the file: $(cat d.err)"

echo "== 4. a rank killed mid-training ends the job"
"${mpirun[@]}" -np 2 "$binary" --epochs 500 "${small[@]}" --out "$scratch/e" > e.out 2> e.err &
job=$!
victim=""
for _ in $(seq 1 300); do  # up to 30 s for rank 1 to start training
  if grep -q "^Epoch 1" e.out 2>/dev/null; then
    for p in $(pgrep -f -- "--out $scratch/e"); do
      tr '\0' '\n' < "/proc/$p/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=1" && victim=$p
    done
    [[ -n $victim ]] && break
  fi
  sleep 0.1
done
if [[ -z $victim ]]; then
  fail "rank 1 never started training: $(tail -3 e.err)"
  kill "$job" 2>/dev/null
else
  kill -9 "$victim"
  start=$SECONDS
  while kill -0 "$job" 2>/dev/null && ((SECONDS - start <= 30)); do sleep 0.2; done
  if kill -0 "$job" 2>/dev/null; then
    fail "the job still runs 30 s after rank 1 was killed"
    kill -9 "$job"
  else
    wait "$job"
    status=$?
    [[ $status != 0 ]] && echo "job ended $((SECONDS - start))s after rank 1 was killed, exit status $status" ||
      fail "the job exited 0 after a rank was killed"
  fi
fi
pkill -9 -f -- "--out $scratch/e" 2>/dev/null

if ((stops_wanted > 0)); then
  echo "== 5. SIGTERM to both ranks at random moments (as a scheduler sends it): 143 and a checkpoint, $stops_wanted times; then --resume"
  # Open MPI's mpirun, itself sent SIGTERM, forwards it to the ranks (which checkpoint) but exits 1, whatever they return.
  long=(--epochs $((stops_wanted * 20)) "${small[@]}")  # a stop lands one epoch and up to 0.1 s (~5 epochs) after the last
  "${mpirun[@]}" -np 2 "$binary" "${long[@]}" --out "$scratch/g0" > g0.out 2> g0.err || fail "the uninterrupted 2-rank run exited $?: $(cat g0.err)"
  stops=0
  for _ in $(seq 1 "$stops_wanted"); do
    resume=()
    [[ -f g/model_relu.checkpoint ]] && resume=(--resume)
    "${mpirun[@]}" -np 2 "$binary" "${long[@]}" --out "$scratch/g" "${resume[@]}" > g.out 2> g.err &
    job=$!
    for _ in $(seq 1 300); do grep -q "^Epoch" g.out 2>/dev/null && break; sleep 0.02; done  # both ranks train
    sleep "0.0$((RANDOM % 10))"
    for p in $(pgrep -f -- "--out $scratch/g "; pgrep -f -- "--out $scratch/g$"); do
      tr '\0' '\n' < "/proc/$p/environ" 2>/dev/null | grep -q "^OMPI_COMM_WORLD_RANK=" && kill -TERM "$p"
    done
    wait "$job"
    status=$?
    [[ $status == 143 ]] || { fail "a 2-rank run sent SIGTERM exited $status: $(tail -3 g.err)"; break; }
    [[ -f g/model_relu.checkpoint ]] || fail "a 2-rank run sent SIGTERM left no checkpoint"
    stops=$((stops + 1))
  done
  ((stops == stops_wanted)) && echo "$stops stops, each exit 143 with a checkpoint: $(grep -m1 'training stopped' g.err)" || fail "only $stops stops"
  "${mpirun[@]}" -np 2 "$binary" "${long[@]}" --out "$scratch/g" --resume > g.out 2> g.err || fail "the resumed 2-rank run exited $?: $(cat g.err)"
  cmp -s g/model_relu.weights g0/model_relu.weights && echo "resumed weights identical to the uninterrupted run's" ||
    fail "the 2-rank run resumed after $stops stops wrote other weights than the uninterrupted one"
fi

[[ $hw4 == skip ]] && exit $((failures > 0))
echo "== 6. hw4 on 2 ranks"
study=(--profile quick --only model_relu --no-progress --threads 1)
"$hw4" "${study[@]}" --out f1 > f1.out 2>&1
"${mpirun[@]}" -np 2 "$hw4" "${study[@]}" --out f2 > f2.out 2>&1
[[ $(grep -c "not run (not in --only)" f2.out) == $(grep -c "not run (not in --only)" f1.out) ]] || fail "hw4 on 2 ranks printed its plan more than once"
python3 - f1/runs/model_relu.json f2/runs/model_relu.json <<'EOF' || fail "hw4 on 2 ranks trained another model_relu than in one process"
import json, sys
one, two = (json.load(open(p)) for p in sys.argv[1:])
assert (one["ranks"], two["ranks"]) == (1, 2), (one["ranks"], two["ranks"])
assert two["test"]["accuracy"] == one["test"]["accuracy"], (one["test"], two["test"])
assert abs(two["test"]["loss"] - one["test"]["loss"]) < 1e-5, (one["test"], two["test"])
print(f"model_relu, quick profile: test accuracy {one['test']['accuracy']} on 1 and 2 ranks, loss {one['test']['loss']:.9f} vs {two['test']['loss']:.9f}")
EOF
[[ -f f2/report.md ]] || fail "hw4 on 2 ranks wrote no report"
exit $((failures > 0))
