#pragma once
// 2-D convolution on NHWC maps with HWIO filters (Keras' layouts), as implicit GEMMs on micro_tile.
//
// Layout. With channels innermost, the K_w·C inputs one kernel row of a window touches are contiguous,
// and so are the F outputs of a pixel: the implicit GEMM's "k" runs along memory with no im2col copy.
//  * forward: a tile is `tile_rows` neighbouring output pixels × `tile_cols` filters; each rank-1 step
//    broadcasts one input value per pixel and loads two vectors of the packed filter panel. Bias and
//    the activation run on the registers (epilogue).
//  * backward-data (stride 1 or not) is the same kernel over ∂z placed in a zero frame (dilated by the
//    stride), with the filters flipped and transposed.
//  * backward-weights: a tile is `tile_rows` filters × `tile_cols` contiguous (kw, c) inputs, summed
//    over pixels in chunks that stay in L1; broadcasts come from ∂z, vectors from the input.
// Inputs with fewer channels than a vector (the first layer) are lowered: each output pixel's whole
// window is copied into one zero-padded row (im2col), and the layer runs as a 1×1 convolution on it.
// Every output element is computed by exactly one tile in a fixed order: results do not depend on threads.
#include <algorithm>
#include <cstddef>
#include <cstring>

#include "stag/core/aligned_buffer.hpp"
#include "stag/kernels/micro_tile.hpp"
#include "stag/kernels/parallel.hpp"

namespace stag::kernels {

struct conv_geometry {
    std::size_t batch, in_h, in_w, channels;
    std::size_t out_h, out_w, filters;
    std::size_t kernel_h, kernel_w, stride, pad_top, pad_left;

