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
// Inputs with fewer channels than a vector (the first layer: one channel) are "narrow": a K_w·C run is
// too short for vectors, so their backward passes go tap by tap — backward-weights broadcasts the
// taps of a window (gathered by offset) against vectors of filters, backward-data forms each pixel's
// window columns ∂z·wᵀ and adds them back into place (col2im). Forward is the direct kernel for all.
// Every output element is computed by exactly one tile in a fixed order: results do not depend on threads.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

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
    constexpr bool narrow() const { return channels < simd::width; }
    constexpr std::size_t tap_columns() const { return round_up(patch(), simd::width); }
    // The input frame the windows read: rows/cols from −pad to the last window's end.
    constexpr std::size_t frame_h() const { return (out_h - 1) * stride + kernel_h; }
    constexpr std::size_t frame_w() const { return (out_w - 1) * stride + kernel_w; }
    // What forward leaves for backward-weights: the padded input, plus slack for whole-vector reads
    // past the last window.
    constexpr std::size_t input_frame_floats() const { return batch * frame_h() * frame_w() * channels + tile_cols; }
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
    // Frame rows outside [data_top, data_bottom) are padding (zeros): windows skip them.
    std::size_t data_top = 0, data_bottom = SIZE_MAX;
};

inline std::size_t packed_filter_floats(std::size_t patch_rows, std::size_t filters) {
    return panels(filters, tile_cols) * tile_cols * patch_rows;
}

// Packs a rows × cols matrix into panels of tile_cols columns, rows up to padded_rows and columns up to
// whole panels zero. row(k) gives row k as {first element, stride between its columns}.
template <class RowSource>
void pack_filters(std::size_t rows, std::size_t padded_rows, std::size_t cols, const RowSource& row, float* out) {
    for_tiles(padded_rows, 4.0 * static_cast<double>(cols), [&](std::size_t first_row, std::size_t last_row) {
        for (std::size_t k = first_row; k < last_row; ++k) {
            const auto [src, stride] = k < rows ? row(k) : std::pair<const float*, std::ptrdiff_t>{nullptr, 0};
            for (std::size_t q = 0; q < panels(cols, tile_cols); ++q) {
                float* dst = out + (q * padded_rows + k) * tile_cols;
                const std::size_t first = q * tile_cols, count = src ? std::min(tile_cols, cols - first) : 0;
                for (std::size_t j = 0; j < count; ++j) dst[j] = src[static_cast<std::ptrdiff_t>(first + j) * stride];
                std::fill(dst + count, dst + tile_cols, 0.0f);
            }
        }
    });
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
                    for (std::size_t kh = 0; kh < c.kernel_h; ++kh, window += frame_row) {
                        if (const std::size_t y = oh * c.stride + kh; y < c.data_top || y >= c.data_bottom) {
                            b += run * tile_cols;
                            continue;
                        }
                        for (std::size_t j = 0; j < run; ++j, b += tile_cols)
                            acc.rank1(window + j, pixel_step, vfloat::load_aligned(b), vfloat::load_aligned(b + simd::width));
                    }
                    acc.store(out_row + ow * c.filters, c.filters, cols, col0, epilogue);
                });
        }
    });
}

// Copies N×H×W×C maps into zeroed frames of frame_h × frame_w at (top, left), sample (y, x) landing at
// (top + y·step, left + x·step); parts of the source outside the frame are dropped.
inline void embed_in_frames(const float* src, std::size_t batch, std::size_t h, std::size_t w, std::size_t c, float* dst,
                            std::size_t frame_h, std::size_t frame_w, std::size_t top, std::size_t left, std::size_t step) {
    const std::size_t frame = frame_h * frame_w * c, row = frame_w * c;
    for_tiles(batch, 4.0 * static_cast<double>(frame), [&](std::size_t first, std::size_t last) {
        for (std::size_t n = first; n < last; ++n) {
            float* f = dst + n * frame;
            const float* sample = src + n * h * w * c;
            if (step != 1) {  // dilated: zeros everywhere between the samples
                std::fill_n(f, frame, 0.0f);
                for (std::size_t y = 0; y < h && top + y * step < frame_h; ++y)
                    for (std::size_t x = 0; x < w && left + x * step < frame_w; ++x)
                        std::copy_n(sample + (y * w + x) * c, c, f + ((top + y * step) * frame_w + left + x * step) * c);
                continue;
            }
            // Contiguous: copy each source row once, zero only the margins around it.
            const std::size_t cols = std::min(w, frame_w - std::min(left, frame_w));
            for (std::size_t fy = 0; fy < frame_h; ++fy) {
                float* out = f + fy * row;
                if (fy < top || fy - top >= h) {
                    std::fill_n(out, row, 0.0f);
                    continue;
                }
                std::fill_n(out, left * c, 0.0f);
                std::copy_n(sample + (fy - top) * w * c, cols * c, out + left * c);
                std::fill(out + (left + cols) * c, out + row, 0.0f);
            }
        }
    });
}

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

