#pragma once
// Max pooling over PoolH × PoolW windows (valid, as Keras' MaxPooling2D), stride = pool size by default.
#include <string>

#include "stag/kernels/pooling.hpp"
#include "stag/layers/layer.hpp"

namespace stag {

template <std::size_t PoolH, std::size_t PoolW = PoolH, std::size_t StrideH = PoolH, std::size_t StrideW = PoolW>
struct max_pool {
    static_assert(PoolH > 0 && PoolW > 0 && StrideH > 0 && StrideW > 0, "max_pool<...>: sizes and strides must be positive");
    static constexpr layer_facts facts{.kind = layer_kind::max_pool, .window_h = PoolH, .window_w = PoolW};
    static std::string name() {
        std::string n = "max_pool<" + std::to_string(PoolH) + "x" + std::to_string(PoolW);
        if constexpr (StrideH != PoolH || StrideW != PoolW) n += ", stride " + std::to_string(StrideH) + "x" + std::to_string(StrideW);
        return n + ">";
    }
    static constexpr bool accepts(shape in) { return in.h >= PoolH && in.w >= PoolW; }
    static constexpr shape output_shape(shape in) {
        return {in.h >= PoolH ? (in.h - PoolH) / StrideH + 1 : 0, in.w >= PoolW ? (in.w - PoolW) / StrideW + 1 : 0, in.c};
    }

    template <shape In>
    struct bind : layer_storage<0> {
        static constexpr shape input_shape = In, output_shape = max_pool::output_shape(In);
        static constexpr std::array<tensor_desc, 0> tensors{};
        // Where each output's maximum sat in its window.
        static constexpr std::size_t scratch_floats(std::size_t batch) { return batch * output_shape.size(); }
        void initialize(rng&) {}

        static constexpr kernels::pool_geometry geometry(std::size_t batch) {
            return {batch, In.h, In.w, In.c, output_shape.h, output_shape.w, PoolH, PoolW, StrideH, StrideW};
        }
        void forward(const step_context& ctx, const float* x, float* y) const {
            kernels::max_pool_forward(geometry(ctx.batch), x, y, this->scratch);
        }
        void backward(const step_context& ctx, const float*, const float*, float* dy, float* dx) const {
            if (dx) kernels::max_pool_backward(geometry(ctx.batch), dy, this->scratch, dx);
        }
    };
};

}  // namespace stag
