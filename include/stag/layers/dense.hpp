#pragma once
// Fully connected layer: y = f(x·W + b), with f the activation that follows it in the type list,
// fused into the GEMM epilogue (forward) and into the bias-gradient pass (backward).
#include <string>

#include "stag/core/initializers.hpp"
#include "stag/kernels/elementwise.hpp"
#include "stag/kernels/gemm.hpp"
#include "stag/layers/layer.hpp"

namespace stag {

template <std::size_t Units, class KernelInit = glorot_uniform, class BiasInit = zeros>
struct dense {
    static_assert(Units > 0, "dense<Units>: Units must be positive");
    static_assert(sizeof(initializer_check<KernelInit>) + sizeof(initializer_check<BiasInit>) > 0);
    static constexpr bool takes_epilogue = true;
    static constexpr layer_facts facts{.kind = layer_kind::dense, .units = Units};
    static std::string name() {
        std::string n = "dense<" + std::to_string(Units);
        if constexpr (!std::is_same_v<KernelInit, glorot_uniform>) n += ", " + KernelInit::name();
        return n + ">";
    }
    // Keras' Dense maps the last axis; stag asks for an explicit flatten first.
    static constexpr bool accepts(shape in) { return in.flat(); }
    static constexpr shape output_shape(shape) { return {1, 1, Units}; }

    template <shape In>
    struct bind : layer_storage<2> {
        static constexpr std::size_t fan_in = In.size();
        static constexpr shape input_shape = In, output_shape{1, 1, Units};
        static constexpr std::array<tensor_desc, 2> tensors{{{"kernel", fan_in * Units, true, {fan_in, Units}}, {"bias", Units, true}}};
        static constexpr std::size_t multiply_adds = fan_in * Units;
        // The bias gradient's partial sums.
        static constexpr std::size_t scratch_floats(std::size_t batch) { return kernels::column_partials_floats(batch, Units, 1); }
        static constexpr std::size_t workspace_floats(std::size_t batch) {
            return std::max(kernels::gemm_workspace_floats(batch, Units, fan_in),
                            std::max(kernels::gemm_workspace_floats(fan_in, Units, batch),
                                     kernels::gemm_workspace_floats(batch, fan_in, Units)));
        }

        void initialize(rng& g) {
            KernelInit::fill(g, this->value[0], fan_in * Units, fan_in, Units);
            BiasInit::fill(g, this->value[1], Units, fan_in, Units);
        }

        template <class Act = fn::linear>
        void forward(const step_context& ctx, const float* x, float* y) const {
            using kernels::matrix_cref;
            kernels::gemm({ctx.batch, Units, fan_in, matrix_cref::row_major(x, fan_in), matrix_cref::row_major(this->value[0], Units), {y, Units}},
                          ctx.workspace, kernels::bias_activation<Act>{this->value[1]});
        }

        // dy is turned into dz = dy·f'(y) in place; dx (may be null) receives dz·Wᵀ.
        template <class Act = fn::linear>
        void backward(const step_context& ctx, const float* x, const float* y, float* dy, float* dx) const {
            using kernels::matrix_cref;
            const std::size_t n = ctx.batch;
            kernels::activation_backward_column_sums<Act>(n, Units, y, dy, {this->grad[1], this->scratch});
            kernels::gemm({fan_in, Units, n, matrix_cref::transposed(x, fan_in), matrix_cref::row_major(dy, Units), {this->grad[0], Units}},
                          ctx.workspace);
            if (dx)
                kernels::gemm({n, fan_in, Units, matrix_cref::row_major(dy, Units), matrix_cref::transposed(this->value[0], Units), {dx, fan_in}},
                              ctx.workspace);
        }
    };
};

}  // namespace stag
