#pragma once
// The machine's FMA peak, probed in the same run as the kernels it is compared with: independent FMA
// chains on registers, enough of them to cover the FMA latency, on `threads` threads at once.
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include <chrono>

#include "stag/kernels/simd.hpp"

namespace stag::bench {

// Runs the FMA chains `rounds` times on each of `threads` threads; returns the flops done.
inline double fma_chains(std::size_t threads, int rounds) {
    constexpr int chains = 12, iterations = 1 << 16;
    tbb::parallel_for(std::size_t{0}, threads, [&](std::size_t t) {
        simd::vfloat acc[chains];
        for (int c = 0; c < chains; ++c) acc[c] = simd::vfloat(float(c + t));
        const simd::vfloat a(0.999999f), b(1e-7f);
        for (int r = 0; r < rounds; ++r)
            for (int i = 0; i < iterations; ++i)
#pragma GCC unroll 12
                for (int c = 0; c < chains; ++c) acc[c] = xsimd::fma(acc[c], a, b);
        float sum = 0;
        for (int c = 0; c < chains; ++c) sum += xsimd::hadd(acc[c]);
        benchmark::DoNotOptimize(sum);
    });
    return 2.0 * chains * iterations * simd::width * double(threads) * rounds;
}

// GFLOP/s of the FMA chains on `threads` threads: best of a few short probes (~30 ms in all).
inline double probe_peak_gflops(std::size_t threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    double best = 0.0;
    for (int probe = 0; probe < 5; ++probe) {
        const auto start = std::chrono::steady_clock::now();
        const double flops = fma_chains(threads, 4);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        best = std::max(best, flops / seconds * 1e-9);
    }
    return best;
}

inline void peak_fma(benchmark::State& state) {
    const auto threads = static_cast<std::size_t>(state.range(0));
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    double flops = 0.0;
    for (auto _ : state) flops = fma_chains(threads, 1);
    state.counters["GFLOP/s"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace stag::bench
