#pragma once
// Batch normalisation with Keras' arguments and defaults: BatchNormalization(axis=-1, momentum=0.99,
// epsilon=1e-3), γ = 1, β = 0; batch statistics in training, moving ones in inference.
//   batch_norm<>                         features of a vector, channels of a map (axis=-1)
//   batch_norm<norm_axis::rows>          image rows of an NHWC map (Keras' axis=1, as HW4's CNN had it)
//   batch_norm<norm_axis::columns>       image columns (axis=2)
// The name carries every non-default argument, so weight files of different batch norms never mix.
#include <string>

#include "stag/core/ratio.hpp"
#include "stag/kernels/normalization.hpp"
#include "stag/layers/layer.hpp"

namespace stag {

template <norm_axis Axis = norm_axis::channels, class Momentum = std::ratio<99, 100>, class Epsilon = std::ratio<1, 1000>>
struct batch_norm : shape_preserving {
    static_assert(ratio_value<Momentum> >= 0.0f && ratio_value<Momentum> < 1.0f, "batch_norm: momentum must be in [0, 1)");
    static_assert(ratio_value<Epsilon> > 0.0f, "batch_norm: epsilon must be positive");

    static std::string name() {
        std::string options;
        const auto add = [&](const std::string& o) { options += (options.empty() ? "" : ", ") + o; };
        if constexpr (Axis == norm_axis::rows) add("axis rows");
        if constexpr (Axis == norm_axis::columns) add("axis columns");
        if constexpr (!std::is_same_v<typename Momentum::type, std::ratio<99, 100>>) add("momentum " + ratio_string<Momentum>());
        if constexpr (!std::is_same_v<typename Epsilon::type, std::ratio<1, 1000>>) add("epsilon " + ratio_string<Epsilon>());
        return options.empty() ? "batch_norm" : "batch_norm<" + options + ">";
    }
    // Rows or columns exist only on maps; a vector's features are its channels.
    static constexpr bool accepts(shape in) { return Axis == norm_axis::channels || !in.flat(); }

    static constexpr layer_facts facts{.kind = layer_kind::batch_norm, .momentum = ratio_double<Momentum>, .axis = Axis};

    template <shape In>
    struct bind : layer_storage<4> {
        static constexpr std::size_t features = Axis == norm_axis::rows ? In.h : Axis == norm_axis::columns ? In.w : In.c;
        static constexpr shape input_shape = In, output_shape = In;
        static constexpr std::array<tensor_desc, 4> tensors{{{"gamma", features, true},
                                                             {"beta", features, true},
                                                             {"moving_mean", features, false},
                                                             {"moving_variance", features, false}}};
        // x̂ for backward, the batch mean and 1/σ, then (channels) the per-chunk partial sums.
        static constexpr std::size_t scratch_floats(std::size_t batch) {
            const std::size_t partials = Axis == norm_axis::channels ? kernels::batch_norm_partials_floats(rows(batch), features) : 0;
            return batch * In.size() + 2 * features + partials;
        }

        void initialize(rng&) {
            std::fill_n(this->value[0], features, 1.0f);
            std::fill_n(this->value[1], features, 0.0f);
            std::fill_n(this->value[2], features, 0.0f);
            std::fill_n(this->value[3], features, 1.0f);
        }

        void forward(const step_context& ctx, const float* x, float* y) const {
            const kernels::batch_norm_params p{this->value[0], this->value[1], this->value[2], this->value[3],
                                               ratio_value<Momentum>, ratio_value<Epsilon>, updates_moving_statistics(ctx.phase)};
            const bool inference = !uses_batch_statistics(ctx.phase);
            if constexpr (Axis == norm_axis::channels) {
                if (inference) kernels::batch_norm_forward_inference(rows(ctx.batch), features, x, y, mean(ctx), inv_std(ctx), p);
                else kernels::batch_norm_forward_train(rows(ctx.batch), features, x, y, x_hat(ctx), inv_std(ctx), mean(ctx), partials(ctx), p);
            } else {
                // In inference mode mean and inv_std hold the folded per-feature scale and shift.
                if (inference) kernels::batch_norm_segments_forward_inference(segments(ctx.batch), x, y, mean(ctx), inv_std(ctx), p);
                else kernels::batch_norm_segments_forward_train(segments(ctx.batch), x, y, x_hat(ctx), inv_std(ctx), mean(ctx), p);
            }
        }
        void backward(const step_context& ctx, const float*, const float*, float* dy, float* dx) const {
            if constexpr (Axis == norm_axis::channels)
                kernels::batch_norm_backward(rows(ctx.batch), features, dy, x_hat(ctx), inv_std(ctx), this->value[0], this->grad[0],
                                             this->grad[1], dx, partials(ctx));
            else
                kernels::batch_norm_segments_backward(segments(ctx.batch), dy, x_hat(ctx), inv_std(ctx), this->value[0], this->grad[0],
                                                      this->grad[1], dx);
        }

    private:
        static constexpr std::size_t rows(std::size_t batch) { return batch * In.h * In.w; }
        static constexpr kernels::segment_layout segments(std::size_t batch) {
            if constexpr (Axis == norm_axis::rows) return {batch, In.h, In.w * In.c};
            else return {batch * In.h, In.w, In.c};
        }
        float* x_hat(const step_context&) const { return this->scratch; }
        float* mean(const step_context& ctx) const { return this->scratch + ctx.batch * In.size(); }
        float* inv_std(const step_context& ctx) const { return mean(ctx) + features; }
        float* partials(const step_context& ctx) const { return inv_std(ctx) + features; }
    };
};

}  // namespace stag