// The padded input as the direct kernel and backward-weights read it.
inline direct_conv input_view(const conv_geometry& g, const float* frame) {
    return {frame,   g.batch, g.frame_h(), g.frame_w(), g.channels, g.kernel_h, g.kernel_w, g.stride, g.out_h,
            g.out_w, g.filters, nullptr, nullptr, g.pad_top, g.pad_top + g.in_h};
}

// Backward-weights walks the pixels in slabs whose ∂z fits in L2 (every task of a slab re-reads it),
// and each slab in chunks whose gathered inputs (32 KB) every filter block re-reads from L1/L2.
inline constexpr std::size_t weight_chunk_pixels = 256;
inline std::size_t weight_slab_pixels(std::size_t filters) {
    return std::max(weight_chunk_pixels, (std::size_t{1} << 16) / filters / weight_chunk_pixels * weight_chunk_pixels);
}

// ∂z regrouped slab by slab as blocks of tile_rows filters, each slab_pixels × tile_rows: a tile's
// broadcasts then come from one contiguous stream, not from a power-of-two stride that thrashes L1.
inline void pack_filter_blocks(std::size_t pixels, std::size_t filters, std::size_t slab, const float* dz, float* out) {
    const std::size_t blocks = panels(filters, tile_rows);
    for_tiles(blocks, 4.0 * static_cast<double>(pixels * tile_rows), [&](std::size_t first, std::size_t last) {
        for (std::size_t b = first; b < last; ++b) {
            const std::size_t f0 = b * tile_rows, count = std::min(tile_rows, filters - f0);
            for (std::size_t s0 = 0; s0 < pixels; s0 += slab) {
                const std::size_t slab_pixels = std::min(slab, pixels - s0);
                float* dst = out + (s0 * blocks + b * slab_pixels) * tile_rows;
                for (std::size_t p = s0; p < s0 + slab_pixels; ++p, dst += tile_rows) {
                    std::copy_n(dz + p * filters + f0, count, dst);
                    std::fill(dst + count, dst + tile_rows, 0.0f);
                }
            }
        }
    });
}

inline std::size_t backward_weights_workspace_floats(const conv_geometry& g) {
    if (g.narrow()) return 0;
    return round_up(g.filters * g.patch(), alignment_floats) + panels(g.filters, tile_rows) * tile_rows * g.pixels();
}

inline std::size_t backward_data_workspace_floats(const conv_geometry& g) {
    if (g.narrow()) return round_up(g.pixels() * g.tap_columns(), alignment_floats) + packed_filter_floats(g.filters, g.tap_columns());
    return round_up(g.batch * (g.in_h + g.kernel_h - 1) * (g.in_w + g.kernel_w - 1) * g.filters, alignment_floats) +
           packed_filter_floats(g.kernel_h * g.kernel_w * g.filters, g.channels);
}
}  // namespace detail

// Workspace floats for any pass of this geometry.
inline std::size_t conv_workspace_floats(const conv_geometry& g) {
    const std::size_t forward = detail::packed_filter_floats(g.patch(), g.filters);
    return std::max({forward, detail::backward_weights_workspace_floats(g), detail::backward_data_workspace_floats(g)});
}

// Forward: y = epilogue(conv(x, w)), with x N×H×W×C, w HWIO. `frame` (input_frame_floats) receives
// the padded input and must be kept for conv_backward_weights.
template <class Epilogue>
void conv_forward(const conv_geometry& g, const float* x, const float* w, float* y, float* frame, float* workspace,
                  const Epilogue& epilogue) {
    detail::embed_in_frames(x, g.batch, g.in_h, g.in_w, g.channels, frame, g.frame_h(), g.frame_w(), g.pad_top, g.pad_left, 1);
    detail::pack_filters(g.patch(), g.patch(), g.filters, [&](std::size_t k) { return std::pair{w + k * g.filters, std::ptrdiff_t{1}}; },
                         workspace);
    detail::direct_conv c = detail::input_view(g, frame);
    c.packed = workspace;
    c.out = y;
    detail::run_direct_conv(c, epilogue);
}

