#pragma once
// Kernel regularisers, Keras semantics: a penalty added to the loss and its gradient added to ∂w.
#include <concepts>
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

// The regulariser protocol, member by member (layers/layer.hpp explains the pattern).
template <class R>
struct regularizer_members {
    static constexpr bool name = requires { { R::name() } -> std::convertible_to<std::string>; };
    static constexpr bool active = requires { { R::active } -> std::convertible_to<bool>; };
    static constexpr bool lambda = requires { { R::lambda } -> std::convertible_to<double>; };
    static constexpr bool penalty = requires(const float* w, std::size_t n) { { R::penalty(w, n) } -> std::convertible_to<double>; };
    static constexpr bool gradient = requires { { R::gradient(0.0f) } -> std::convertible_to<float>; };
    static constexpr bool all = name && active && lambda && penalty && gradient;
};
template <class R>
concept regularizer = regularizer_members<R>::all;
template <class R>
struct regularizer_check {
    using has = regularizer_members<R>;
    static_assert(has::name, "stag regularizer needs `static std::string name()`");
    static_assert(has::active, "stag regularizer needs `static constexpr bool active` (false: no penalty term)");
    static_assert(has::lambda, "stag regularizer needs `static constexpr double lambda` (the summary's λ)");
    static_assert(has::penalty, "stag regularizer needs `static double penalty(const float* w, std::size_t n)`");
    static_assert(has::gradient, "stag regularizer needs `static float gradient(float w)`");
};

}  // namespace stag
