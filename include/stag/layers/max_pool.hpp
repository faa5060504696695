#pragma once
// Max pooling over PoolH × PoolW windows (valid, as Keras' MaxPooling2D), stride = pool size by default.
#include <string>

#include "stag/layers/pooling_window.hpp"

namespace stag {

template <std::size_t PoolH, std::size_t PoolW = PoolH, std::size_t StrideH = PoolH, std::size_t StrideW = PoolW>
struct max_pool : pooling_window<PoolH, PoolW, StrideH, StrideW> {
    using window = pooling_window<PoolH, PoolW, StrideH, StrideW>;
    static constexpr layer_facts facts = window::facts(layer_kind::max_pool);
    static std::string name() { return "max_pool" + window::window_name(); }

    template <shape In>
    struct bind : layer_storage<0> {
        static constexpr shape input_shape = In, output_shape = window::output_shape(In);
        static constexpr std::array<tensor_desc, 0> tensors{};
        // Where each output's maximum sat in its window.
        static constexpr std::size_t scratch_floats(std::size_t batch) { return batch * output_shape.size(); }
        void initialize(rng&) {}

        void forward(const step_context& ctx, const float* x, float* y) const {
            kernels::max_pool_forward(window::geometry(In, ctx.batch), x, y, this->scratch);
        }
        void backward(const step_context& ctx, const float*, const float*, float* dy, float* dx) const {
            if (dx) kernels::max_pool_backward(window::geometry(In, ctx.batch), dy, this->scratch, dx);
        }
    };
};

}  // namespace stag
