#pragma once
// C = op(A) · op(B), then an epilogue, on a register-blocked xsimd micro-kernel.
//
// A (m×k) is packed into panels of `gemm_mr` rows and B (k×n) into panels of `gemm_nr` columns, so the
// micro-kernel streams both with unit stride whatever the source layout (transposes are just strides).
// Each micro-tile of C is computed over the full k in one pass and written once: the epilogue (bias,
// activation) runs on the registers before the store, and no tile is split across threads.
#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "stag/core/aligned_buffer.hpp"
#include "stag/kernels/epilogues.hpp"
#include "stag/kernels/micro_tile.hpp"
#include "stag/kernels/parallel.hpp"

namespace stag::kernels {

inline constexpr std::size_t gemm_mr = tile_rows, gemm_nr = tile_cols;

// A read-only strided matrix: element (i, j) at data[i·row_stride + j·col_stride].
struct matrix_cref {
    const float* data;
    std::ptrdiff_t row_stride, col_stride;
    float operator()(std::size_t i, std::size_t j) const {
        return data[static_cast<std::ptrdiff_t>(i) * row_stride + static_cast<std::ptrdiff_t>(j) * col_stride];
    }
    static matrix_cref row_major(const float* p, std::size_t cols) { return {p, static_cast<std::ptrdiff_t>(cols), 1}; }
    // The transpose of a row-major rows×cols matrix.
    static matrix_cref transposed(const float* p, std::size_t cols) { return {p, 1, static_cast<std::ptrdiff_t>(cols)}; }
};

// A writable row-major matrix with leading dimension ld.
struct matrix_ref {
    float* data;
    std::size_t ld;
};

// C = A · B with A m×k and B k×n.
struct gemm_problem {
    std::size_t m, n, k;
    matrix_cref a, b;
    matrix_ref c;
};

// Packed A, rounded up so that packed B (which follows it) stays 64-byte aligned.
constexpr std::size_t packed_a_floats(std::size_t m, std::size_t k) { return (panels(m, gemm_mr) * gemm_mr * k + 15) / 16 * 16; }

// Floats of workspace gemm() needs for these sizes.
constexpr std::size_t gemm_workspace_floats(std::size_t m, std::size_t n, std::size_t k) {
    return packed_a_floats(m, k) + panels(n, gemm_nr) * gemm_nr * k;
}

namespace detail {

// Panel p holds rows [p·MR, p·MR+MR) as k consecutive groups of MR values; missing rows are zero.
inline void pack_a_panel(matrix_cref a, std::size_t row0, std::size_t rows, std::size_t k, float* out) {
    if (a.row_stride == 1 && rows == gemm_mr) {  // transposed source: each k holds MR contiguous rows
        for (std::size_t kk = 0; kk < k; ++kk) {
            const float* src = a.data + static_cast<std::ptrdiff_t>(kk) * a.col_stride + static_cast<std::ptrdiff_t>(row0);
            std::copy(src, src + gemm_mr, out + kk * gemm_mr);
        }
        return;
    }
    for (std::size_t kk = 0; kk < k; ++kk) {
        float* dst = out + kk * gemm_mr;
        for (std::size_t i = 0; i < rows; ++i) dst[i] = a(row0 + i, kk);
        for (std::size_t i = rows; i < gemm_mr; ++i) dst[i] = 0.0f;
    }
}

// Panel q holds columns [q·NR, q·NR+NR) as k consecutive rows of NR values; missing columns are zero.
inline void pack_b_panel(matrix_cref b, std::size_t col0, std::size_t cols, std::size_t k, float* out) {
    if (b.col_stride == 1) {
        for (std::size_t kk = 0; kk < k; ++kk) {
            const float* src = b.data + static_cast<std::ptrdiff_t>(kk) * b.row_stride + static_cast<std::ptrdiff_t>(col0);
            float* dst = out + kk * gemm_nr;
            std::copy(src, src + cols, dst);
            std::fill(dst + cols, dst + gemm_nr, 0.0f);
        }
    } else {  // transposed source: walk each source row (a column of B) contiguously
        for (std::size_t j = 0; j < gemm_nr; ++j)
            for (std::size_t kk = 0; kk < k; ++kk) out[kk * gemm_nr + j] = j < cols ? b(kk, col0 + j) : 0.0f;
    }
}

// A and B packed into panels, then tiles of gemm_mr × gemm_nr over the whole k. The smaller operand is
// packed first, by the calling thread; the larger is packed panel by panel inside the parallel loop, each
// panel by the task that then computes that panel's tiles, so that it is still in that core's cache (a
// panel packed by one core and read by another crosses between their caches on every call).
template <output_epilogue Epilogue>
void gemm_packed(const gemm_problem& p, float* workspace, const Epilogue& epilogue) {
    const std::size_t m = p.m, n = p.n, k = p.k;
    const matrix_cref a = p.a, b = p.b;
    const matrix_ref c = p.c;
    assert(is_aligned(workspace));  // the packed panels are read with aligned loads
    const std::size_t mp = panels(m, gemm_mr), np = panels(n, gemm_nr);
    float* packed_a = workspace;
    float* packed_b = workspace + packed_a_floats(m, k);
    const auto pack_a = [&](std::size_t q) {
        detail::pack_a_panel(a, q * gemm_mr, std::min(gemm_mr, m - q * gemm_mr), k, packed_a + q * gemm_mr * k);
    };
    const auto pack_b = [&](std::size_t q) {
        detail::pack_b_panel(b, q * gemm_nr, std::min(gemm_nr, n - q * gemm_nr), k, packed_b + q * gemm_nr * k);
    };
    // Each tile runs over the whole k in registers and is written once, through the epilogue.
    const auto tile = [&](std::size_t row_panel, std::size_t col_panel) {
        const std::size_t row0 = row_panel * gemm_mr, col0 = col_panel * gemm_nr;
        with_rows<gemm_mr>(std::min(gemm_mr, m - row0), [&]<std::size_t Rows>() {
            micro_tile<Rows> acc;
            acc.zero();
            const float* ak = packed_a + row0 * k;
            const float* panel = packed_b + col0 * k;
            for (const float* bk = panel; bk != panel + k * gemm_nr; ak += gemm_mr, bk += gemm_nr)
                acc.rank1(ak, 1, vfloat::load_aligned(bk), vfloat::load_aligned(bk + simd::width));
            acc.store(c.data + row0 * c.ld + col0, c.ld, std::min(gemm_nr, n - col0), col0, epilogue);
        });
    };
    const double tile_flops = 2.0 * gemm_mr * gemm_nr * static_cast<double>(k);
    if (np * gemm_nr >= mp * gemm_mr) {  // B is the larger: tasks own column panels
        for (std::size_t q = 0; q < mp; ++q) pack_a(q);
        for_tiles(np, tile_flops * static_cast<double>(mp), [&](std::size_t first, std::size_t last) {
            for (std::size_t col_panel = first; col_panel < last; ++col_panel) {
                pack_b(col_panel);
                for (std::size_t row_panel = 0; row_panel < mp; ++row_panel) tile(row_panel, col_panel);
            }
        });
    } else {  // A is the larger: tasks own row panels
        for (std::size_t q = 0; q < np; ++q) pack_b(q);
        for_tiles(mp, tile_flops * static_cast<double>(np), [&](std::size_t first, std::size_t last) {
            for (std::size_t row_panel = first; row_panel < last; ++row_panel) {
                pack_a(row_panel);
                for (std::size_t col_panel = 0; col_panel < np; ++col_panel) tile(row_panel, col_panel);
            }
        });
    }
}

// For a few rows of A and a B whose rows are contiguous: the same tiles, fed straight from A and B. Packing
// would copy all of B to use each of its elements a few times (a one-image forward of a dense layer copies
// its whole weight matrix); the FMA chains run in the same order, so the results are the packed path's bits.
// With one or two rows a tile holds too few accumulators to hide the FMA latency, so up to
// `unpacked_panels<Rows>` column panels run side by side, each chain still in k order. One row skips the
// rows of B that meet a zero: a chain then differs from the packed path's only where it is exactly zero,
// by the sign of that zero, and where B holds an infinity or NaN that a zero would have turned into NaN.
template <std::size_t Rows>
inline constexpr std::size_t unpacked_panels = Rows == 1 ? (simd::registers - 8) / 2 : Rows == 2 ? 2 : 1;  // 12 with AVX-512

template <output_epilogue Epilogue>
void gemm_unpacked(const gemm_problem& p, const Epilogue& epilogue) {
    const std::size_t m = p.m, n = p.n, k = p.k;
    const matrix_cref a = p.a, b = p.b;
    const matrix_ref c = p.c;
    // For one row of A: bit i set where A's entry base + i (of the next ≤ 64) is not zero.
    const auto nonzero_bits_of_a = [&](std::size_t base) {
        const std::size_t chunk = std::min<std::size_t>(64, k - base);
        if (a.col_stride == 1) return simd::nonzero_bits(a.data + base, chunk);
        std::uint64_t bits = 0;
        for (std::size_t i = 0; i < chunk; ++i) bits |= std::uint64_t{a(0, base + i) != 0.0f} << i;
        return bits;
    };
    with_rows<gemm_mr>(m, [&]<std::size_t Rows>() {
        constexpr std::size_t most = unpacked_panels<Rows>;
        // Panels [first_panel, first_panel + Panels): masked loads keep the loop branch-free, a column tail
        // included.
        const auto side_by_side = [&]<std::size_t Panels>(std::size_t first_panel) {
            const std::size_t col0 = first_panel * gemm_nr;
            const auto cols = [&](std::size_t j) { return std::min(gemm_nr, n - col0 - j * gemm_nr); };
            const auto lanes = [&]<std::size_t... J>(std::index_sequence<J...>) {
                return std::array{tile_lanes(cols(J))...};
            }(std::make_index_sequence<Panels>{});
            // Local copies of the operands, one flat accumulator array and every loop unrolled: otherwise GCC,
            // while keeping the accumulators in registers, also writes them to the stack on every step.
            const float* const b_panels = b.data + col0;
            const float* const a_data = a.data;
            const std::ptrdiff_t b_step = b.row_stride, a_step = a.col_stride, a_row_stride = a.row_stride;
            vfloat acc[Panels * 2 * Rows];
#pragma GCC unroll 64
            for (auto& v : acc) v = vfloat(0.0f);
            const auto rank1 = [&](std::size_t kk) {
                const float* b_row = b_panels + static_cast<std::ptrdiff_t>(kk) * b_step;
                const float* a_col = a_data + static_cast<std::ptrdiff_t>(kk) * a_step;
#pragma GCC unroll 16
                for (std::size_t j = 0; j < Panels; ++j) {
                    const auto [b0, b1] = load_cols(b_row + j * gemm_nr, lanes[j]);
#pragma GCC unroll 16
                    for (std::size_t i = 0; i < Rows; ++i) {
                        const vfloat ai(a_col[static_cast<std::ptrdiff_t>(i) * a_row_stride]);
                        acc[(j * Rows + i) * 2] = xsimd::fma(ai, b0, acc[(j * Rows + i) * 2]);
                        acc[(j * Rows + i) * 2 + 1] = xsimd::fma(ai, b1, acc[(j * Rows + i) * 2 + 1]);
                    }
                }
            };
            if constexpr (Rows == 1) {
                // One row of A: where it is zero (ReLU outputs, an image's background) the row of B adds
                // nothing to any chain, so it is not read. Chunks of 64 k, their nonzero entries as bits.
                for (std::size_t base = 0; base < k; base += 64) {
                    std::uint64_t nonzero = nonzero_bits_of_a(base);
                    if (nonzero == ~std::uint64_t{0})  // no zero: the plain loop
                        for (std::size_t kk = base; kk < base + 64; ++kk) rank1(kk);
                    else
                        for (; nonzero; nonzero &= nonzero - 1) rank1(base + static_cast<std::size_t>(std::countr_zero(nonzero)));
                }
            } else {
                for (std::size_t kk = 0; kk < k; ++kk) rank1(kk);
            }
            micro_tile<Rows> tile;
#pragma GCC unroll 16
            for (std::size_t j = 0; j < Panels; ++j) {
#pragma GCC unroll 16
                for (std::size_t i = 0; i < Rows; ++i) tile.lo[i] = acc[(j * Rows + i) * 2], tile.hi[i] = acc[(j * Rows + i) * 2 + 1];
                tile.store(c.data + col0 + j * gemm_nr, c.ld, cols(j), col0 + j * gemm_nr, epilogue);
            }
        };
        std::size_t k_read = k;  // rows of B a panel reads: what a split across threads must pay for
        if constexpr (Rows == 1) {
            k_read = 0;
            for (std::size_t base = 0; base < k; base += 64) k_read += static_cast<std::size_t>(std::popcount(nonzero_bits_of_a(base)));
        }
        for_tiles_pinned(panels(n, gemm_nr), 2.0 * static_cast<double>(m * k_read * gemm_nr), [&](std::size_t first, std::size_t last) {
            while (first < last) {  // groups as even as possible: 13 panels run as 7 + 6, not 12 + 1
                const std::size_t group = panels(last - first, panels(last - first, most));
                with_rows<most>(group, [&]<std::size_t Panels>() { side_by_side.template operator()<Panels>(first); });
                first += group;
            }
        });
    });
}

}  // namespace detail

// Up to this many rows of A, gemm reads A and B in place instead of packing them.
inline constexpr std::size_t gemm_unpacked_rows = gemm_mr;

// C (m×n, leading dimension ldc) = epilogue(A (m×k) · B (k×n)). `workspace` holds gemm_workspace_floats(m, n, k)
// floats, 64-byte aligned. The result does not depend on the path taken or on the thread count.
template <output_epilogue Epilogue = store_plain>
void gemm(const gemm_problem& p, float* workspace, const Epilogue& epilogue = {}) {
    assert(p.m > 0 && p.n > 0 && p.k > 0 && p.a.data && p.b.data && p.c.data && p.c.ld >= p.n);
    if (p.m <= gemm_unpacked_rows && p.b.col_stride == 1) return detail::gemm_unpacked(p, epilogue);
    detail::gemm_packed(p, workspace, epilogue);
}

}  // namespace stag::kernels
