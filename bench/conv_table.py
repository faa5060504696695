#!/usr/bin/python3
"""Runs conv_bench's per-layer rows and prints them as the Markdown table docs/performance.md shows.

    bench/conv_table.py [--bench build/release/bench/conv_bench] [--net cnn]

Each row's "% of peak" divides by the FMA peak conv_bench probed on the same thread count right before
that row (these machines drift); the last row is all three passes of all five layers run back to back.
"""
import argparse
import json
import os
import re
import subprocess


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--bench", default=os.path.join(here, "../build/release/bench/conv_bench"))
    parser.add_argument("--net", default="cnn", choices=("cnn", "cnn_half"))
    args = parser.parse_args()
    out = subprocess.run([args.bench, f"--benchmark_filter=^{args.net}/", "--benchmark_format=json"], check=True,
                         capture_output=True, text=True).stdout
    rows = {}
    for b in json.loads(out)["benchmarks"]:
        m = re.match(rf"{args.net}/(\w+)(?:/(\w+))?/threads:(\d)", b["name"])
        layer, conv_pass, threads = m.group(1), m.group(2) or "all three", int(m.group(3))
        rows.setdefault((layer, conv_pass), {})[threads] = (b["GFLOP/s"], 100 * b["of_peak"], b["peak_GFLOP/s"])
    print(f"| {args.net} layer | pass | 1 thread GFLOP/s | % of peak | 2 threads GFLOP/s | % of peak | 2 / 1 threads |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for (layer, conv_pass), t in rows.items():
        one, two = t[1], t[2]
        name = "conv1–5" if layer == "all_conv_passes" else layer
        print(f"| {name} | {conv_pass.replace('_', ' ')} | {one[0]:.1f} | {one[1]:.0f} | {two[0]:.1f} | {two[1]:.0f} | "
              f"{two[0] / one[0]:.2f}× |")
    peaks1 = [t[1][2] for t in rows.values()]
    peaks2 = [t[2][2] for t in rows.values()]
    print(f"\nFMA peak probed before each row: 1 thread {min(peaks1):.0f}–{max(peaks1):.0f} GFLOP/s, "
          f"2 threads {min(peaks2):.0f}–{max(peaks2):.0f} GFLOP/s")


if __name__ == "__main__":
    main()
