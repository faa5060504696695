#pragma once
// Inverted dropout with a counter-based mask: element i of a step keeps its value iff
// hash(key, i) ≥ rate, so masks are reproducible, need no generator state and vectorise.
#include <cstddef>
#include <cstdint>

#include "stag/core/random.hpp"

namespace stag::kernels {

// y = x · scale, where scale[i] is 0 or 1/(1 − rate); scale is kept for backward.
inline void dropout_forward(std::size_t n, const float* x, float* y, float* scale, float rate, std::uint64_t key) {
    const float keep_scale = 1.0f / (1.0f - rate);
    for (std::size_t i = 0; i < n; ++i) {
        scale[i] = unit_float(mix64(key + i)) >= rate ? keep_scale : 0.0f;
        y[i] = x[i] * scale[i];
    }
}

inline void dropout_backward(std::size_t n, const float* dy, const float* scale, float* dx) {
    for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] * scale[i];
}

}  // namespace stag::kernels
