#pragma once
// The direct convolution kernel every pass runs on, and the packing that feeds it.
//
// Layout. With channels innermost, the K_w·C inputs one kernel row of a window touches are contiguous,
// and so are the F outputs of a pixel: the implicit GEMM's "k" runs along memory with no im2col copy.
// A tile is `tile_rows` neighbouring output pixels × `tile_cols` filters; each rank-1 step broadcasts
// one input value per pixel and loads two vectors of the packed filter panel, and the epilogue runs on
// the registers before the store. Every output element is computed by exactly one tile in a fixed order:
// results do not depend on threads.
#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "stag/kernels/conv/geometry.hpp"
#include "stag/kernels/epilogues.hpp"
#include "stag/kernels/parallel.hpp"

namespace stag::kernels::detail {

// A map seen by the direct kernel: `batch` frames of frame_h × frame_w × channels, read by windows of
// kernel_h × kernel_w at `stride`, producing out_h × out_w × filters per sample. Built with designated
// initialisers by the three passes.
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

template <output_epilogue Epilogue>
void run_direct_conv(const direct_conv& c, const Epilogue& epilogue) {
    assert(is_aligned(c.packed));  // panels are read with aligned loads
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

// N maps of h × w × c.
struct map_shape {
    std::size_t batch, h, w, c;
};
// Where a map lands in a zeroed frame of frame_h × frame_w: sample (y, x) at (top + y·step, left + x·step).
struct frame_placement {
    std::size_t frame_h, frame_w, top, left, step;
};

// Copies maps into their frames; parts of the source outside a frame are dropped.
inline void embed_in_frames(const float* src, const map_shape& from, float* dst, const frame_placement& to) {
    const std::size_t batch = from.batch, h = from.h, w = from.w, c = from.c;
    const std::size_t frame_h = to.frame_h, frame_w = to.frame_w, top = to.top, left = to.left, step = to.step;
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

// The padded input as the direct kernel and backward-weights read it.
inline direct_conv input_view(const conv_geometry& g, const float* frame) {
    return {.frame = frame, .batch = g.batch, .frame_h = g.frame_h(), .frame_w = g.frame_w(), .channels = g.channels,
            .kernel_h = g.kernel_h, .kernel_w = g.kernel_w, .stride = g.stride, .out_h = g.out_h, .out_w = g.out_w,
            .filters = g.filters, .packed = nullptr, .out = nullptr, .data_top = g.pad_top, .data_bottom = g.pad_top + g.in_h};
}

}  // namespace stag::kernels::detail
