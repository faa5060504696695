#pragma once
// 2-D convolution, NHWC maps and HWIO kernels as Keras' Conv2D: y = f(conv(x, w) + b), with f the
// activation that follows in the type list fused into the kernel's epilogue (forward) and into the
// bias-gradient pass (backward). Padding `same` pads as TensorFlow does (extra row/column at the end).
#include <algorithm>
#include <string>

#include "stag/core/initializers.hpp"
#include "stag/core/regularizers.hpp"
#include "stag/kernels/conv.hpp"
#include "stag/kernels/elementwise.hpp"
#include "stag/layers/layer.hpp"
#include "stag/layers/options.hpp"

namespace stag {

template <std::size_t Filters, std::size_t KernelH, std::size_t KernelW, padding Padding = padding::same,
          std::size_t Stride = 1, class KernelInit = glorot_uniform, class Regularizer = no_regularizer>
struct conv2d {
    static_assert(sizeof(initializer_check<KernelInit>) + sizeof(regularizer_check<Regularizer>) > 0);
    static_assert(Filters > 0 && KernelH > 0 && KernelW > 0 && Stride > 0,
                  "conv2d<Filters, KernelH, KernelW, ...>: filters, kernel size and stride must be positive");
    static constexpr bool takes_epilogue = true;
    static constexpr layer_facts facts{.kind = layer_kind::conv2d, .units = Filters, .window_h = KernelH, .window_w = KernelW,
                                       .stride_h = Stride, .stride_w = Stride, .pads = Padding, .l2 = Regularizer::lambda};
    static std::string name() {
        std::string n = "conv2d<" + std::to_string(Filters) + ", " + std::to_string(KernelH) + "x" + std::to_string(KernelW) +
                        (Padding == padding::same ? ", same" : ", valid");
        if constexpr (Stride != 1) n += ", stride " + std::to_string(Stride);
        if constexpr (!std::is_same_v<KernelInit, glorot_uniform>) n += ", " + KernelInit::name();
        if constexpr (Regularizer::active) n += ", " + Regularizer::name();
        return n + ">";
    }
    static constexpr std::size_t out_extent(std::size_t in, std::size_t kernel) {
        if constexpr (Padding == padding::same) return (in + Stride - 1) / Stride;
        else return in >= kernel ? (in - kernel) / Stride + 1 : 0;
    }
    static constexpr bool accepts(shape in) { return out_extent(in.h, KernelH) > 0 && out_extent(in.w, KernelW) > 0; }
    static constexpr shape output_shape(shape in) { return {out_extent(in.h, KernelH), out_extent(in.w, KernelW), Filters}; }

    template <shape In>
    struct bind : layer_storage<2> {
        static constexpr shape input_shape = In, output_shape = conv2d::output_shape(In);
        static constexpr std::size_t kernel_size = KernelH * KernelW * In.c * Filters;
        static constexpr std::array<tensor_desc, 2> tensors{{{"kernel", kernel_size, true, {KernelH, KernelW, In.c, Filters}},
                                                             {"bias", Filters, true}}};
        static constexpr std::size_t multiply_adds = output_shape.h * output_shape.w * kernel_size;

        static constexpr kernels::conv_geometry geometry(std::size_t batch) {
            using kernels::padding_before;
            return {.batch = batch, .in_h = In.h, .in_w = In.w, .channels = In.c, .out_h = output_shape.h, .out_w = output_shape.w,
                    .filters = Filters, .kernel_h = KernelH, .kernel_w = KernelW, .stride = Stride,
                    .pad_top = padding_before(In.h, output_shape.h, KernelH, Stride), .pad_left = padding_before(In.w, output_shape.w, KernelW, Stride)};
        }
        // The padded input, kept from forward for the weight gradient; the bias gradient's partial sums.
        enum part : std::size_t { frame, bias_partials };
        static constexpr scratch_plan<2> scratch_parts(std::size_t batch) {
            return {{geometry(batch).input_frame_floats(), kernels::column_partials_floats(geometry(batch).pixels(), Filters, 1)}};
        }
        static constexpr std::size_t scratch_floats(std::size_t batch) { return scratch_parts(batch).total(); }
        static constexpr std::size_t workspace_floats(std::size_t batch) { return kernels::conv_workspace_floats(geometry(batch)); }

        void initialize(rng& g) {
            constexpr std::size_t receptive = KernelH * KernelW;
            KernelInit::fill(g, this->value[0], kernel_size, receptive * In.c, receptive * Filters);
            std::fill_n(this->value[1], Filters, 0.0f);
        }

        double penalty() const
            requires Regularizer::active
        {
            return Regularizer::penalty(this->value[0], kernel_size);
        }

        template <class Act = fn::linear>
        void forward(const step_context& ctx, const float* x, float* y) const {
            kernels::conv_forward(geometry(ctx.batch), {x, this->value[0], y, scratch_parts(ctx.batch).part(this->scratch, frame)}, ctx.workspace,
                                  kernels::bias_activation<Act>{this->value[1]});
        }

        // dy becomes dz = dy·f'(y) in place; dx (may be null) receives ∂loss/∂x.
        template <class Act = fn::linear>
        void backward(const step_context& ctx, const float*, const float* y, float* dy, float* dx) const {
            const kernels::conv_geometry g = geometry(ctx.batch);
            const scratch_plan<2> plan = scratch_parts(ctx.batch);
            kernels::activation_backward_column_sums<Act>(g.pixels(), Filters, y, dy, {this->grad[1], plan.part(this->scratch, bias_partials)});
            const kernels::conv_backward_weights_tensors t{plan.part(this->scratch, frame), dy, this->grad[0]};
            const bool adds_penalty = !Regularizer::active || ctx.adds_penalty_gradient;  // one replica adds it (layers/layer.hpp)
            if (adds_penalty) kernels::conv_backward_weights(g, t, ctx.workspace, kernels::plus_penalty_gradient<Regularizer>{this->value[0]});
            else kernels::conv_backward_weights(g, t, ctx.workspace, kernels::keep_sum{});
            if (dx) kernels::conv_backward_data(g, dy, this->value[0], dx, ctx.workspace);
        }
    };
};

namespace detail {
template <class T>
struct is_initializer_option : std::bool_constant<initializer<T>> {};
template <class T>
struct is_regularizer_option : std::bool_constant<regularizer<T>> {};

template <std::size_t Filters, class... Options>
struct conv_from_options {
    using check = check_options<conv_from_options, std::tuple<Options...>, is_kernel, is_strides, is_padding, is_initializer_option,
                                is_regularizer_option>;
    static_assert(check::known && check::once);
    static_assert(options_of_kind<is_kernel, Options...> == 1, "conv<Filters, Options...>: give the window as kernel<H, W>");
    using window = option_or<is_kernel, kernel<1>, Options...>;
    using type = conv2d<Filters, window::h, window::w, option_or<is_padding, valid_padding, Options...>::value,
                        option_or<is_strides, strides<1>, Options...>::value, option_or<is_initializer_option, glorot_uniform, Options...>,
                        option_or<is_regularizer_option, no_regularizer, Options...>>;
};
}  // namespace detail

// conv2d with named options in any order, Keras' defaults for those left out (valid padding, strides 1,
// glorot_uniform, no regulariser): conv<64, kernel<3, 3>, same_padding, l2<std::ratio<1, 100>>> is
// conv2d<64, 3, 3, padding::same, 1, glorot_uniform, l2<std::ratio<1, 100>>>, the same type.
template <std::size_t Filters, class... Options>
using conv = typename detail::conv_from_options<Filters, Options...>::type;

}  // namespace stag
