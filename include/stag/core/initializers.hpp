#pragma once
// Weight initialisers exactly as Keras defines them, drawn from stag's reproducible generator.
#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <string>

#include "stag/core/random.hpp"

namespace stag {

struct zeros {
    static std::string name() { return "zeros"; }
    static void fill(rng&, float* w, std::size_t n, std::size_t, std::size_t) { std::fill(w, w + n, 0.0f); }
};

struct ones {
    static std::string name() { return "ones"; }
    static void fill(rng&, float* w, std::size_t n, std::size_t, std::size_t) { std::fill(w, w + n, 1.0f); }
};

// U(−l, l) with l = √(6 / (fan_in + fan_out)).
struct glorot_uniform {
    static std::string name() { return "glorot_uniform"; }
    static void fill(rng& g, float* w, std::size_t n, std::size_t fan_in, std::size_t fan_out) {
        const double limit = std::sqrt(6.0 / static_cast<double>(fan_in + fan_out));
        for (std::size_t i = 0; i < n; ++i) w[i] = static_cast<float>(g.uniform(-limit, limit));
    }
};

// Normal cut at ±2σ (redrawn outside), σ = √(2/fan_in) / 0.8796…, so that the variance *after*
// truncation is 2/fan_in (0.8796 is the std of a unit normal truncated at ±2).
struct he_normal {
    static std::string name() { return "he_normal"; }
    static void fill(rng& g, float* w, std::size_t n, std::size_t fan_in, std::size_t) {
        const double sigma = std::sqrt(2.0 / static_cast<double>(fan_in)) / 0.87962566103423978;
        for (std::size_t i = 0; i < n; ++i) {
            double z;
            do z = g.normal(); while (std::abs(z) > 2.0);
            w[i] = static_cast<float>(z * sigma);
        }
    }
};

// The initializer protocol, member by member (layers/layer.hpp explains the pattern).
template <class I>
struct initializer_members {
    static constexpr bool name = requires { { I::name() } -> std::convertible_to<std::string>; };
    static constexpr bool fill = requires(rng& g, float* w, std::size_t n) { I::fill(g, w, n, n, n); };
};
template <class I>
concept initializer = initializer_members<I>::name && initializer_members<I>::fill;
template <class I>
struct initializer_check {
    using has = initializer_members<I>;
    static_assert(has::name, "stag initializer needs `static std::string name()`");
    static_assert(has::fill,
                  "stag initializer needs `static void fill(rng&, float* w, std::size_t n, std::size_t fan_in, std::size_t fan_out)`");
};

}  // namespace stag
