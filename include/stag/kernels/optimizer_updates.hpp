#pragma once
// One fused, vectorised pass per parameter tensor for each optimiser update.
#include <cassert>
#include <cmath>
#include <cstddef>
#include <limits>

#include "stag/kernels/simd.hpp"

namespace stag::kernels {

using simd::vfloat;

// Each update returns whether every weight it wrote is finite: a NaN or an infinity in a gradient (which a
// ReLU can hide from the loss) shows up here, in the pass that reads every gradient anyway.

// One parameter tensor and its gradient.
struct parameter_update {
    std::size_t n;
    float* w;
    const float* g;
};

// Adam's step size (with the bias corrections folded in) and its constants.
struct adam_constants {
    float step, beta1, beta2, epsilon;
};

// TensorFlow's ApplyAdam (what Keras runs): m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g²,
// w ← w − step·m / (√v + ε).
inline bool adam_update(const parameter_update& t, float* m, float* v, const adam_constants& a) {
    const std::size_t n = t.n;
    float* w = t.w;
    const float* g = t.g;
    const float step = a.step, beta1 = a.beta1, beta2 = a.beta2, epsilon = a.epsilon;
    assert((n == 0 || (w && g && m && v)) && beta1 >= 0.0f && beta1 < 1.0f && beta2 >= 0.0f && beta2 < 1.0f);
    const vfloat b1(beta1), b2(beta2), c1(1.0f - beta1), c2(1.0f - beta2), lr(step), eps(epsilon), largest(std::numeric_limits<float>::max());
    xsimd::batch_bool<float> finite(true);
    bool tail_finite = true;
    std::size_t i = 0;
    for (; i + simd::width <= n; i += simd::width) {
        const vfloat gi = simd::load(g + i);
        const vfloat mi = xsimd::fma(b1, simd::load(m + i), c1 * gi);
        const vfloat vi = xsimd::fma(b2, simd::load(v + i), c2 * gi * gi);
        const vfloat wi = simd::load(w + i) - lr * mi / (xsimd::sqrt(vi) + eps);
        simd::store(m + i, mi);
        simd::store(v + i, vi);
        simd::store(w + i, wi);
        finite = finite & (xsimd::abs(wi) <= largest);
    }
    for (; i < n; ++i) {
        m[i] = beta1 * m[i] + (1.0f - beta1) * g[i];
        v[i] = beta2 * v[i] + (1.0f - beta2) * g[i] * g[i];
        w[i] -= step * m[i] / (std::sqrt(v[i]) + epsilon);
        tail_finite = tail_finite && std::isfinite(w[i]);
    }
    return xsimd::all(finite) && tail_finite;
}

// Keras SGD: velocity ← momentum·velocity − lr·g; w ← w + velocity.
inline bool sgd_momentum_update(const parameter_update& t, float* velocity, float lr, float momentum) {
    const std::size_t n = t.n;
    float* w = t.w;
    const float* g = t.g;
    assert(n == 0 || (w && g && velocity));
    bool finite = true;
    for (std::size_t i = 0; i < n; ++i) {
        velocity[i] = momentum * velocity[i] - lr * g[i];
        w[i] += velocity[i];
        finite = finite && std::isfinite(w[i]);
    }
    return finite;
}

}  // namespace stag::kernels
