#pragma once
// The shape of one 2-D convolution on NHWC maps with HWIO filters: what every pass, the layer, the bench
// and the reference kernels share.
#include <cstddef>

#include "stag/core/aligned_buffer.hpp"
#include "stag/kernels/micro_tile.hpp"

namespace stag::kernels {

// The rows (or columns) of zeros before the input that `out` windows of `kernel` at `stride` need: half of
// what they reach past the input, rounded down, so an odd extra one goes at the end (TensorFlow's "same").
constexpr std::size_t padding_before(std::size_t in, std::size_t out, std::size_t kernel, std::size_t stride) {
    const std::size_t needed = (out - 1) * stride + kernel;
    return needed > in ? (needed - in) / 2 : 0;
}

struct conv_geometry {
    std::size_t batch, in_h, in_w, channels;
    std::size_t out_h, out_w, filters;
    std::size_t kernel_h, kernel_w, stride, pad_top, pad_left;

    constexpr std::size_t patch() const { return kernel_h * kernel_w * channels; }
    constexpr std::size_t pixels() const { return batch * out_h * out_w; }
    constexpr double flops() const { return 2.0 * static_cast<double>(pixels()) * patch() * filters; }
    constexpr bool narrow() const { return channels < simd::width; }
    constexpr std::size_t tap_columns() const { return round_up(patch(), simd::width); }
    // The input frame the windows read: rows/cols from −pad to the last window's end.
    constexpr std::size_t frame_h() const { return (out_h - 1) * stride + kernel_h; }
    constexpr std::size_t frame_w() const { return (out_w - 1) * stride + kernel_w; }
    // What forward leaves for backward-weights: the padded input, plus slack for whole-vector reads
    // past the last window.
    constexpr std::size_t input_frame_floats() const { return batch * frame_h() * frame_w() * channels + tile_cols; }
    // Every extent positive, and each window starting inside the padded input (what the passes assume).
    constexpr bool consistent() const {
        return batch && in_h && in_w && channels && out_h && out_w && filters && kernel_h && kernel_w && stride &&
               pad_top < kernel_h && pad_left < kernel_w && (out_h - 1) * stride < in_h + pad_top && (out_w - 1) * stride < in_w + pad_left;
    }
};

}  // namespace stag::kernels
