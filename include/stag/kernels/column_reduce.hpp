#pragma once
// Per-column sums over many rows (batch-norm statistics, bias gradients), split across threads without
// giving up reproducibility: rows go in fixed chunks, each chunk's sums land in its own slot, and the
// slots are added in chunk order — the same bits on any number of threads.
#include <algorithm>
#include <array>
#include <cstddef>

#include "stag/core/aligned_buffer.hpp"
#include "stag/kernels/micro_tile.hpp"
#include "stag/kernels/parallel.hpp"

namespace stag::kernels {

inline constexpr std::size_t reduce_chunk_rows = 256;

// Floats of scratch reduce_columns needs for Sums sums over rows × cols.
constexpr std::size_t column_partials_floats(std::size_t rows, std::size_t cols, std::size_t sums) {
    return panels(rows, reduce_chunk_rows) * sums * round_up(cols, simd::width);
}

// Per-column sums of a pass: the totals (cols floats) and the per-chunk partial sums behind them
// (column_partials_floats(rows, cols, 1) floats).
struct column_sums {
    float* totals;
    float* partials;
};

// Runs op on lanes [c, c + width) as vectors and on the tail lane by lane.
template <class VectorOp, class ScalarOp>
void over_lanes(std::size_t n, const VectorOp& vector_op, const ScalarOp& scalar_op) {
    const std::size_t vector_end = n - n % simd::width;
    for (std::size_t c = 0; c < vector_end; c += simd::width) vector_op(c);
    for (std::size_t c = vector_end; c < n; ++c) scalar_op(c);
}

// Runs vector_op(i, c) on each vector and scalar_op(i, c) on each tail element of rows [first, last) of a
// row-major matrix with `cols` columns: i is the element's index, c its column.
template <class VectorOp, class ScalarOp>
void over_elements(std::size_t first, std::size_t last, std::size_t cols, const VectorOp& vector_op, const ScalarOp& scalar_op) {
    for (std::size_t at = first * cols; at < last * cols; at += cols)
        over_lanes(cols, [&](std::size_t c) { vector_op(at + c, c); }, [&](std::size_t c) { scalar_op(at + c, c); });
}

// totals[s][j] = Σ over chunks of what chunk_op(first_row, last_row, sums) accumulates into sums[s][j]
// (zeroed before each chunk). `partials` holds column_partials_floats(rows, cols, Sums) floats.
template <std::size_t Sums, class ChunkOp>
void reduce_columns(std::size_t rows, std::size_t cols, float* partials, const std::array<float*, Sums>& totals,
                    const ChunkOp& chunk_op) {
    const std::size_t chunks = panels(rows, reduce_chunk_rows), stride = round_up(cols, simd::width);
    const auto slot = [&](std::size_t chunk, std::size_t s) { return partials + (chunk * Sums + s) * stride; };
    for_tiles(chunks, 2.0 * Sums * reduce_chunk_rows * static_cast<double>(cols), [&](std::size_t first, std::size_t last) {
        for (std::size_t c = first; c < last; ++c) {
            std::array<float*, Sums> sums;
            for (std::size_t s = 0; s < Sums; ++s) std::fill_n(sums[s] = slot(c, s), cols, 0.0f);
            chunk_op(c * reduce_chunk_rows, std::min(rows, (c + 1) * reduce_chunk_rows), sums);
        }
    });
    for (std::size_t s = 0; s < Sums; ++s) {
        std::copy_n(slot(0, s), cols, totals[s]);
        for (std::size_t c = 1; c < chunks; ++c) {
            const float* part = slot(c, s);
            for (std::size_t j = 0; j < cols; ++j) totals[s][j] += part[j];
        }
    }
}

// Runs op(first_row, last_row) over [0, rows) in the same chunks, in parallel (row-independent work).
template <class RowOp>
void for_row_chunks(std::size_t rows, std::size_t cols, double flops_per_element, const RowOp& op) {
    for_tiles(panels(rows, reduce_chunk_rows), flops_per_element * reduce_chunk_rows * static_cast<double>(cols),
              [&](std::size_t first, std::size_t last) {
                  for (std::size_t c = first; c < last; ++c) op(c * reduce_chunk_rows, std::min(rows, (c + 1) * reduce_chunk_rows));
              });
}

}  // namespace stag::kernels
