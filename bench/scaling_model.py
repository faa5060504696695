#!/usr/bin/env python3
"""Speed-up of data-parallel training on N machines, from one machine's measured figures (docs/distributed.md).

    bench/scaling_model.py [--rate cnn=259 model_relu=62931] [--bytes cnn=13101120 model_relu=1416768]

Model (its assumptions are stated in docs/distributed.md):
  compute per step      t_c(b) = b / R                       b images per machine, R images/s on one machine
  ring all-reduce       t_r = 2 (N-1)/N * S / W + 2 (N-1) * buckets * alpha
                        S gradient bytes, W link bytes/s, alpha per-message latency
  exposed communication max(0, t_r - overlap * t_c)        buckets travel while the earlier layers' backward runs
  speed-up              N * t_c / (t_c + exposed)
"""
import argparse

LINKS = {"10 Gb/s": 10e9 / 8, "25 Gb/s": 25e9 / 8, "100 Gb/s": 100e9 / 8}
MACHINES = [2, 4, 8, 16, 32, 64]
ALPHA = 20e-6          # per message and ring step: TCP over Ethernet (RDMA: a few µs)
OVERLAP = 2 / 3        # backward is about two thirds of a step, and buckets leave as it runs
BUCKET = 1 << 20       # model.hpp's gradient_bucket_floats · 4 bytes


def pairs(items):
    return {k: float(v) for k, v in (i.split("=") for i in items)}


def step_times(rate, size, n, link, batch):
    t_c = batch / rate
    buckets = max(1, -(-int(size) // BUCKET))
    t_r = 2 * (n - 1) / n * size / link + 2 * (n - 1) * buckets * ALPHA
    return t_c, t_r, max(0.0, t_r - OVERLAP * t_c)


def speedup(rate, size, n, link, batch):
    t_c, _, exposed = step_times(rate, size, n, link, batch)
    return n * t_c / (t_c + exposed)


def smallest_batch(rate, size, n, link, efficiency=0.8):
    """The per-machine batch from which N machines reach `efficiency` of N times one machine."""
    b = 1
    while speedup(rate, size, n, link, b) < efficiency * n and b < 1 << 20:
        b *= 2
    return b


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rate", nargs="+", default=["cnn=259", "model_relu=62931"], help="images/s of one machine (1 rank, all cores)")
    p.add_argument("--bytes", nargs="+", default=["cnn=13101120", "model_relu=1416768"], help="gradient bytes per step")
    a = p.parse_args()
    rates, sizes = pairs(a.rate), pairs(a.bytes)
    for net, rate in rates.items():
        size = sizes[net]
        print(f"\n### {net}: {rate:g} images/s per machine, {size / 1e6:.2f} MB of gradients per step\n")
        for title, per_machine in (("global batch 64 split across the machines (strong scaling)", None),
                                   ("64 images per machine (the global batch grows with N)", 64)):
            print(f"Speed-up over one machine, {title}:\n")
            print("| link | " + " | ".join(f"N = {n}" for n in MACHINES) + " |")
            print("|---|" + "---:|" * len(MACHINES))
            for link_name, link in LINKS.items():
                cells = []
                for n in MACHINES:
                    b = per_machine or 64 / n
                    cells.append(f"{speedup(rate, size, n, link, b):.1f}×")
                print(f"| {link_name} | " + " | ".join(cells) + " |")
            print()
        print("Smallest per-machine batch for 80 % efficiency (speed-up ≥ 0.8·N):\n")
        print("| link | " + " | ".join(f"N = {n}" for n in MACHINES) + " |")
        print("|---|" + "---:|" * len(MACHINES))
        for link_name, link in LINKS.items():
            print(f"| {link_name} | " + " | ".join(str(smallest_batch(rate, size, n, link)) for n in MACHINES) + " |")


if __name__ == "__main__":
    main()
