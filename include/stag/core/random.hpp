#pragma once
// Reproducible random numbers: same seed, same numbers, on any thread count and any libstdc++.
// (std:: distributions are implementation-defined, so they are not used.)
#include <cmath>
#include <cstdint>

namespace stag {

// SplitMix64 finaliser: a strong 64-bit mix, used both as a sequential generator and as a
// counter-based one (hash of seed, stream and index), so parallel draws need no shared state.
constexpr std::uint64_t mix64(std::uint64_t z) {
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// Uniform float in [0, 1) from the top 24 bits of a 64-bit value.
constexpr float unit_float(std::uint64_t bits) { return static_cast<float>(bits >> 40) * 0x1.0p-24f; }

class rng {
public:
    explicit rng(std::uint64_t seed) : state_(mix64(seed)) {}

    std::uint64_t next() { return mix64(state_ += 0x9E3779B97F4A7C15ull); }
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    // Uniform integer in [0, n), unbiased (Lemire's method without the rejection shortcut).
    std::uint64_t below(std::uint64_t n) {
        for (;;) {
            const std::uint64_t x = next();
            const unsigned __int128 m = static_cast<unsigned __int128>(x) * n;
            const auto low = static_cast<std::uint64_t>(m);
            if (low >= n || low >= (-n) % n) return static_cast<std::uint64_t>(m >> 64);
        }
    }
    // Standard normal by Box–Muller (one value per call keeps the stream simple).
    double normal() {
        const double u1 = 1.0 - uniform();  // (0, 1]
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

private:
    std::uint64_t state_;
};

// Key for a counter-based stream: every (seed, step, layer) gets its own independent sequence.
constexpr std::uint64_t stream_key(std::uint64_t seed, std::uint64_t step, std::uint64_t layer) {
    return mix64(mix64(mix64(seed) ^ step) ^ layer);
}

}  // namespace stag
