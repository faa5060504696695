#!/usr/bin/env bash
# Data-parallel speed on this machine, interleaved: for each round, each net and each configuration (ranks ×
# threads per rank), one launch of data_parallel_bench; then the median of the rounds per row, and each
# row's speed against 1 rank × all cores. Usage (from the build folder's bench/):
#   ../../../bench/data_parallel.sh [rounds=3] [configurations="1x2 2x1 3x1"] [nets="model_relu cnn"]
# 3 ranks on 2 cores oversubscribe them: that row shows the cost of communication, not a speed-up.
# mpirun binds each rank to one core by default, which would leave a rank's second thread without a core of
# its own: each rank gets `threads` cores (--map-by slot:PE=threads), or none when oversubscribing.
set -euo pipefail
rounds=${1:-3}
configurations=${2:-"1x2 2x1 3x1"}
nets=${3:-"model_relu cnn"}
bench=${BENCH:-./data_parallel_bench}
log=$(mktemp)
for round in $(seq 1 "$rounds"); do
  for net in $nets; do
    for c in $configurations; do
      ranks=${c%x*} threads=${c#*x}
      seconds=2; [[ $net == cnn* ]] && seconds=6
      binding=(--map-by "slot:PE=$threads")
      ((ranks * threads > $(nproc))) && binding=(--bind-to none)
      mpirun --allow-run-as-root --oversubscribe "${binding[@]}" -np "$ranks" "$bench" --net "$net" --threads "$threads" --seconds "$seconds" |
        tee -a "$log"
    done
  done
done
python3 - "$log" <<'EOF'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    net, *fields = line.split()
    f = dict(kv.split("=") for kv in fields)
    rows.setdefault((net, f["ranks"], f["threads"]), []).append(f)
def median(runs, key): return statistics.median(float(r[key]) for r in runs)
print(f"\n{'net':<11}{'ranks x threads':>16}{'images/s':>11}{'vs 1 rank':>11}{'step ms':>10}{'exposed comm ms':>17}{'share':>7}"
      f"{'MB/step':>9}{'all-reduce ms':>15}{'peak GFLOP/s':>14}   (median of {len(next(iter(rows.values())))} rounds)")
for (net, ranks, threads), runs in rows.items():
    base = [v for k, v in rows.items() if k[0] == net and k[1] == "1"]
    ratio = median(runs, "images_per_s") / median(base[0], "images_per_s") if base else float("nan")
    print(f"{net:<11}{ranks + ' x ' + threads:>16}{median(runs, 'images_per_s'):>11.1f}{ratio:>11.2f}{median(runs, 'step_ms'):>10.2f}"
          f"{median(runs, 'exposed_comm_ms'):>17.3f}{median(runs, 'comm_share'):>7.3f}{median(runs, 'bytes_per_step') / 1e6:>9.2f}"
          f"{median(runs, 'allreduce_ms'):>15.3f}{median(runs, 'peak_gflops_per_rank'):>14.1f}")
EOF
rm -f "$log"
