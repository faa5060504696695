#pragma once
// Softmax over a flat vector. As the last layer under categorical cross-entropy, its backward is fused
// into the loss (the graph hands the logits' gradient straight to the layer before).
#include <string>

#include "stag/kernels/softmax.hpp"
#include "stag/layers/layer.hpp"

namespace stag {

struct softmax {
    static constexpr bool is_softmax = true;
    static constexpr layer_facts facts{.kind = layer_kind::softmax};
    static std::string name() { return "softmax"; }
    static constexpr bool accepts(shape in) { return in.flat(); }
    static constexpr shape output_shape(shape in) { return in; }

    template <shape In>
    struct bind : parameterless<In> {
        void forward(const step_context& ctx, const float* x, float* y) const {
            kernels::softmax_rows(ctx.batch, In.c, x, y);
        }
        void backward(const step_context& ctx, const float*, const float* y, float* dy, float* dx) const {
            if (dx) kernels::softmax_rows_backward(ctx.batch, In.c, y, dy, dx);
        }
    };
};

}  // namespace stag
