#!/usr/bin/env python3
"""Whether any bench row is slower on 2 threads than on 1: runs a Google Benchmark program with its
repetitions randomly interleaved (so that the machine's drift hits both thread counts alike), then prints
each row's median time on 1 and 2 threads and their ratio, and exits 1 if a row is slower on 2 threads
by more than the noise margin.

    bench/thread_scaling.py build/release/bench/dense_bench [--repetitions 5] [--filter REGEX] [--margin 0.03]
"""
import argparse
import json
import re
import statistics
import subprocess
import sys


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("bench")
    p.add_argument("--repetitions", type=int, default=5)
    p.add_argument("--filter", default=".")
    p.add_argument("--min-time", default="0.3")
    p.add_argument("--margin", type=float, default=0.03, help="2 threads may be this much slower before a row fails (noise)")
    a = p.parse_args()
    out = subprocess.run([a.bench, f"--benchmark_filter={a.filter}", f"--benchmark_repetitions={a.repetitions}",
                          "--benchmark_enable_random_interleaving=true", f"--benchmark_min_time={a.min_time}",
                          "--benchmark_format=json", "--benchmark_report_aggregates_only=false"],
                         check=True, capture_output=True, text=True).stdout
    times = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        m = re.match(r"(.*)/threads:(\d+)(.*)", b["run_name"])
        if not m:
            continue
        row = m.group(1) + m.group(3)
        times.setdefault(row, {}).setdefault(int(m.group(2)), []).append(b["real_time"])
    slower = []
    print(f"{'row':<58}{'1 thread':>12}{'2 threads':>12}{'speed-up':>10}   (median of {a.repetitions}, interleaved)")
    for row, by_threads in times.items():
        if 1 not in by_threads or 2 not in by_threads:
            continue
        one, two = statistics.median(by_threads[1]), statistics.median(by_threads[2])
        mark = ""
        if two > one * (1 + a.margin):
            slower.append(row)
            mark = "  <- slower on 2 threads"
        print(f"{row:<58}{one:>12.4g}{two:>12.4g}{one / two:>10.2f}{mark}")
    if slower:
        print(f"\n{len(slower)} row(s) slower on 2 threads: {', '.join(slower)}")
        return 1
    print("\nno row is slower on 2 threads")
    return 0


if __name__ == "__main__":
    sys.exit(main())
