#pragma once
// Batch normalisation over the last axis of a rows×features matrix (features = units of a dense
// layer, or channels of an NHWC map with rows = N·H·W). Vectorised across features, parallel over
// fixed row chunks; per-feature sums go through reduce_columns, so results do not depend on threads.
#include <array>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <utility>

#include "stag/kernels/column_reduce.hpp"

namespace stag::kernels {

struct batch_norm_params {
    const float* gamma;
    const float* beta;
    float* moving_mean;
    float* moving_variance;
    float momentum, epsilon;
    bool update_moving = true;  // training mode: move the moving statistics towards the batch's
};

// A rows × features matrix (features innermost).
struct feature_rows {
    std::size_t rows, features;
};

// What training mode keeps for backward: x̂ (the input's size), the batch mean and 1/σ (features each);
// and the per-chunk partial sums of the channel passes (batch_norm_partials_floats; unused over segments).
struct batch_norm_scratch {
    float* x_hat;
    float* mean;
    float* inv_std;
    float* partials;
};
// Inference mode's per-feature affine map, folded from the moving statistics (features floats each).
struct batch_norm_folded {
    float* scale;
    float* shift;
};
// Backward's gradients in and out; dx may be null (first layer).
struct batch_norm_gradients {
    const float* dy;
    float* d_gamma;
    float* d_beta;
    float* dx;
};

// Scratch floats the training passes need for their per-chunk sums.
constexpr std::size_t batch_norm_partials_floats(std::size_t rows, std::size_t features) {
    return column_partials_floats(rows, features, 2);
}

// Training mode: normalise with the batch statistics (biased variance, as Keras), keep x̂ and 1/σ for
// backward, and move the running statistics. Two passes: the statistics, then the normalisation. The
// statistics are sums of x − K and (x − K)² with K the first row, close enough to the mean that the
// variance does not cancel away.
inline void batch_norm_forward_train(const feature_rows& m, const float* x, float* y, const batch_norm_scratch& kept,
                                     const batch_norm_params& p) {
    using simd::load, simd::store;
    const std::size_t rows = m.rows, features = m.features;
    float *x_hat = kept.x_hat, *mean = kept.mean, *inv_std = kept.inv_std;
    assert(rows && features && x && y && x_hat && mean && inv_std && kept.partials);
    const float* shift = x;
    float* variance = inv_std;  // Σ(x − K)² here, then the variance, then 1/σ
    reduce_columns<2>(rows, features, kept.partials, {mean, variance}, [&](std::size_t first, std::size_t last, const std::array<float*, 2>& s) {
        over_elements(
            first, last, features,
            [&](std::size_t i, std::size_t f) {
                const simd::vfloat d = load(x + i) - load(shift + f);
                store(s[0] + f, load(s[0] + f) + d);
                store(s[1] + f, xsimd::fma(d, d, load(s[1] + f)));
            },
            [&](std::size_t i, std::size_t f) {
                const float d = x[i] - shift[f];
                s[0][f] += d;
                s[1][f] += d * d;
            });
    });
    const float inv_rows = 1.0f / static_cast<float>(rows);
    for (std::size_t f = 0; f < features; ++f) {
        const float shifted_mean = mean[f] * inv_rows;
        const float var = std::max(0.0f, variance[f] * inv_rows - shifted_mean * shifted_mean);
        mean[f] = shift[f] + shifted_mean;
        if (p.update_moving) {
            p.moving_mean[f] = p.moving_mean[f] * p.momentum + mean[f] * (1.0f - p.momentum);
            p.moving_variance[f] = p.moving_variance[f] * p.momentum + var * (1.0f - p.momentum);
        }
        inv_std[f] = 1.0f / std::sqrt(var + p.epsilon);
    }
    for_row_chunks(rows, features, 4.0, [&](std::size_t first, std::size_t last) {
        over_elements(
            first, last, features,
            [&](std::size_t i, std::size_t f) {
                const simd::vfloat h = (load(x + i) - load(mean + f)) * load(inv_std + f);
                store(x_hat + i, h);
                store(y + i, xsimd::fma(h, load(p.gamma + f), load(p.beta + f)));
            },
            [&](std::size_t i, std::size_t f) {
                x_hat[i] = (x[i] - mean[f]) * inv_std[f];
                y[i] = x_hat[i] * p.gamma[f] + p.beta[f];
            });
    });
}

// Inference mode: an affine map from the moving statistics, folded once per feature into
// y = x·scale + shift.
inline void batch_norm_forward_inference(const feature_rows& m, const float* x, float* y, const batch_norm_folded& folded,
                                         const batch_norm_params& p) {
    using simd::load;
    const std::size_t rows = m.rows, features = m.features;
    float *scale = folded.scale, *shift = folded.shift;
    assert(rows && features && x && y && scale && shift);
    for (std::size_t f = 0; f < features; ++f) {
        scale[f] = p.gamma[f] / std::sqrt(p.moving_variance[f] + p.epsilon);
        shift[f] = p.beta[f] - p.moving_mean[f] * scale[f];
    }
    for_row_chunks(rows, features, 2.0, [&](std::size_t first, std::size_t last) {
        over_elements(
            first, last, features,
            [&](std::size_t i, std::size_t f) { simd::store(y + i, xsimd::fma(load(x + i), load(scale + f), load(shift + f))); },
            [&](std::size_t i, std::size_t f) { y[i] = x[i] * scale[f] + shift[f]; });
    });
}

// dβ = Σ dy, dγ = Σ dy·x̂, dx = γ/σ · (dy − dβ/N − x̂·dγ/N), from what forward kept.
inline void batch_norm_backward(const feature_rows& m, const batch_norm_gradients& g, const float* gamma, const batch_norm_scratch& kept) {
    using simd::load, simd::store;
    const std::size_t rows = m.rows, features = m.features;
    const float *dy = g.dy, *x_hat = kept.x_hat, *inv_std = kept.inv_std;
    float *d_gamma = g.d_gamma, *d_beta = g.d_beta, *dx = g.dx;
    assert(rows && features && dy && d_gamma && d_beta && x_hat && inv_std && kept.partials);
    reduce_columns<2>(rows, features, kept.partials, {d_beta, d_gamma}, [&](std::size_t first, std::size_t last, const std::array<float*, 2>& s) {
        over_elements(
            first, last, features,
            [&](std::size_t i, std::size_t f) {
                const simd::vfloat g = load(dy + i);
                store(s[0] + f, load(s[0] + f) + g);
                store(s[1] + f, xsimd::fma(g, load(x_hat + i), load(s[1] + f)));
            },
            [&](std::size_t i, std::size_t f) {
                s[0][f] += dy[i];
                s[1][f] += dy[i] * x_hat[i];
            });
    });
    if (!dx) return;
    const float inv_rows = 1.0f / static_cast<float>(rows);
    for_row_chunks(rows, features, 5.0, [&](std::size_t first, std::size_t last) {
        over_elements(
            first, last, features,
            [&](std::size_t i, std::size_t f) {
                const simd::vfloat centred = load(dy + i) - (load(d_beta + f) + load(x_hat + i) * load(d_gamma + f)) * inv_rows;
                store(dx + i, load(gamma + f) * load(inv_std + f) * centred);
            },
            [&](std::size_t i, std::size_t f) { dx[i] = gamma[f] * inv_std[f] * (dy[i] - (d_beta[f] + x_hat[i] * d_gamma[f]) * inv_rows); });
    });
}

}  // namespace stag::kernels

