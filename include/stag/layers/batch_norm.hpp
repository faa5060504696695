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

    static constexpr layer_facts facts{.kind = layer_kind::batch_norm, .momentum = ratio_double<Momentum>, .axis = Axis,
                                       .epsilon = ratio_value<Epsilon>};

    template <shape In>
    struct bind : layer_storage<4> {
        static constexpr std::size_t features = Axis == norm_axis::rows ? In.h : Axis == norm_axis::columns ? In.w : In.c;
        static constexpr shape input_shape = In, output_shape = In;
        static constexpr std::array<tensor_desc, 4> tensors{{{"gamma", features, true},
                                                             {"beta", features, true},
                                                             {"moving_mean", features, false},
                                                             {"moving_variance", features, false}}};
        // Values of one feature in one sample.
        static constexpr std::size_t per_sample = In.size() / features;
        // x̂ for backward, the batch mean and 1/σ (in inference mode: the folded scale and shift), (channels)
        // the per-chunk partial sums, and what replicas exchange under data parallelism.
        enum part : std::size_t { x_hat, mean, inv_std, partials, exchange };
        static constexpr scratch_plan<5> scratch_parts(std::size_t batch) {
            return {{batch * In.size(), features, features,
                     Axis == norm_axis::channels ? kernels::batch_norm_partials_floats(rows(batch).rows, features) : 0, 1 + 2 * features}};
        }
        static constexpr std::size_t scratch_floats(std::size_t batch) { return scratch_parts(batch).total(); }

        void initialize(rng&) {
            std::fill_n(this->value[0], features, 1.0f);
            std::fill_n(this->value[1], features, 0.0f);
            std::fill_n(this->value[2], features, 0.0f);
            std::fill_n(this->value[3], features, 1.0f);
        }

        void forward(const step_context& ctx, const float* x, float* y) const {
            const kernels::batch_norm_params p{this->value[0], this->value[1], this->value[2], this->value[3],
                                               ratio_value<Momentum>, ratio_value<Epsilon>, updates_moving_statistics(ctx.phase)};
            if (!uses_batch_statistics(ctx.phase)) {
                if constexpr (Axis == norm_axis::channels) kernels::batch_norm_forward_inference(rows(ctx.batch), x, y, folded(ctx), p);
                else kernels::batch_norm_segments_forward_inference(segments(ctx.batch), x, y, folded(ctx), p);
                return;
            }
            const kernels::batch_norm_scratch k = kept(ctx);
            if constexpr (Axis == norm_axis::channels) kernels::batch_norm_moments(rows(ctx.batch), x, k);
            else kernels::batch_norm_segments_moments(segments(ctx.batch), x, k);
            if (ctx.replicas) pool_moments(ctx, k);
            kernels::batch_norm_finish_moments(features, k, p);
            if constexpr (Axis == norm_axis::channels) kernels::batch_norm_normalize(rows(ctx.batch), x, y, k, p);
            else kernels::batch_norm_segments_normalize(segments(ctx.batch), x, y, k, p);
        }
        void backward(const step_context& ctx, const float*, const float*, float* dy, float* dx) const {
            const kernels::batch_norm_gradients g{dy, this->grad[0], this->grad[1], dx};
            const kernels::batch_norm_scratch k = kept(ctx);
            if constexpr (Axis == norm_axis::channels) kernels::batch_norm_parameter_gradients(rows(ctx.batch), g, k);
            else kernels::batch_norm_segments_parameter_gradients(segments(ctx.batch), g, k);
            if (!dx) return;
            // dx needs the sums over every replica's rows; dβ and dγ stay this replica's, the gradient sum adds them up.
            kernels::batch_norm_totals totals{g.d_beta, g.d_gamma, per_sample * ctx.batch};
            if (ctx.replicas) totals = pooled_sums(ctx, g);
            if constexpr (Axis == norm_axis::channels) kernels::batch_norm_input_gradient(rows(ctx.batch), g, this->value[0], k, totals);
            else kernels::batch_norm_segments_input_gradient(segments(ctx.batch), g, this->value[0], k, totals);
        }

    private:
        static constexpr kernels::feature_rows rows(std::size_t batch) { return {batch * In.h * In.w, features}; }
        static constexpr kernels::segment_layout segments(std::size_t batch) {
            if constexpr (Axis == norm_axis::rows) return {batch, In.h, In.w * In.c};
            else return {batch * In.h, In.w, In.c};
        }
        // Synchronised batch norm: every replica's (rows, mean, variance) pooled into the statistics of the whole batch.
        void pool_moments(const step_context& ctx, const kernels::batch_norm_scratch& k) const {
            float* mine = scratch_parts(ctx.batch).part(this->scratch, exchange);
            mine[0] = static_cast<float>(per_sample * ctx.batch);
            std::copy_n(k.mean, features, mine + 1);
            std::copy_n(k.inv_std, features, mine + 1 + features);
            kernels::batch_norm_pool_moments(ctx.replicas->all_gather(mine, 1 + 2 * features), ctx.replicas->size(), features, k);
        }
        kernels::batch_norm_totals pooled_sums(const step_context& ctx, const kernels::batch_norm_gradients& g) const {
            float* sums = scratch_parts(ctx.batch).part(this->scratch, exchange);
            std::copy_n(g.d_beta, features, sums);
            std::copy_n(g.d_gamma, features, sums + features);
            kernels::batch_norm_pool_sums(ctx.replicas->all_gather(sums, 2 * features), ctx.replicas->size(), 2 * features, sums);
            return {sums, sums + features, per_sample * ctx.samples_in_step()};
        }
        kernels::batch_norm_scratch kept(const step_context& ctx) const {
            const scratch_plan<5> plan = scratch_parts(ctx.batch);
            return {plan.part(this->scratch, x_hat), plan.part(this->scratch, mean), plan.part(this->scratch, inv_std),
                    plan.part(this->scratch, partials)};
        }
        kernels::batch_norm_folded folded(const step_context& ctx) const {
            const scratch_plan<5> plan = scratch_parts(ctx.batch);
            return {plan.part(this->scratch, mean), plan.part(this->scratch, inv_std)};
        }
    };
};

}  // namespace stag
