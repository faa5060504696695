#pragma once
// Kernel regularisers, Keras semantics: a penalty added to the loss and its gradient added to ∂w.
#include <cstddef>
#include <string>

#include "stag/core/ratio.hpp"

namespace stag {

struct no_regularizer {
    static constexpr bool active = false;
    static constexpr double lambda = 0.0;
    static std::string name() { return "none"; }
    static double penalty(const float*, std::size_t) { return 0.0; }
    static float gradient(float) { return 0.0f; }
};

// λ·Σw² in the loss, 2λw in the gradient.
template <class Lambda>
struct l2 {
    static_assert(ratio_value<Lambda> > 0.0f, "l2<Lambda>: Lambda must be positive");
    static constexpr bool active = true;
    static constexpr double lambda = ratio_double<Lambda>;
    static std::string name() { return "l2<" + ratio_string<Lambda>() + ">"; }
    static double penalty(const float* w, std::size_t n) {
        double sum = 0.0;
        for (std::size_t i = 0; i < n; ++i) sum += double(w[i]) * w[i];
        return ratio_value<Lambda> * sum;
    }
    static float gradient(float w) { return 2.0f * ratio_value<Lambda> * w; }
};

template <class R>
concept regularizer = requires(const float* w, std::size_t n) {
    { R::penalty(w, n) } -> std::convertible_to<double>;
    { R::gradient(0.0f) } -> std::convertible_to<float>;
};

}  // namespace stag