namespace stag::kernels {

// Batch normalisation over the middle axis of an outer × features × inner array: Keras'
// BatchNormalization(axis=1) on NHWC maps normalises image rows (outer = N, features = H, inner = W·C).
// One task owns all of a feature's sums, taken in a fixed order: results do not depend on threads.
struct segment_layout {
    std::size_t outer, features, inner;
    std::size_t count() const { return outer * inner; }  // values per feature
};

namespace detail {
// Two sums over feature f's values, taken in one pass: terms(i) gives both terms for lanes
// [i, i + width) as vectors, or for the one element i as floats (the segment's tail).
template <class VectorTerms, class ScalarTerms>
std::array<float, 2> sums_over_feature(const segment_layout& s, std::size_t f, const VectorTerms& vector_terms,
                                       const ScalarTerms& scalar_terms) {
    simd::vfloat acc0(0.0f), acc1(0.0f);
    float tail0 = 0.0f, tail1 = 0.0f;
    for (std::size_t o = 0; o < s.outer; ++o) {
        const std::size_t base = (o * s.features + f) * s.inner;
        over_lanes(
            s.inner,
            [&](std::size_t c) {
                const auto [a, b] = vector_terms(base + c);
                acc0 += a;
                acc1 += b;
            },
            [&](std::size_t c) {
                const auto [a, b] = scalar_terms(base + c);
                tail0 += a;
                tail1 += b;
            });
    }
    return {xsimd::hadd(acc0) + tail0, xsimd::hadd(acc1) + tail1};
}

// Runs op(i, f) on every element i of feature f, in parallel over segments.
template <class VectorOp, class ScalarOp>
void over_segments(const segment_layout& s, double flops_per_element, const VectorOp& vector_op, const ScalarOp& scalar_op) {
    for_tiles(s.outer * s.features, flops_per_element * static_cast<double>(s.inner), [&](std::size_t first, std::size_t last) {
        for (std::size_t seg = first; seg < last; ++seg) {
            const std::size_t f = seg % s.features, base = seg * s.inner;
            over_lanes(s.inner, [&](std::size_t c) { vector_op(base + c, f); }, [&](std::size_t c) { scalar_op(base + c, f); });
        }
    });
}
}  // namespace detail

// Training mode, as batch_norm_forward_train: statistics shifted by each feature's first value.
inline void batch_norm_segments_forward_train(const segment_layout& s, const float* x, float* y, const batch_norm_scratch& kept,
                                              const batch_norm_params& p) {
    using simd::load;
    float *x_hat = kept.x_hat, *mean = kept.mean, *inv_std = kept.inv_std;
    assert(s.count() && s.features && x && y && x_hat && mean && inv_std);
    const double per_feature_flops = 4.0 * static_cast<double>(s.count());
    for_tiles(s.features, per_feature_flops, [&](std::size_t first, std::size_t last) {
        for (std::size_t f = first; f < last; ++f) {
            const float k = x[f * s.inner];
            const simd::vfloat kv(k);
            const auto [sum, sum_sq] = detail::sums_over_feature(
                s, f, [&](std::size_t i) { const simd::vfloat d = load(x + i) - kv; return std::pair{d, d * d}; },
                [&](std::size_t i) { const float d = x[i] - k; return std::pair{d, d * d}; });
            const float n = static_cast<float>(s.count()), shifted_mean = sum / n;
            const float var = std::max(0.0f, sum_sq / n - shifted_mean * shifted_mean);
            mean[f] = k + shifted_mean;
            inv_std[f] = 1.0f / std::sqrt(var + p.epsilon);
            if (p.update_moving) {
                p.moving_mean[f] = p.moving_mean[f] * p.momentum + mean[f] * (1.0f - p.momentum);
                p.moving_variance[f] = p.moving_variance[f] * p.momentum + var * (1.0f - p.momentum);
            }
        }
    });
    detail::over_segments(
        s, 4.0,
        [&](std::size_t i, std::size_t f) {
            const simd::vfloat h = (load(x + i) - simd::vfloat(mean[f])) * simd::vfloat(inv_std[f]);
            simd::store(x_hat + i, h);
            simd::store(y + i, xsimd::fma(h, simd::vfloat(p.gamma[f]), simd::vfloat(p.beta[f])));
        },
        [&](std::size_t i, std::size_t f) {
            x_hat[i] = (x[i] - mean[f]) * inv_std[f];
            y[i] = x_hat[i] * p.gamma[f] + p.beta[f];
        });
}

// Inference mode: y = x·scale + shift per feature, from the moving statistics.
inline void batch_norm_segments_forward_inference(const segment_layout& s, const float* x, float* y, const batch_norm_folded& folded,
                                                  const batch_norm_params& p) {
    float *scale = folded.scale, *shift = folded.shift;
    assert(s.count() && s.features && x && y && scale && shift);
    for (std::size_t f = 0; f < s.features; ++f) {
        scale[f] = p.gamma[f] / std::sqrt(p.moving_variance[f] + p.epsilon);
        shift[f] = p.beta[f] - p.moving_mean[f] * scale[f];
    }
    detail::over_segments(
        s, 2.0,
        [&](std::size_t i, std::size_t f) { simd::store(y + i, xsimd::fma(simd::load(x + i), simd::vfloat(scale[f]), simd::vfloat(shift[f]))); },
        [&](std::size_t i, std::size_t f) { y[i] = x[i] * scale[f] + shift[f]; });
}

// As batch_norm_backward: dβ = Σ dy, dγ = Σ dy·x̂, dx = γ/σ · (dy − dβ/M − x̂·dγ/M).
inline void batch_norm_segments_backward(const segment_layout& s, const batch_norm_gradients& g, const float* gamma,
                                         const batch_norm_scratch& kept) {
    using simd::load;
    const float *dy = g.dy, *x_hat = kept.x_hat, *inv_std = kept.inv_std;
    float *d_gamma = g.d_gamma, *d_beta = g.d_beta, *dx = g.dx;
    assert(s.count() && s.features && dy && d_gamma && d_beta && x_hat && inv_std);
    for_tiles(s.features, 3.0 * static_cast<double>(s.count()), [&](std::size_t first, std::size_t last) {
        for (std::size_t f = first; f < last; ++f) {
            const auto [beta_sum, gamma_sum] = detail::sums_over_feature(
                s, f, [&](std::size_t i) { const simd::vfloat g = load(dy + i); return std::pair{g, g * load(x_hat + i)}; },
                [&](std::size_t i) { return std::pair{dy[i], dy[i] * x_hat[i]}; });
            d_beta[f] = beta_sum;
            d_gamma[f] = gamma_sum;
        }
    });
    if (!dx) return;
    const float inv_count = 1.0f / static_cast<float>(s.count());
    detail::over_segments(
        s, 5.0,
        [&](std::size_t i, std::size_t f) {
            const simd::vfloat centred = load(dy + i) - (simd::vfloat(d_beta[f]) + load(x_hat + i) * simd::vfloat(d_gamma[f])) * inv_count;
            simd::store(dx + i, simd::vfloat(gamma[f] * inv_std[f]) * centred);
        },
        [&](std::size_t i, std::size_t f) { dx[i] = gamma[f] * inv_std[f] * (dy[i] - (d_beta[f] + x_hat[i] * d_gamma[f]) * inv_count); });
}

}  // namespace stag::kernels
