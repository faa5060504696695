#pragma once
// Batch normalisation over the last axis of a rows×features matrix (features = units of a dense
// layer, or channels of an NHWC map with rows = N·H·W). Vectorised across features, parallel over
// fixed row chunks; per-feature sums go through reduce_columns, so results do not depend on threads.
#include <array>
#include <cassert>
#include <cmath>
#include <algorithm>
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

// Training mode in three steps, so that data parallelism can pool the moments of every replica's rows between
// the first two (batch_norm_pool_moments): the batch moments, then the moving statistics and 1/σ, then x̂ and y.
//
// The batch mean into kept.mean and the biased variance (Keras') into kept.inv_std. The sums are of x − K and
// (x − K)² with K the first row, close enough to the mean that the variance does not cancel away.
inline void batch_norm_moments(const feature_rows& m, const float* x, const batch_norm_scratch& kept) {
    using simd::load, simd::store;
    const std::size_t rows = m.rows, features = m.features;
    float *mean = kept.mean, *variance = kept.inv_std;  // Σ(x − K) and Σ(x − K)² here first
    assert(rows && features && x && mean && variance && kept.partials);
    const float* shift = x;
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
        variance[f] = std::max(0.0f, variance[f] * inv_rows - shifted_mean * shifted_mean);
        mean[f] = shift[f] + shifted_mean;
    }
}

// The moments of the union of every replica's rows, from each replica's (row count, mean, variance) as
// all_gather returns them: `replicas` blocks of 1 + 2·features floats. Pooled in rank order (Chan et al.'s
// parallel variance), so every replica computes the same bits. Into kept.mean and kept.inv_std, as
// batch_norm_moments leaves them.
inline void batch_norm_pool_moments(const float* gathered, std::size_t replicas, std::size_t features, const batch_norm_scratch& kept) {
    assert(gathered && replicas && features && kept.mean && kept.inv_std);
    const std::size_t block = 1 + 2 * features;
    double total = 0.0;
    for (std::size_t r = 0; r < replicas; ++r) total += gathered[r * block];
    for (std::size_t f = 0; f < features; ++f) {
        double mean = 0.0, spread = 0.0;
        for (std::size_t r = 0; r < replicas; ++r) mean += double(gathered[r * block]) * gathered[r * block + 1 + f];
        mean /= total;
        for (std::size_t r = 0; r < replicas; ++r) {
            const float* b = gathered + r * block;
            const double d = double(b[1 + f]) - mean;
            spread += double(b[0]) * (double(b[1 + features + f]) + d * d);
        }
        kept.mean[f] = static_cast<float>(mean);
        kept.inv_std[f] = static_cast<float>(spread / total);
    }
}

// Σ over replicas, in rank order, of `replicas` blocks of n floats (as all_gather returns them) into sums.
inline void batch_norm_pool_sums(const float* gathered, std::size_t replicas, std::size_t n, float* sums) {
    assert(gathered && replicas && sums);
    std::copy(gathered, gathered + n, sums);
    for (std::size_t r = 1; r < replicas; ++r)
        for (std::size_t i = 0; i < n; ++i) sums[i] += gathered[r * n + i];
}

// From the batch moments: the moving statistics move towards them (training mode), and kept.inv_std turns
// from the variance into 1/σ.
inline void batch_norm_finish_moments(std::size_t features, const batch_norm_scratch& kept, const batch_norm_params& p) {
    for (std::size_t f = 0; f < features; ++f) {
        const float var = kept.inv_std[f];
        if (p.update_moving) {
            p.moving_mean[f] = p.moving_mean[f] * p.momentum + kept.mean[f] * (1.0f - p.momentum);
            p.moving_variance[f] = p.moving_variance[f] * p.momentum + var * (1.0f - p.momentum);
        }
        kept.inv_std[f] = 1.0f / std::sqrt(var + p.epsilon);
    }
}

