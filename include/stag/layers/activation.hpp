#pragma once
// Element-wise activation layers. Right after a dense (or conv) layer the graph fuses them into that
// layer's kernels; anywhere else they run as this standalone pass.
#include <string>

#include "stag/kernels/elementwise.hpp"
#include "stag/layers/layer.hpp"

namespace stag {

// Which function F is, for file formats: stag's own functions by name, anything else custom.
template <class F>
struct function_facts {
    static constexpr function_kind kind = function_kind::custom;
    static constexpr float alpha = 0.0f;
};
template <function_kind Kind, class Alpha = std::ratio<0>>
struct known_function {
    static constexpr function_kind kind = Kind;
    static constexpr float alpha = ratio_value<Alpha>;  // the float the kernel multiplies by
};
template <>
struct function_facts<fn::relu> : known_function<function_kind::relu> {};
template <class Alpha>
struct function_facts<fn::leaky_relu<Alpha>> : known_function<function_kind::leaky_relu, Alpha> {};
template <class Alpha>
struct function_facts<fn::elu<Alpha>> : known_function<function_kind::elu, Alpha> {};
template <>
struct function_facts<fn::sigmoid> : known_function<function_kind::sigmoid> {};
template <>
struct function_facts<fn::tanh> : known_function<function_kind::tanh> {};

template <class F>
struct activation : shape_preserving {
    static_assert(sizeof(fn::activation_check<F>) > 0);
    using function = F;
    static constexpr layer_facts facts{.kind = layer_kind::activation, .function = function_facts<F>::kind, .alpha = function_facts<F>::alpha};
    static std::string name() { return F::name(); }

    template <shape In>
    struct bind : parameterless<In> {
        void forward(const step_context& ctx, const float* x, float* y) const {
            kernels::activation_forward<F>(ctx.batch * In.size(), x, y);
        }
        void backward(const step_context& ctx, const float*, const float* y, float* dy, float* dx) const {
            if (dx) kernels::activation_backward<F>(ctx.batch * In.size(), y, dy, dx);
        }
    };
};

using relu = activation<fn::relu>;
template <class Alpha = std::ratio<3, 10>>  // Keras' LeakyReLU default
using leaky_relu = activation<fn::leaky_relu<Alpha>>;
// Not `tanh`: <cmath> declares ::tanh, so `using namespace stag;` would make that name ambiguous.
using tanh_activation = activation<fn::tanh>;
using sigmoid = activation<fn::sigmoid>;
template <class Alpha = std::ratio<1>>
using elu = activation<fn::elu<Alpha>>;

}  // namespace stag
