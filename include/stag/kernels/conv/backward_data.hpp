#pragma once
// Convolution backward-data: ∂x = conv(∂z placed in a zero frame dilated by the stride, w flipped and
// transposed), the forward kernel again. Narrow inputs (fewer channels than a vector) instead form each
// pixel's window columns ∂z(p)·wᵀ (a 1×1 convolution of ∂z) and add them back into place (col2im).
#include <algorithm>
#include <cassert>
#include <cstddef>

#include "stag/kernels/conv/direct.hpp"

namespace stag::kernels {

namespace detail {

// Calls tap(column, input) for every window tap of sample n that falls inside the input: `column`
// indexes the tap's C values among the window columns (pixel·tap_columns + (kh·K_w + kw)·C), `input`
// those in x.
template <class Tap>
void for_each_inside_tap(const conv_geometry& g, std::size_t n, const Tap& tap) {
    const auto inside = [](std::size_t at, std::size_t pad, std::size_t extent) { return at >= pad && at - pad < extent; };
    for (std::size_t oh = 0; oh < g.out_h; ++oh)
        for (std::size_t ow = 0; ow < g.out_w; ++ow) {
            const std::size_t pixel = (n * g.out_h + oh) * g.out_w + ow;
            for (std::size_t kh = 0; kh < g.kernel_h; ++kh) {
                const std::size_t y = oh * g.stride + kh;
                if (!inside(y, g.pad_top, g.in_h)) continue;
                for (std::size_t kw = 0; kw < g.kernel_w; ++kw) {
                    const std::size_t x = ow * g.stride + kw;
                    if (!inside(x, g.pad_left, g.in_w)) continue;
                    tap(pixel * g.tap_columns() + (kh * g.kernel_w + kw) * g.channels,
                        ((n * g.in_h + y - g.pad_top) * g.in_w + x - g.pad_left) * g.channels);
                }
            }
        }
}

// col2im: dx = Σ of every window's columns back at their input positions.
inline void add_window_columns(const conv_geometry& g, const float* columns, float* dx) {
    const std::size_t per_sample = g.in_h * g.in_w * g.channels;
    for_tiles(g.batch, 4.0 * static_cast<double>(g.out_h * g.out_w * g.tap_columns()), [&](std::size_t first, std::size_t last) {
        std::fill(dx + first * per_sample, dx + last * per_sample, 0.0f);
        for (std::size_t n = first; n < last; ++n)
            for_each_inside_tap(g, n, [&](std::size_t column, std::size_t input) {
                for (std::size_t c = 0; c < g.channels; ++c) dx[input + c] += columns[column + c];
            });
    });
}

inline void narrow_backward_data(const conv_geometry& g, const float* dz, const float* w, float* dx, float* workspace) {
    const std::size_t row = g.tap_columns(), patch = g.patch(), filters = g.filters;
    float* columns = workspace;
    float* packed = workspace + round_up(g.pixels() * row, alignment_floats);
    pack_filters(filters, filters, patch, [&](std::size_t f) { return std::pair{w + f, static_cast<std::ptrdiff_t>(filters)}; }, packed);
    run_direct_conv({.frame = dz, .batch = g.batch, .frame_h = g.out_h, .frame_w = g.out_w, .channels = filters, .kernel_h = 1,
                     .kernel_w = 1, .stride = 1, .out_h = g.out_h, .out_w = g.out_w, .filters = row, .packed = packed, .out = columns},
                    store_plain{});
    add_window_columns(g, columns, dx);
}

}  // namespace detail

inline std::size_t conv_backward_data_workspace_floats(const conv_geometry& g) {
    if (g.narrow()) return round_up(g.pixels() * g.tap_columns(), alignment_floats) + detail::packed_filter_floats(g.filters, g.tap_columns());
    return round_up(g.batch * (g.in_h + g.kernel_h - 1) * (g.in_w + g.kernel_w - 1) * g.filters, alignment_floats) +
           detail::packed_filter_floats(g.kernel_h * g.kernel_w * g.filters, g.channels);
}

// dz is N × out_h × out_w × F, w HWIO, dx N × in_h × in_w × C.
inline void conv_backward_data(const conv_geometry& g, const float* dz, const float* w, float* dx, float* workspace) {
    assert(g.consistent() && dz && w && dx && is_aligned(workspace));
    if (g.narrow()) return detail::narrow_backward_data(g, dz, w, dx, workspace);
    const std::size_t frame_h = g.in_h + g.kernel_h - 1, frame_w = g.in_w + g.kernel_w - 1;
    float* frame = workspace;
    float* packed = workspace + round_up(g.batch * frame_h * frame_w * g.filters, alignment_floats);
    detail::embed_in_frames(dz, {g.batch, g.out_h, g.out_w, g.filters}, frame,
                            {frame_h, frame_w, g.kernel_h - 1 - g.pad_top, g.kernel_w - 1 - g.pad_left, g.stride});
    // Row (kh', kw', f) of the flipped filters, column c: w[K_h−1−kh'][K_w−1−kw'][c][f].
    const std::size_t kw_count = g.kernel_w, f_count = g.filters, c_count = g.channels;
    const std::size_t rows = g.kernel_h * kw_count * f_count;
    detail::pack_filters(rows, rows, c_count, [&](std::size_t k) {
        const std::size_t f = k % f_count, kw = kw_count - 1 - (k / f_count) % kw_count, kh = g.kernel_h - 1 - k / (f_count * kw_count);
        return std::pair{w + (kh * kw_count + kw) * c_count * f_count + f, static_cast<std::ptrdiff_t>(f_count)};
    }, packed);
    const std::size_t top = g.kernel_h - 1 - g.pad_top;
    detail::run_direct_conv({.frame = frame, .batch = g.batch, .frame_h = frame_h, .frame_w = frame_w, .channels = g.filters,
                             .kernel_h = g.kernel_h, .kernel_w = g.kernel_w, .stride = 1, .out_h = g.in_h, .out_w = g.in_w,
                             .filters = g.channels, .packed = packed, .out = dx, .data_top = top,
                             .data_bottom = top + (g.out_h - 1) * g.stride + 1},
                            store_plain{});
}

}  // namespace stag::kernels