// x̂ = (x − mean)·(1/σ), kept for backward, and y = γx̂ + β.
inline void batch_norm_normalize(const feature_rows& m, const float* x, float* y, const batch_norm_scratch& kept, const batch_norm_params& p) {
    using simd::load, simd::store;
    const std::size_t rows = m.rows, features = m.features;
    const float *mean = kept.mean, *inv_std = kept.inv_std;
    float* x_hat = kept.x_hat;
    assert(rows && features && x && y && x_hat && mean && inv_std);
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

// Training mode on one replica: normalise with the batch statistics, keep x̂ and 1/σ for backward, and move
// the running statistics.
inline void batch_norm_forward_train(const feature_rows& m, const float* x, float* y, const batch_norm_scratch& kept, const batch_norm_params& p) {
    batch_norm_moments(m, x, kept);
    batch_norm_finish_moments(m.features, kept, p);
    batch_norm_normalize(m, x, y, kept, p);
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

// The per-feature sums dx needs, over all the rows the statistics were taken over (every replica's, under
// data parallelism): Σ dy, Σ dy·x̂ and the row count.
struct batch_norm_totals {
    const float* dy_sum;
    const float* dy_x_hat_sum;
    std::size_t rows;
};

// dβ = Σ dy and dγ = Σ dy·x̂ over this replica's rows.
inline void batch_norm_parameter_gradients(const feature_rows& m, const batch_norm_gradients& g, const batch_norm_scratch& kept) {
    using simd::load, simd::store;
    const std::size_t rows = m.rows, features = m.features;
    const float *dy = g.dy, *x_hat = kept.x_hat;
    assert(rows && features && dy && g.d_gamma && g.d_beta && x_hat && kept.partials);
    reduce_columns<2>(rows, features, kept.partials, {g.d_beta, g.d_gamma}, [&](std::size_t first, std::size_t last, const std::array<float*, 2>& s) {
        over_elements(
            first, last, features,
            [&](std::size_t i, std::size_t f) {
                const simd::vfloat d = load(dy + i);
                store(s[0] + f, load(s[0] + f) + d);
                store(s[1] + f, xsimd::fma(d, load(x_hat + i), load(s[1] + f)));
            },
            [&](std::size_t i, std::size_t f) {
                s[0][f] += dy[i];
                s[1][f] += dy[i] * x_hat[i];
            });
    });
}

// dx = γ/σ · (dy − (Σdy + x̂·Σdy·x̂)/N) into g.dx.
inline void batch_norm_input_gradient(const feature_rows& m, const batch_norm_gradients& g, const float* gamma, const batch_norm_scratch& kept,
                                      const batch_norm_totals& t) {
    using simd::load, simd::store;
    const std::size_t features = m.features;
    const float *dy = g.dy, *x_hat = kept.x_hat, *inv_std = kept.inv_std, *d_beta = t.dy_sum, *d_gamma = t.dy_x_hat_sum;
    float* dx = g.dx;
    assert(m.rows && features && dy && dx && gamma && x_hat && inv_std && d_beta && d_gamma && t.rows);
    const float inv_rows = 1.0f / static_cast<float>(t.rows);
    for_row_chunks(m.rows, features, 5.0, [&](std::size_t first, std::size_t last) {
        over_elements(
            first, last, features,
            [&](std::size_t i, std::size_t f) {
                const simd::vfloat centred = load(dy + i) - (load(d_beta + f) + load(x_hat + i) * load(d_gamma + f)) * inv_rows;
                store(dx + i, load(gamma + f) * load(inv_std + f) * centred);
            },
            [&](std::size_t i, std::size_t f) { dx[i] = gamma[f] * inv_std[f] * (dy[i] - (d_beta[f] + x_hat[i] * d_gamma[f]) * inv_rows); });
    });
}

// dβ = Σ dy, dγ = Σ dy·x̂, dx = γ/σ · (dy − dβ/N − x̂·dγ/N), from what forward kept (one replica).
inline void batch_norm_backward(const feature_rows& m, const batch_norm_gradients& g, const float* gamma, const batch_norm_scratch& kept) {
    batch_norm_parameter_gradients(m, g, kept);
    if (g.dx) batch_norm_input_gradient(m, g, gamma, kept, {g.d_beta, g.d_gamma, m.rows});
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

// The batch moments, as batch_norm_moments: sums shifted by each feature's first value.
inline void batch_norm_segments_moments(const segment_layout& s, const float* x, const batch_norm_scratch& kept) {
    using simd::load;
    float *mean = kept.mean, *variance = kept.inv_std;
    assert(s.count() && s.features && x && mean && variance);
    for_tiles(s.features, 4.0 * static_cast<double>(s.count()), [&](std::size_t first, std::size_t last) {
        for (std::size_t f = first; f < last; ++f) {
            const float k = x[f * s.inner];
            const simd::vfloat kv(k);
            const auto [sum, sum_sq] = detail::sums_over_feature(
                s, f, [&](std::size_t i) { const simd::vfloat d = load(x + i) - kv; return std::pair{d, d * d}; },
                [&](std::size_t i) { const float d = x[i] - k; return std::pair{d, d * d}; });
            const float n = static_cast<float>(s.count()), shifted_mean = sum / n;
            variance[f] = std::max(0.0f, sum_sq / n - shifted_mean * shifted_mean);
            mean[f] = k + shifted_mean;
        }
    });
}

// x̂ and y, as batch_norm_normalize.
inline void batch_norm_segments_normalize(const segment_layout& s, const float* x, float* y, const batch_norm_scratch& kept,
                                          const batch_norm_params& p) {
    using simd::load;
    const float *mean = kept.mean, *inv_std = kept.inv_std;
    float* x_hat = kept.x_hat;
    assert(s.count() && s.features && x && y && x_hat && mean && inv_std);
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

// Training mode on one replica, as batch_norm_forward_train.
inline void batch_norm_segments_forward_train(const segment_layout& s, const float* x, float* y, const batch_norm_scratch& kept,
                                              const batch_norm_params& p) {
    batch_norm_segments_moments(s, x, kept);
    batch_norm_finish_moments(s.features, kept, p);
    batch_norm_segments_normalize(s, x, y, kept, p);
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

// dβ = Σ dy and dγ = Σ dy·x̂ over this replica's values of each feature.
inline void batch_norm_segments_parameter_gradients(const segment_layout& s, const batch_norm_gradients& g, const batch_norm_scratch& kept) {
    using simd::load;
    const float *dy = g.dy, *x_hat = kept.x_hat;
    assert(s.count() && s.features && dy && g.d_gamma && g.d_beta && x_hat);
    for_tiles(s.features, 3.0 * static_cast<double>(s.count()), [&](std::size_t first, std::size_t last) {
        for (std::size_t f = first; f < last; ++f) {
            const auto [beta_sum, gamma_sum] = detail::sums_over_feature(
                s, f,
                [&](std::size_t i) {
                    const simd::vfloat d = load(dy + i);
                    return std::pair{d, d * load(x_hat + i)};
                },
                [&](std::size_t i) {
                    return std::pair{dy[i], dy[i] * x_hat[i]};
                });
            g.d_beta[f] = beta_sum;
            g.d_gamma[f] = gamma_sum;
        }
    });
}

// dx = γ/σ · (dy − (Σdy + x̂·Σdy·x̂)/M), M = t.rows values per feature.
inline void batch_norm_segments_input_gradient(const segment_layout& s, const batch_norm_gradients& g, const float* gamma,
                                               const batch_norm_scratch& kept, const batch_norm_totals& t) {
    using simd::load;
    const float *dy = g.dy, *x_hat = kept.x_hat, *inv_std = kept.inv_std, *d_beta = t.dy_sum, *d_gamma = t.dy_x_hat_sum;
    float* dx = g.dx;
    assert(s.count() && s.features && dy && dx && gamma && x_hat && inv_std && d_beta && d_gamma && t.rows);
    const float inv_count = 1.0f / static_cast<float>(t.rows);
    detail::over_segments(
        s, 5.0,
        [&](std::size_t i, std::size_t f) {
            const simd::vfloat centred = load(dy + i) - (simd::vfloat(d_beta[f]) + load(x_hat + i) * simd::vfloat(d_gamma[f])) * inv_count;
            simd::store(dx + i, simd::vfloat(gamma[f] * inv_std[f]) * centred);
        },
        [&](std::size_t i, std::size_t f) { dx[i] = gamma[f] * inv_std[f] * (dy[i] - (d_beta[f] + x_hat[i] * d_gamma[f]) * inv_count); });
}

// As batch_norm_backward, over segments (one replica).
inline void batch_norm_segments_backward(const segment_layout& s, const batch_norm_gradients& g, const float* gamma, const batch_norm_scratch& kept) {
    batch_norm_segments_parameter_gradients(s, g, kept);
    if (g.dx) batch_norm_segments_input_gradient(s, g, gamma, kept, {g.d_beta, g.d_gamma, s.count()});
}

}  // namespace stag::kernels
