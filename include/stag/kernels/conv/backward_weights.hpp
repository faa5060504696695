#pragma once
// Convolution backward-weights: ∂w = Σ over pixels of window(p) ⊗ ∂z(p), read from the padded input that
// conv_forward left in its frame.
//  * wide inputs: a tile is `tile_rows` filters × `tile_cols` contiguous (kw, c) inputs, summed over
//    pixels in chunks that stay in L1; broadcasts come from ∂z, vectors from the input.
//  * narrow inputs (fewer channels than a vector, the first layer): a K_w·C run is too short for
//    vectors, so a tile is `tile_rows` window taps (gathered by offset) × `tile_cols` filters.
#include <algorithm>
#include <array>
#include <cassert>
#include <cstddef>

#include "stag/kernels/conv/direct.hpp"

namespace stag::kernels {

struct conv_backward_weights_tensors {
    const float* frame;  // what conv_forward left
    const float* dz;     // N × out_h × out_w × F
    float* dw;           // HWIO
};

namespace detail {

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

template <weight_epilogue Epilogue>
void narrow_backward_weights(const conv_geometry& g, const conv_backward_weights_tensors& t, const Epilogue& epilogue) {
    const std::size_t patch = g.patch(), filters = g.filters, C = g.channels;
    const std::size_t frame_row = g.frame_w() * C, frame_size = g.frame_h() * frame_row, pixel_step = g.stride * C;
    const std::size_t tap_blocks = panels(patch, tile_rows), filter_panels = panels(filters, tile_cols);
    for_tiles(tap_blocks * filter_panels, 2.0 * static_cast<double>(tile_rows * tile_cols * g.pixels()), [&](std::size_t first, std::size_t last) {
        for (std::size_t task = first; task < last; ++task) {
            const std::size_t k0 = (task / filter_panels) * tile_rows, f0 = (task % filter_panels) * tile_cols;
            const std::size_t cols = std::min(tile_cols, filters - f0);
            with_rows<tile_rows>(std::min(tile_rows, patch - k0), [&]<std::size_t Rows>() {
                std::array<std::ptrdiff_t, Rows> offsets;  // of tap k0 + i inside a window
                for (std::size_t i = 0; i < Rows; ++i) {
                    const std::size_t k = k0 + i, kh = k / (g.kernel_w * C), kw = k / C % g.kernel_w;
                    offsets[i] = static_cast<std::ptrdiff_t>(kh * frame_row + kw * C + k % C);
                }
                micro_tile<Rows> acc;
                acc.zero();
                const float* d = t.dz + f0;
                for (std::size_t r = 0; r < g.batch * g.out_h; ++r) {
                    const float* window = t.frame + r / g.out_h * frame_size + r % g.out_h * g.stride * frame_row;
                    for (std::size_t ow = 0; ow < g.out_w; ++ow, window += pixel_step, d += filters) {
                        const auto [lo, hi] = load_cols(d, cols);
                        acc.rank1_at(window, offsets, lo, hi);
                    }
                }
                acc.store(t.dw + k0 * filters + f0, filters, cols, f0, store_plain{});
            });
        }
    });
    for (std::size_t i = 0; i < patch * filters; ++i) t.dw[i] = epilogue(i, t.dw[i]);
}

}  // namespace detail

inline std::size_t conv_backward_weights_workspace_floats(const conv_geometry& g) {
    if (g.narrow()) return 0;
    return round_up(g.filters * g.patch(), alignment_floats) + panels(g.filters, tile_rows) * tile_rows * g.pixels();
}

// ∂w stored as epilogue(k·F + f, sum): the hook through which a regulariser adds its term.
template <weight_epilogue Epilogue>
void conv_backward_weights(const conv_geometry& g, const conv_backward_weights_tensors& t, float* workspace, const Epilogue& epilogue) {
    assert(g.consistent() && t.frame && t.dz && t.dw && (g.narrow() || is_aligned(workspace)));
    if (g.narrow()) return detail::narrow_backward_weights(g, t, epilogue);
    using detail::weight_chunk_pixels;
    const detail::direct_conv c = detail::input_view(g, t.frame);
    const std::size_t run = c.kernel_w * c.channels, rows = c.kernel_h * run, filters = g.filters, pixels = g.pixels();
    const std::size_t frame_row = c.frame_w * c.channels, frame_size = c.frame_h * frame_row;
    const std::size_t pixel_step = c.stride * c.channels, slab = detail::weight_slab_pixels(filters);
    float* dw_t = workspace;  // filters × rows: a tile's accumulators are contiguous along rows
    float* dz_blocks = workspace + round_up(filters * rows, alignment_floats);
    // A task owns tile_cols rows of ∂wᵀ (kernel row kh, columns j0.. of its K_w·C inputs) for all filters.
    const std::size_t column_blocks = panels(run, tile_cols);
    detail::pack_filter_blocks(pixels, filters, slab, t.dz, dz_blocks);
    for (std::size_t s0 = 0; s0 < pixels; s0 += slab) {
        const std::size_t slab_pixels = std::min(slab, pixels - s0);
        const float* slab_blocks = dz_blocks + s0 * panels(filters, tile_rows) * tile_rows;
        const double task_flops = 2.0 * static_cast<double>(tile_cols * filters * slab_pixels);
        for_tiles(c.kernel_h * column_blocks, task_flops, [&](std::size_t first, std::size_t last) {
            alignas(64) float inputs[weight_chunk_pixels * tile_cols];
            for (std::size_t task = first; task < last; ++task) {
                const std::size_t kh = task / column_blocks, j0 = (task % column_blocks) * tile_cols;
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
            for (std::size_t f = 0; f < filters; ++f) t.dw[k * filters + f] = epilogue(k * filters + f, dw_t[f * rows + k]);
    });
}

}  // namespace stag::kernels
