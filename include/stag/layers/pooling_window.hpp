#pragma once
// What every pooling layer shares: valid PoolH × PoolW windows moved by StrideH × StrideW, per channel.
#include <string>

#include "stag/kernels/pooling.hpp"
#include "stag/layers/layer.hpp"

namespace stag {

template <std::size_t PoolH, std::size_t PoolW, std::size_t StrideH, std::size_t StrideW>
struct pooling_window {
    static_assert(PoolH > 0 && PoolW > 0 && StrideH > 0 && StrideW > 0, "pooling layers: sizes and strides must be positive");
    static constexpr bool accepts(shape in) { return in.h >= PoolH && in.w >= PoolW; }
    static constexpr shape output_shape(shape in) {
        return {in.h >= PoolH ? (in.h - PoolH) / StrideH + 1 : 0, in.w >= PoolW ? (in.w - PoolW) / StrideW + 1 : 0, in.c};
    }
    // "<2x2>", or "<3x3, stride 2x2>" when the windows overlap or leave gaps.
    static std::string window_name() {
        std::string n = "<" + std::to_string(PoolH) + "x" + std::to_string(PoolW);
        if constexpr (StrideH != PoolH || StrideW != PoolW) n += ", stride " + std::to_string(StrideH) + "x" + std::to_string(StrideW);
        return n + ">";
    }
    static constexpr layer_facts facts(layer_kind kind) {
        return {.kind = kind, .window_h = PoolH, .window_w = PoolW, .stride_h = StrideH, .stride_w = StrideW};
    }
    static constexpr kernels::pool_geometry geometry(shape in, std::size_t batch) {
        const shape out = output_shape(in);
        return {.batch = batch, .in_h = in.h, .in_w = in.w, .channels = in.c, .out_h = out.h, .out_w = out.w,
                .pool_h = PoolH, .pool_w = PoolW, .stride_h = StrideH, .stride_w = StrideW};
    }
};

}  // namespace stag
