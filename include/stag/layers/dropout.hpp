#pragma once
// Inverted dropout: in training each element is zeroed with probability Rate and the rest scaled by
// 1/(1 − Rate); in inference it is the identity. Masks are keyed by (seed, step, layer, element of the whole
// batch, whichever replica holds it) and recomputed in backward rather than stored.
#include <cstring>
#include <string>

#include "stag/core/ratio.hpp"
#include "stag/kernels/dropout.hpp"
#include "stag/layers/layer.hpp"

namespace stag {

template <class Rate>
struct dropout : shape_preserving {
    static_assert(ratio_value<Rate> >= 0.0f && ratio_value<Rate> < 1.0f, "dropout<Rate>: Rate must be in [0, 1)");
    static std::string name() { return "dropout<" + ratio_string<Rate>() + ">"; }
    static constexpr layer_facts facts{.kind = layer_kind::dropout, .rate = ratio_double<Rate>};

    template <shape In>
    struct bind : parameterless<In> {
        void forward(const step_context& ctx, const float* x, float* y) const {
            const std::size_t n = ctx.batch * In.size();
            if (!uses_batch_statistics(ctx.phase)) {
                std::memcpy(y, x, n * sizeof(float));
                return;
            }
            kernels::dropout_apply(n, x, y, mask(ctx));
        }
        void backward(const step_context& ctx, const float*, const float*, float* dy, float* dx) const {
            if (dx) kernels::dropout_apply(ctx.batch * In.size(), dy, dx, mask(ctx));
        }

    private:
        static kernels::dropout_mask mask(const step_context& ctx) {
            return {ratio_value<Rate>, stream_key(ctx.seed, ctx.step, ctx.layer), ctx.sample_offset * In.size()};
        }
    };
};

}  // namespace stag