    constexpr std::size_t patch() const { return kernel_h * kernel_w * channels; }
    constexpr std::size_t pixels() const { return batch * out_h * out_w; }
    constexpr double flops() const { return 2.0 * static_cast<double>(pixels()) * patch() * filters; }
    constexpr bool lowered() const { return channels < simd::width; }
    constexpr std::size_t lowered_row() const { return round_up(patch(), simd::width); }
    // The input frame the windows read: rows/cols from −pad to the last window's end.
    constexpr std::size_t frame_h() const { return (out_h - 1) * stride + kernel_h; }
    constexpr std::size_t frame_w() const { return (out_w - 1) * stride + kernel_w; }
    // What forward leaves for backward-weights: the padded input, or the lowered rows; plus slack for
    // whole-vector reads past the last window.
    constexpr std::size_t input_frame_floats() const {
        return (lowered() ? pixels() * lowered_row() : batch * frame_h() * frame_w() * channels) + tile_cols;
    }
};

namespace detail {

// A map seen by the direct kernel: `batch` frames of frame_h × frame_w × channels, read by windows of
// kernel_h × kernel_w at `stride`, producing out_h × out_w × filters per sample.
struct direct_conv {
    const float* frame;
    std::size_t batch, frame_h, frame_w, channels, kernel_h, kernel_w, stride;
    std::size_t out_h, out_w, filters;
    const float* packed;  // panels of tile_cols filters, each patch rows × tile_cols
    float* out;
};

inline std::size_t packed_filter_floats(std::size_t patch_rows, std::size_t filters) {
    return panels(filters, tile_cols) * tile_cols * patch_rows;
}

// Packs W(k, f) for k < rows, f < filters into panels of tile_cols filters; rows up to padded_rows are zero.
template <class Source>
void pack_filters(std::size_t rows, std::size_t padded_rows, std::size_t filters, const Source& w, float* out) {
    for (std::size_t q = 0; q < panels(filters, tile_cols); ++q)
        for (std::size_t k = 0; k < padded_rows; ++k) {
            float* dst = out + (q * padded_rows + k) * tile_cols;
            for (std::size_t j = 0; j < tile_cols; ++j) {
                const std::size_t f = q * tile_cols + j;
                dst[j] = k < rows && f < filters ? w(k, f) : 0.0f;
            }
        }
}

template <class Epilogue>
void run_direct_conv(const direct_conv& c, const Epilogue& epilogue) {
    const std::size_t run = c.kernel_w * c.channels, patch = c.kernel_h * run;
    const auto pixel_step = static_cast<std::ptrdiff_t>(c.stride * c.channels);
    const std::size_t frame_row = c.frame_w * c.channels, frame_size = c.frame_h * frame_row;
    const std::size_t rows = c.batch * c.out_h, panel_count = panels(c.filters, tile_cols);
    // One task: one output row of one sample against one filter panel. Panel-major order keeps the
    // panel in L2 while it sweeps the batch.
    const double task_flops = 2.0 * static_cast<double>(c.out_w * patch * tile_cols);
    for_tiles(panel_count * rows, task_flops, [&](std::size_t first, std::size_t last) {
        for (std::size_t t = first; t < last; ++t) {
            const std::size_t q = t / rows, r = t % rows, n = r / c.out_h, oh = r % c.out_h;
            const std::size_t col0 = q * tile_cols, cols = std::min(tile_cols, c.filters - col0);
            const float* panel = c.packed + q * patch * tile_cols;
            const float* in_row = c.frame + n * frame_size + oh * c.stride * frame_row;
            float* out_row = c.out + (r * c.out_w) * c.filters + col0;
            for (std::size_t ow = 0; ow < c.out_w; ow += tile_rows)
                with_rows<tile_rows>(std::min(tile_rows, c.out_w - ow), [&]<std::size_t Rows>() {
                    micro_tile<Rows> acc;
                    acc.zero();
                    const float* b = panel;
                    const float* window = in_row + static_cast<std::ptrdiff_t>(ow) * pixel_step;
                    for (std::size_t kh = 0; kh < c.kernel_h; ++kh, window += frame_row)
                        for (std::size_t j = 0; j < run; ++j, b += tile_cols)
                            acc.rank1(window + j, pixel_step, vfloat::load_aligned(b), vfloat::load_aligned(b + simd::width));
                    acc.store(out_row + ow * c.filters, c.filters, cols, col0, epilogue);
                });
        }
    });
}

// Copies N×H×W×C maps into zeroed frames of frame_h × frame_w at (top, left), sample (h, w) landing at
// (top + h·step, left + w·step); parts of the source outside the frame are dropped.
inline void embed_in_frames(const float* src, std::size_t batch, std::size_t h, std::size_t w, std::size_t c, float* dst,
                            std::size_t frame_h, std::size_t frame_w, std::ptrdiff_t top, std::ptrdiff_t left,
                            std::size_t step) {
    const std::size_t frame = frame_h * frame_w * c;
    for_tiles(batch, 4.0 * static_cast<double>(frame), [&](std::size_t first, std::size_t last) {
        for (std::size_t n = first; n < last; ++n) {
            float* f = dst + n * frame;
            std::fill_n(f, frame, 0.0f);
            for (std::size_t y = 0; y < h; ++y) {
                const std::ptrdiff_t fy = top + static_cast<std::ptrdiff_t>(y * step);
                if (fy < 0 || fy >= static_cast<std::ptrdiff_t>(frame_h)) continue;
                for (std::size_t x = 0; x < w; ++x) {
                    const std::ptrdiff_t fx = left + static_cast<std::ptrdiff_t>(x * step);
                    if (fx < 0 || fx >= static_cast<std::ptrdiff_t>(frame_w)) continue;
                    std::memcpy(f + (static_cast<std::size_t>(fy) * frame_w + static_cast<std::size_t>(fx)) * c,
                                src + ((n * h + y) * w + x) * c, c * sizeof(float));
                }
            }
        }
    });
}

// im2col for lowered layers: one zero-padded row of lowered_row() floats per output pixel.
inline void lower_windows(const conv_geometry& g, const float* x, float* rows) {
    const std::size_t row = g.lowered_row();
    for_tiles(g.batch, 4.0 * static_cast<double>(g.out_h * g.out_w * row), [&](std::size_t first, std::size_t last) {
        for (std::size_t n = first; n < last; ++n)
            for (std::size_t oh = 0; oh < g.out_h; ++oh)
                for (std::size_t ow = 0; ow < g.out_w; ++ow) {
                    float* dst = rows + ((n * g.out_h + oh) * g.out_w + ow) * row;
                    std::fill_n(dst, row, 0.0f);
                    for (std::size_t kh = 0; kh < g.kernel_h; ++kh) {
                        const std::ptrdiff_t y = static_cast<std::ptrdiff_t>(oh * g.stride + kh) - static_cast<std::ptrdiff_t>(g.pad_top);
                        if (y < 0 || y >= static_cast<std::ptrdiff_t>(g.in_h)) continue;
                        for (std::size_t kw = 0; kw < g.kernel_w; ++kw) {
                            const std::ptrdiff_t xx = static_cast<std::ptrdiff_t>(ow * g.stride + kw) - static_cast<std::ptrdiff_t>(g.pad_left);
                            if (xx < 0 || xx >= static_cast<std::ptrdiff_t>(g.in_w)) continue;
                            std::memcpy(dst + (kh * g.kernel_w + kw) * g.channels,
                                        x + ((n * g.in_h + static_cast<std::size_t>(y)) * g.in_w + static_cast<std::size_t>(xx)) * g.channels,
                                        g.channels * sizeof(float));
                        }
                    }
                }
    });
}

// The frame (or lowered rows) as the direct kernel and backward-weights read it.
inline direct_conv input_view(const conv_geometry& g, const float* frame) {
    if (g.lowered()) return {frame, g.batch, g.out_h, g.out_w, g.lowered_row(), 1, 1, 1, g.out_h, g.out_w, g.filters, nullptr, nullptr};
    return {frame, g.batch, g.frame_h(), g.frame_w(), g.channels, g.kernel_h, g.kernel_w, g.stride, g.out_h, g.out_w, g.filters, nullptr, nullptr};
}

}  // namespace detail

// Workspace floats for any pass of this geometry.
inline std::size_t conv_workspace_floats(const conv_geometry& g) {
    const std::size_t forward = detail::packed_filter_floats(g.lowered() ? g.lowered_row() : g.patch(), g.filters);
    const std::size_t weight_rows = g.lowered() ? g.lowered_row() : g.patch();
    const std::size_t backward_weights = round_up(g.filters * weight_rows, alignment_floats);
    const std::size_t backward_data = round_up(g.batch * (g.in_h + g.kernel_h - 1) * (g.in_w + g.kernel_w - 1) * g.filters, alignment_floats) +
                                      detail::packed_filter_floats(g.kernel_h * g.kernel_w * g.filters, g.channels);
    return std::max({forward, backward_weights, backward_data});
}

// Forward: y = epilogue(conv(x, w)), with x N×H×W×C, w HWIO. `frame` (input_frame_floats) receives
// the padded or lowered input and must be kept for conv_backward_weights.
template <class Epilogue>
void conv_forward(const conv_geometry& g, const float* x, const float* w, float* y, float* frame, float* workspace,
                  const Epilogue& epilogue) {
    if (g.lowered())
        detail::lower_windows(g, x, frame);
    else
        detail::embed_in_frames(x, g.batch, g.in_h, g.in_w, g.channels, frame, g.frame_h(), g.frame_w(),
                                static_cast<std::ptrdiff_t>(g.pad_top), static_cast<std::ptrdiff_t>(g.pad_left), 1);
    detail::direct_conv c = detail::input_view(g, frame);
    const std::size_t patch_rows = c.kernel_h * c.kernel_w * c.channels;  // lowered: padded to whole vectors
    detail::pack_filters(g.patch(), patch_rows, g.filters, [&](std::size_t k, std::size_t f) { return w[k * g.filters + f]; }, workspace);
    c.packed = workspace;
    c.out = y;
    detail::run_direct_conv(c, epilogue);
}

// ∂w = Σ over pixels of window(p) ⊗ ∂z(p), then stored as epilogue(k, f, sum) — the hook through which a
// regulariser adds its term. `frame` is what conv_forward left; dz is N×out_h×out_w×F.
template <class WeightEpilogue>
void conv_backward_weights(const conv_geometry& g, const float* frame, const float* dz, float* dw, float* workspace,
                           const WeightEpilogue& epilogue) {
    const detail::direct_conv c = detail::input_view(g, frame);
    const std::size_t run = c.kernel_w * c.channels, rows = c.kernel_h * run, filters = g.filters;
    const std::size_t frame_row = c.frame_w * c.channels, frame_size = c.frame_h * frame_row;
    const std::size_t pixel_step = c.stride * c.channels;
    float* dw_t = workspace;  // filters × rows: a tile's accumulators are contiguous along rows
    // Pixels go in chunks of whole output rows small enough that a chunk's input columns stay in L1
    // while every filter block sweeps over them.
    const std::size_t rows_per_chunk = std::max<std::size_t>(1, 128 / c.out_w), out_rows = c.batch * c.out_h;
    const std::size_t column_blocks = panels(run, tile_cols);
    const double task_flops = 2.0 * static_cast<double>(tile_cols * filters * g.pixels());
    for_tiles(c.kernel_h * column_blocks, task_flops, [&](std::size_t first, std::size_t last) {
        for (std::size_t t = first; t < last; ++t) {
            const std::size_t kh = t / column_blocks, j0 = (t % column_blocks) * tile_cols;
            const std::size_t cols = std::min(tile_cols, run - j0), m0 = kh * run + j0;
            for (std::size_t r0 = 0; r0 < out_rows; r0 += rows_per_chunk) {
                const std::size_t r1 = std::min(out_rows, r0 + rows_per_chunk);
                for (std::size_t f0 = 0; f0 < filters; f0 += tile_rows)
                    with_rows<tile_rows>(std::min(tile_rows, filters - f0), [&]<std::size_t Rows>() {
                        micro_tile<Rows> acc;
                        acc.zero();
                        if (r0 > 0) acc.add_from(dw_t + f0 * rows + m0, rows, cols);
                        for (std::size_t r = r0; r < r1; ++r) {
                            const std::size_t n = r / c.out_h, oh = r % c.out_h;
                            const float* in = c.frame + n * frame_size + (oh * c.stride + kh) * frame_row + j0;
                            const float* d = dz + r * c.out_w * filters + f0;
                            for (std::size_t ow = 0; ow < c.out_w; ++ow, in += pixel_step, d += filters)
                                acc.rank1(d, 1, simd::load(in), simd::load(in + simd::width));
                        }
                        acc.store(dw_t + f0 * rows + m0, rows, cols, m0, store_plain{});
                    });
            }
        }
    });
    // Back to HWIO, through the epilogue. Lowered rows past the real patch are padding.
    const std::size_t patch = g.patch();
    for (std::size_t k = 0; k < patch; ++k)
        for (std::size_t f = 0; f < filters; ++f) dw[k * filters + f] = epilogue(k * filters + f, dw_t[f * rows + k]);
}

// ∂x = conv(∂z in a zero frame dilated by the stride, w flipped and transposed): the forward kernel.
inline void conv_backward_data(const conv_geometry& g, const float* dz, const float* w, float* dx, float* workspace) {
    const std::size_t frame_h = g.in_h + g.kernel_h - 1, frame_w = g.in_w + g.kernel_w - 1;
    float* frame = workspace;
    float* packed = workspace + round_up(g.batch * frame_h * frame_w * g.filters, alignment_floats);
    detail::embed_in_frames(dz, g.batch, g.out_h, g.out_w, g.filters, frame, frame_h, frame_w,
                            static_cast<std::ptrdiff_t>(g.kernel_h - 1) - static_cast<std::ptrdiff_t>(g.pad_top),
                            static_cast<std::ptrdiff_t>(g.kernel_w - 1) - static_cast<std::ptrdiff_t>(g.pad_left), g.stride);
    // Row (kh', kw', f) of the flipped filters, column c: w[K_h−1−kh'][K_w−1−kw'][c][f].
    const std::size_t kw_count = g.kernel_w, f_count = g.filters, c_count = g.channels;
    const std::size_t rows = g.kernel_h * kw_count * f_count;
    detail::pack_filters(rows, rows, c_count, [&](std::size_t k, std::size_t c) {
        const std::size_t f = k % f_count, kw = kw_count - 1 - (k / f_count) % kw_count, kh = g.kernel_h - 1 - k / (f_count * kw_count);
        return w[((kh * kw_count + kw) * c_count + c) * f_count + f];
    }, packed);
    detail::run_direct_conv({frame, g.batch, frame_h, frame_w, g.filters, g.kernel_h, g.kernel_w, 1, g.in_h, g.in_w, g.channels,
                             packed, dx},
                            store_plain{});
}

}  // namespace stag::kernels
