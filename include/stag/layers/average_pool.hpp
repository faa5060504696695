#pragma once
// Average pooling over PoolH × PoolW windows (valid, as Keras' AveragePooling2D), stride = pool size by
// default. Written by following docs/writing-a-layer.md.
#include <string>

#include "stag/layers/pooling_window.hpp"

namespace stag {

template <std::size_t PoolH, std::size_t PoolW = PoolH, std::size_t StrideH = PoolH, std::size_t StrideW = PoolW>
struct average_pool : pooling_window<PoolH, PoolW, StrideH, StrideW> {
    using window = pooling_window<PoolH, PoolW, StrideH, StrideW>;
    static constexpr layer_facts facts = window::facts(layer_kind::average_pool);
    static std::string name() { return "average_pool" + window::window_name(); }

    template <shape In>
    struct bind : layer_storage<0> {
        static constexpr shape input_shape = In, output_shape = window::output_shape(In);
        static constexpr std::array<tensor_desc, 0> tensors{};
        void initialize(rng&) {}

        void forward(const step_context& ctx, const float* x, float* y) const {
            kernels::average_pool_forward(window::geometry(In, ctx.batch), x, y);
        }
        void backward(const step_context& ctx, const float*, const float*, float* dy, float* dx) const {
            if (dx) kernels::average_pool_backward(window::geometry(In, ctx.batch), dy, dx);
        }
    };
};

}  // namespace stag
