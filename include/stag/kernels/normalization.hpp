#pragma once
// Batch normalisation over the last axis of a rows×features matrix (features = units of a dense
// layer, or channels of an NHWC map with rows = N·H·W). Vectorised across features; every
// per-feature sum runs over rows in a fixed order, so results do not depend on threads.
#include <cmath>
#include <cstddef>

#include "stag/kernels/simd.hpp"

namespace stag::kernels {

struct batch_norm_params {
    const float* gamma;
    const float* beta;
    float* moving_mean;
    float* moving_variance;
    float momentum, epsilon;
};

// Training mode: normalise with the batch statistics (biased variance, as Keras), keep x̂ and 1/σ for
// backward (mean and inv_std receive `features` floats each), and move the running statistics.
inline void batch_norm_forward_train(std::size_t rows, std::size_t features, const float* x, float* y, float* x_hat,
                                     float* inv_std, float* mean, const batch_norm_params& p) {
    for (std::size_t f = 0; f < features; ++f) mean[f] = inv_std[f] = 0.0f;
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t f = 0; f < features; ++f) mean[f] += x[r * features + f];
    const float inv_rows = 1.0f / static_cast<float>(rows);
    for (std::size_t f = 0; f < features; ++f) mean[f] *= inv_rows;
    float* variance = inv_std;  // accumulated in place, then turned into 1/σ
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t f = 0; f < features; ++f) {
            const float d = x[r * features + f] - mean[f];
            variance[f] += d * d;
        }
    for (std::size_t f = 0; f < features; ++f) {
        const float var = variance[f] * inv_rows;
        p.moving_mean[f] = p.moving_mean[f] * p.momentum + mean[f] * (1.0f - p.momentum);
        p.moving_variance[f] = p.moving_variance[f] * p.momentum + var * (1.0f - p.momentum);
        inv_std[f] = 1.0f / std::sqrt(var + p.epsilon);
    }
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t f = 0; f < features; ++f) {
            const std::size_t at = r * features + f;
            x_hat[at] = (x[at] - mean[f]) * inv_std[f];
            y[at] = x_hat[at] * p.gamma[f] + p.beta[f];
        }
}

// Inference mode: an affine map from the moving statistics, folded once per feature into
// y = x·scale + shift (scale and shift receive `features` floats each).
inline void batch_norm_forward_inference(std::size_t rows, std::size_t features, const float* x, float* y, float* scale,
                                         float* shift, const batch_norm_params& p) {
    for (std::size_t f = 0; f < features; ++f) {
        scale[f] = p.gamma[f] / std::sqrt(p.moving_variance[f] + p.epsilon);
        shift[f] = p.beta[f] - p.moving_mean[f] * scale[f];
    }
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t f = 0; f < features; ++f) y[r * features + f] = x[r * features + f] * scale[f] + shift[f];
}

// dβ = Σ dy, dγ = Σ dy·x̂, dx = γ/σ · (dy − dβ/N − x̂·dγ/N). dx may be null (first layer).
inline void batch_norm_backward(std::size_t rows, std::size_t features, const float* dy, const float* x_hat,
                                const float* inv_std, const float* gamma, float* d_gamma, float* d_beta, float* dx) {
    for (std::size_t f = 0; f < features; ++f) d_gamma[f] = d_beta[f] = 0.0f;
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t f = 0; f < features; ++f) {
            const std::size_t at = r * features + f;
            d_beta[f] += dy[at];
            d_gamma[f] += dy[at] * x_hat[at];
        }
    if (!dx) return;
    const float inv_rows = 1.0f / static_cast<float>(rows);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t f = 0; f < features; ++f) {
            const std::size_t at = r * features + f;
            dx[at] = gamma[f] * inv_std[f] * (dy[at] - (d_beta[f] + x_hat[at] * d_gamma[f]) * inv_rows);
        }
}

}  // namespace stag::kernels