namespace detail {
// Narrow layers: a tile is tile_rows window taps (gathered from the frame by offset) × tile_cols
// filters, summed over every pixel in registers; the frame and ∂z stream through once per tile.
template <class WeightEpilogue>
void narrow_backward_weights(const conv_geometry& g, const float* frame, const float* dz, float* dw, const WeightEpilogue& epilogue) {
    const std::size_t patch = g.patch(), filters = g.filters, C = g.channels;
    const std::size_t frame_row = g.frame_w() * C, frame_size = g.frame_h() * frame_row, pixel_step = g.stride * C;
    const std::size_t tap_blocks = panels(patch, tile_rows), filter_panels = panels(filters, tile_cols);
    for_tiles(tap_blocks * filter_panels, 2.0 * static_cast<double>(tile_rows * tile_cols * g.pixels()), [&](std::size_t first, std::size_t last) {
        for (std::size_t t = first; t < last; ++t) {
            const std::size_t k0 = (t / filter_panels) * tile_rows, f0 = (t % filter_panels) * tile_cols;
            const std::size_t cols = std::min(tile_cols, filters - f0);
            with_rows<tile_rows>(std::min(tile_rows, patch - k0), [&]<std::size_t Rows>() {
                std::array<std::ptrdiff_t, Rows> offsets;  // of tap k0 + i inside a window
                for (std::size_t i = 0; i < Rows; ++i) {
                    const std::size_t k = k0 + i, kh = k / (g.kernel_w * C), kw = k / C % g.kernel_w;
                    offsets[i] = static_cast<std::ptrdiff_t>(kh * frame_row + kw * C + k % C);
                }
                micro_tile<Rows> acc;
                acc.zero();
                const float* d = dz + f0;
                for (std::size_t r = 0; r < g.batch * g.out_h; ++r) {
                    const float* window = frame + r / g.out_h * frame_size + r % g.out_h * g.stride * frame_row;
                    for (std::size_t ow = 0; ow < g.out_w; ++ow, window += pixel_step, d += filters) {
                        const auto [lo, hi] = load_cols(d, cols);
                        acc.rank1_at(window, offsets, lo, hi);
                    }
                }
                acc.store(dw + k0 * filters + f0, filters, cols, f0, store_plain{});
            });
        }
    });
    for (std::size_t i = 0; i < patch * filters; ++i) dw[i] = epilogue(i, dw[i]);
}
}  // namespace detail

// ∂w = Σ over pixels of window(p) ⊗ ∂z(p), then stored as epilogue(k·F + f, sum) — the hook through
// which a regulariser adds its term. `frame` is what conv_forward left; dz is N×out_h×out_w×F.
template <class WeightEpilogue>
void conv_backward_weights(const conv_geometry& g, const float* frame, const float* dz, float* dw, float* workspace,
                           const WeightEpilogue& epilogue) {
    if (g.narrow()) return detail::narrow_backward_weights(g, frame, dz, dw, epilogue);
    using detail::weight_chunk_pixels;
    const detail::direct_conv c = detail::input_view(g, frame);
    const std::size_t run = c.kernel_w * c.channels, rows = c.kernel_h * run, filters = g.filters, pixels = g.pixels();
    const std::size_t frame_row = c.frame_w * c.channels, frame_size = c.frame_h * frame_row;
    const std::size_t pixel_step = c.stride * c.channels, slab = detail::weight_slab_pixels(filters);
    float* dw_t = workspace;  // filters × rows: a tile's accumulators are contiguous along rows
    float* dz_blocks = workspace + round_up(filters * rows, alignment_floats);
    // A task owns tile_cols rows of ∂wᵀ (kernel row kh, columns j0.. of its K_w·C inputs) for all filters.
    const std::size_t column_blocks = panels(run, tile_cols);
    detail::pack_filter_blocks(pixels, filters, slab, dz, dz_blocks);
    for (std::size_t s0 = 0; s0 < pixels; s0 += slab) {
        const std::size_t slab_pixels = std::min(slab, pixels - s0);
        const float* slab_blocks = dz_blocks + s0 * panels(filters, tile_rows) * tile_rows;
        const double task_flops = 2.0 * static_cast<double>(tile_cols * filters * slab_pixels);
        for_tiles(c.kernel_h * column_blocks, task_flops, [&](std::size_t first, std::size_t last) {
            alignas(64) float inputs[weight_chunk_pixels * tile_cols];
            for (std::size_t t = first; t < last; ++t) {
                const std::size_t kh = t / column_blocks, j0 = (t % column_blocks) * tile_cols;
                const std::size_t cols = std::min(tile_cols, run - j0), m0 = kh * run + j0;
                for (std::size_t p0 = 0; p0 < slab_pixels; p0 += weight_chunk_pixels) {
                    const std::size_t count = std::min(weight_chunk_pixels, slab_pixels - p0);
                    for (std::size_t i = 0; i < count; ++i) {
                        const std::size_t p = s0 + p0 + i, r = p / c.out_w, ow = p % c.out_w, n = r / c.out_h, oh = r % c.out_h;
                        const float* in = c.frame + n * frame_size + (oh * c.stride + kh) * frame_row + ow * pixel_step + j0;
                        simd::store(inputs + i * tile_cols, simd::load(in));
                        simd::store(inputs + i * tile_cols + simd::width, simd::load(in + simd::width));
                    }
                    const bool first_chunk = s0 == 0 && p0 == 0;
                    for (std::size_t f0 = 0; f0 < filters; f0 += tile_rows)
                        with_rows<tile_rows>(std::min(tile_rows, filters - f0), [&]<std::size_t Rows>() {
                            micro_tile<Rows> acc;
                            acc.zero();
                            if (!first_chunk) acc.add_from(dw_t + f0 * rows + m0, rows, cols);
                            const float* d = slab_blocks + (f0 * slab_pixels + p0 * tile_rows);
                            for (const float* in = inputs; in != inputs + count * tile_cols; in += tile_cols, d += tile_rows)
                                acc.rank1(d, 1, vfloat::load_aligned(in), vfloat::load_aligned(in + simd::width));
                            acc.store(dw_t + f0 * rows + m0, rows, cols, m0, store_plain{});
                        });
                }
            }
        });
    }
    // Back to HWIO, through the epilogue.
    for_tiles(rows, 4.0 * static_cast<double>(filters), [&](std::size_t first, std::size_t last) {
        for (std::size_t k = first; k < last; ++k)
            for (std::size_t f = 0; f < filters; ++f) dw[k * filters + f] = epilogue(k * filters + f, dw_t[f * rows + k]);
    });
}

