#pragma once
// Streaming passes over contiguous float arrays. Callers own padding: arrays are read and written in
// whole vectors plus a scalar tail, never past `n`.
#include <algorithm>
#include <cstddef>

#include "stag/kernels/activations.hpp"
#include "stag/kernels/column_reduce.hpp"
#include "stag/kernels/simd.hpp"

namespace stag::kernels {

using simd::vfloat;

// Applies f to every element of x[0, n) through a vector function and its scalar twin (tail).
template <class VectorOp>
inline void transform(std::size_t n, float* out, const VectorOp& op, const float* x) {
    std::size_t i = 0;
    for (; i + simd::width <= n; i += simd::width) simd::store(out + i, op(simd::load(x + i), i));
    if (i < n) {
        alignas(64) float in_tail[simd::width] = {}, out_tail[simd::width];
        for (std::size_t j = i; j < n; ++j) in_tail[j - i] = x[j];
        op(vfloat::load_aligned(in_tail), i).store_aligned(out_tail);
        for (std::size_t j = i; j < n; ++j) out[j] = out_tail[j - i];
    }
}

template <fn::activation_function F>
void activation_forward(std::size_t n, const float* x, float* y) {
    transform(n, y, [](vfloat v, std::size_t) { return F::apply(v); }, x);
}

// dx = dy · f'(y); dx may alias dy.
template <fn::activation_function F>
void activation_backward(std::size_t n, const float* y, const float* dy, float* dx) {
    std::size_t i = 0;
    for (; i + simd::width <= n; i += simd::width)
        simd::store(dx + i, simd::load(dy + i) * F::derivative(simd::load(y + i)));
    for (; i < n; ++i) {
        alignas(64) float lane[simd::width] = {};
        lane[0] = y[i];
        dx[i] = dy[i] * F::derivative(vfloat::load_aligned(lane)).get(0);
    }
}

// Backward of an activation over a rows×cols matrix, in place (dz = dy · f'(y)), also summing each
// column of dz into sums: the bias gradient falls out of the same pass.
template <fn::activation_function F>
void activation_backward_column_sums(std::size_t rows, std::size_t cols, const float* y, float* dy, const column_sums& sums) {
    reduce_columns<1>(rows, cols, sums.partials, {sums.totals}, [&](std::size_t first, std::size_t last, const std::array<float*, 1>& s) {
        over_elements(
            first, last, cols,
            [&](std::size_t i, std::size_t c) {
                const vfloat dz = simd::load(dy + i) * F::derivative(simd::load(y + i));
                simd::store(dy + i, dz);
                simd::store(s[0] + c, simd::load(s[0] + c) + dz);
            },
            [&](std::size_t i, std::size_t c) {
                activation_backward<F>(1, y + i, dy + i, dy + i);
                s[0][c] += dy[i];
            });
    });
}

}  // namespace stag::kernels
