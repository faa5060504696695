#pragma once
// Element-wise activation functions, each with its derivative written in terms of the *output* y,
// so backward needs only the activation buffer (which lets it run in place and fuse into GEMMs).
#include <concepts>
#include <string>

#include "stag/core/ratio.hpp"
#include "stag/kernels/simd.hpp"

namespace stag::fn {

using simd::vfloat;

struct linear {
    static std::string name() { return "linear"; }
    static vfloat apply(vfloat x) { return x; }
    static vfloat derivative(vfloat) { return vfloat(1.0f); }
};

struct relu {
    static std::string name() { return "relu"; }
    static vfloat apply(vfloat x) { return xsimd::max(x, vfloat(0.0f)); }
    static vfloat derivative(vfloat y) { return xsimd::select(y > vfloat(0.0f), vfloat(1.0f), vfloat(0.0f)); }
};

template <class Alpha>
struct leaky_relu {
    static_assert(ratio_value<Alpha> > 0.0f, "leaky_relu: alpha must be positive (the derivative is read off the output's sign)");
    static std::string name() { return "leaky_relu<" + ratio_string<Alpha>() + ">"; }
    static vfloat apply(vfloat x) { return xsimd::select(x > vfloat(0.0f), x, x * vfloat(ratio_value<Alpha>)); }
    static vfloat derivative(vfloat y) { return xsimd::select(y > vfloat(0.0f), vfloat(1.0f), vfloat(ratio_value<Alpha>)); }
};

struct tanh {
    static std::string name() { return "tanh"; }
    static vfloat apply(vfloat x) { return xsimd::tanh(x); }
    static vfloat derivative(vfloat y) { return xsimd::fnma(y, y, vfloat(1.0f)); }
};

struct sigmoid {
    static std::string name() { return "sigmoid"; }
    static vfloat apply(vfloat x) { return vfloat(1.0f) / (vfloat(1.0f) + xsimd::exp(-x)); }
    static vfloat derivative(vfloat y) { return y * (vfloat(1.0f) - y); }
};

template <class Alpha>
struct elu {
    static_assert(ratio_value<Alpha> > 0.0f, "elu: alpha must be positive");
    static std::string name() { return "elu<" + ratio_string<Alpha>() + ">"; }
    static vfloat apply(vfloat x) {
        return xsimd::select(x > vfloat(0.0f), x, vfloat(ratio_value<Alpha>) * xsimd::expm1(xsimd::min(x, vfloat(0.0f))));
    }
    // For x ≤ 0, y = α(eˣ − 1) so dy/dx = αeˣ = y + α.
    static vfloat derivative(vfloat y) { return xsimd::select(y > vfloat(0.0f), vfloat(1.0f), y + vfloat(ratio_value<Alpha>)); }
};

template <class F>
struct activation_members {
    static constexpr bool name = requires { { F::name() } -> std::convertible_to<std::string>; };
    static constexpr bool apply = requires(vfloat v) { { F::apply(v) } -> std::same_as<vfloat>; };
    static constexpr bool derivative = requires(vfloat v) { { F::derivative(v) } -> std::same_as<vfloat>; };
};
template <class F>
concept activation_function = activation_members<F>::name && activation_members<F>::apply && activation_members<F>::derivative;
template <class F>
struct activation_check {
    using has = activation_members<F>;
    static_assert(has::name, "stag activation function needs `static std::string name()`");
    static_assert(has::apply, "stag activation function needs `static vfloat apply(vfloat x)`");
    static_assert(has::derivative, "stag activation function needs `static vfloat derivative(vfloat y)` (from the output)");
};

}  // namespace stag::fn
