#pragma once
// Max and average pooling on NHWC maps (valid windows), vectorised across channels. Max pooling's
// forward keeps, per output element, the position of the maximum inside its window (as a float
// 0..P_h·P_w−1, the first maximum on ties, as TensorFlow); backward routes each gradient to that position.
#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>

#include "stag/kernels/column_reduce.hpp"

namespace stag::kernels {

struct pool_geometry {
    std::size_t batch, in_h, in_w, channels, out_h, out_w, pool_h, pool_w, stride_h, stride_w;
    // Every extent positive and every window inside the input (valid pooling).
    constexpr bool consistent() const {
        return batch && channels && out_h && out_w && pool_h && pool_w && stride_h && stride_w &&
               (out_h - 1) * stride_h + pool_h <= in_h && (out_w - 1) * stride_w + pool_w <= in_w;
    }
};

namespace detail {

// Calls body(out_pixel, window_position, in_pixel) for every window position of every output pixel of
// the samples [first, last), in a fixed order.
template <class Body>
void for_each_window(const pool_geometry& g, std::size_t first, std::size_t last, const Body& body) {
    for (std::size_t n = first; n < last; ++n)
        for (std::size_t oh = 0; oh < g.out_h; ++oh)
            for (std::size_t ow = 0; ow < g.out_w; ++ow) {
                const std::size_t out_pixel = (n * g.out_h + oh) * g.out_w + ow;
                for (std::size_t ph = 0; ph < g.pool_h; ++ph)
                    for (std::size_t pw = 0; pw < g.pool_w; ++pw)
                        body(out_pixel, ph * g.pool_w + pw, (n * g.in_h + oh * g.stride_h + ph) * g.in_w + ow * g.stride_w + pw);
            }
}

}  // namespace detail

inline void max_pool_forward(const pool_geometry& g, const float* x, float* y, float* argmax) {
    assert(g.consistent() && x && y && argmax);
    const std::size_t C = g.channels;
    const double flops_per_sample = static_cast<double>(g.out_h * g.out_w * g.pool_h * g.pool_w * C);
    for_tiles(g.batch, flops_per_sample, [&](std::size_t first, std::size_t last) {
        detail::for_each_window(g, first, last, [&](std::size_t o, std::size_t pos, std::size_t i) {
            float* yo = y + o * C;
            float* ao = argmax + o * C;
            const float* xi = x + i * C;
            const auto position = static_cast<float>(pos);
            if (pos == 0) {
                std::copy(xi, xi + C, yo);
                std::fill(ao, ao + C, 0.0f);
                return;
            }
            over_lanes(
                C,
                [&](std::size_t c) {
                    const simd::vfloat v = simd::load(xi + c), best = simd::load(yo + c);
                    const auto greater = v > best;
                    simd::store(yo + c, xsimd::select(greater, v, best));
                    simd::store(ao + c, xsimd::select(greater, simd::vfloat(position), simd::load(ao + c)));
                },
                [&](std::size_t c) {
                    if (xi[c] > yo[c]) yo[c] = xi[c], ao[c] = position;
                });
        });
    });
}

// dx = 0 outside the windows' maxima; overlapping windows (stride < pool) add up.
inline void max_pool_backward(const pool_geometry& g, const float* dy, const float* argmax, float* dx) {
    assert(g.consistent() && dy && argmax && dx);
    const std::size_t C = g.channels;
    const double flops_per_sample = static_cast<double>(g.out_h * g.out_w * g.pool_h * g.pool_w * C);
    for_tiles(g.batch, flops_per_sample, [&](std::size_t first, std::size_t last) {
        std::fill(dx + first * g.in_h * g.in_w * C, dx + last * g.in_h * g.in_w * C, 0.0f);
        detail::for_each_window(g, first, last, [&](std::size_t o, std::size_t pos, std::size_t i) {
            const float* dyo = dy + o * C;
            const float* ao = argmax + o * C;
            float* dxi = dx + i * C;
            const auto position = static_cast<float>(pos);
            over_lanes(
                C,
                [&](std::size_t c) {
                    const auto hit = simd::load(ao + c) == simd::vfloat(position);
                    simd::store(dxi + c, simd::load(dxi + c) + xsimd::select(hit, simd::load(dyo + c), simd::vfloat(0.0f)));
                },
                [&](std::size_t c) {
                    if (ao[c] == position) dxi[c] += dyo[c];
                });
        });
    });
}

namespace detail {
// to[0..n) += scale · from[0..n), one rounding per element.
inline void add_scaled(std::size_t n, const float* from, float scale, float* to) {
    over_lanes(
        n, [&](std::size_t c) { simd::store(to + c, xsimd::fma(simd::load(from + c), simd::vfloat(scale), simd::load(to + c))); },
        [&](std::size_t c) { to[c] = std::fma(from[c], scale, to[c]); });
}
}  // namespace detail

// y = the mean of each window (Keras' AveragePooling2D, valid windows).
inline void average_pool_forward(const pool_geometry& g, const float* x, float* y) {
    assert(g.consistent() && x && y);
    const std::size_t C = g.channels, out_floats = g.out_h * g.out_w * C;
    const float scale = 1.0f / static_cast<float>(g.pool_h * g.pool_w);
    for_tiles(g.batch, static_cast<double>(out_floats * g.pool_h * g.pool_w), [&](std::size_t first, std::size_t last) {
        std::fill(y + first * out_floats, y + last * out_floats, 0.0f);
        detail::for_each_window(g, first, last, [&](std::size_t o, std::size_t, std::size_t i) { detail::add_scaled(C, x + i * C, scale, y + o * C); });
    });
}

// dx: each window's gradient shared equally by its inputs; overlapping windows (stride < pool) add up.
inline void average_pool_backward(const pool_geometry& g, const float* dy, float* dx) {
    assert(g.consistent() && dy && dx);
    const std::size_t C = g.channels, in_floats = g.in_h * g.in_w * C;
    const float scale = 1.0f / static_cast<float>(g.pool_h * g.pool_w);
    for_tiles(g.batch, static_cast<double>(g.out_h * g.out_w * C * g.pool_h * g.pool_w), [&](std::size_t first, std::size_t last) {
        std::fill(dx + first * in_floats, dx + last * in_floats, 0.0f);
        detail::for_each_window(g, first, last, [&](std::size_t o, std::size_t, std::size_t i) { detail::add_scaled(C, dy + o * C, scale, dx + i * C); });
    });
}

}  // namespace stag::kernels