// ∂x = conv(∂z in a zero frame dilated by the stride, w flipped and transposed): the forward kernel.
// Narrow layers: each pixel's window columns ∂z(p)·wᵀ (a 1×1 convolution of ∂z), then col2im.
inline void conv_backward_data(const conv_geometry& g, const float* dz, const float* w, float* dx, float* workspace) {
    if (g.narrow()) {
        const std::size_t row = g.tap_columns(), patch = g.patch(), filters = g.filters;
        float* columns = workspace;
        float* packed = workspace + round_up(g.pixels() * row, alignment_floats);
        detail::pack_filters(filters, filters, patch, [&](std::size_t f) { return std::pair{w + f, static_cast<std::ptrdiff_t>(filters)}; },
                             packed);
        detail::run_direct_conv({dz, g.batch, g.out_h, g.out_w, filters, 1, 1, 1, g.out_h, g.out_w, row, packed, columns}, store_plain{});
        detail::add_window_columns(g, columns, dx);
        return;
    }
    const std::size_t frame_h = g.in_h + g.kernel_h - 1, frame_w = g.in_w + g.kernel_w - 1;
    float* frame = workspace;
    float* packed = workspace + round_up(g.batch * frame_h * frame_w * g.filters, alignment_floats);
    detail::embed_in_frames(dz, g.batch, g.out_h, g.out_w, g.filters, frame, frame_h, frame_w, g.kernel_h - 1 - g.pad_top,
                            g.kernel_w - 1 - g.pad_left, g.stride);
    // Row (kh', kw', f) of the flipped filters, column c: w[K_h−1−kh'][K_w−1−kw'][c][f].
    const std::size_t kw_count = g.kernel_w, f_count = g.filters, c_count = g.channels;
    const std::size_t rows = g.kernel_h * kw_count * f_count;
    detail::pack_filters(rows, rows, c_count, [&](std::size_t k) {
        const std::size_t f = k % f_count, kw = kw_count - 1 - (k / f_count) % kw_count, kh = g.kernel_h - 1 - k / (f_count * kw_count);
        return std::pair{w + (kh * kw_count + kw) * c_count * f_count + f, static_cast<std::ptrdiff_t>(f_count)};
    }, packed);
    const std::size_t top = g.kernel_h - 1 - g.pad_top;
    detail::run_direct_conv({frame, g.batch, frame_h, frame_w, g.filters, g.kernel_h, g.kernel_w, 1, g.in_h, g.in_w, g.channels,
                             packed, dx, top, top + (g.out_h - 1) * g.stride + 1},
                            store_plain{});
}

}  // namespace stag::kernels
