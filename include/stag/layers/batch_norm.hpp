#pragma once
// Batch normalisation over the last axis (features of a vector, channels of a map), with Keras'
// defaults: momentum 0.99, ε 1e-3, γ = 1, β = 0; batch statistics in training, moving ones in inference.
#include <string>

#include "stag/core/ratio.hpp"
#include "stag/kernels/normalization.hpp"
#include "stag/layers/layer.hpp"

namespace stag {

template <class Momentum = std::ratio<99, 100>, class Epsilon = std::ratio<1, 1000>>
struct batch_norm : shape_preserving {
    static std::string name() { return "batch_norm"; }

    template <shape In>
    struct bind : layer_storage<4> {
        static constexpr std::size_t features = In.c;
        static constexpr shape input_shape = In, output_shape = In;
        static constexpr std::array<tensor_desc, 4> tensors{{{"gamma", features, true},
                                                             {"beta", features, true},
                                                             {"moving_mean", features, false},
                                                             {"moving_variance", features, false}}};
        // x̂ for backward, the batch mean and 1/σ, then the per-chunk partial sums.
        static constexpr std::size_t scratch_floats(std::size_t batch) {
            return batch * In.size() + 2 * features + kernels::batch_norm_partials_floats(rows(batch), features);
        }

        void initialize(rng&) {
            std::fill_n(this->value[0], features, 1.0f);
            std::fill_n(this->value[1], features, 0.0f);
            std::fill_n(this->value[2], features, 0.0f);
            std::fill_n(this->value[3], features, 1.0f);
        }

        void forward(const step_context& ctx, const float* x, float* y) const {
            const kernels::batch_norm_params p{this->value[0], this->value[1], this->value[2], this->value[3],
                                               ratio_value<Momentum>, ratio_value<Epsilon>, ctx.update_statistics};
            if (ctx.phase == mode::inference)
                kernels::batch_norm_forward_inference(rows(ctx.batch), features, x, y, mean(ctx), inv_std(ctx), p);  // per-feature scratch
            else
                kernels::batch_norm_forward_train(rows(ctx.batch), features, x, y, x_hat(ctx), inv_std(ctx), mean(ctx), partials(ctx), p);
        }
        void backward(const step_context& ctx, const float*, const float*, float* dy, float* dx) const {
            kernels::batch_norm_backward(rows(ctx.batch), features, dy, x_hat(ctx), inv_std(ctx), this->value[0], this->grad[0],
                                         this->grad[1], dx, partials(ctx));
        }

    private:
        static constexpr std::size_t rows(std::size_t batch) { return batch * In.h * In.w; }
        float* x_hat(const step_context&) const { return this->scratch; }
        float* mean(const step_context& ctx) const { return this->scratch + ctx.batch * In.size(); }
        float* inv_std(const step_context& ctx) const { return mean(ctx) + features; }
        float* partials(const step_context& ctx) const { return inv_std(ctx) + features; }
    };
};

}  // namespace stag
