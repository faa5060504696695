#pragma once
// The register tile every matrix-shaped kernel (GEMM, convolutions) is built on: Rows × 2 vectors of
// accumulators, updated by rank-1 steps (Rows broadcasts × two vectors → 2·Rows FMAs) and written once
// through an epilogue. Rows is a template parameter so the loops unroll into registers; row tails are
// dispatched to a smaller instantiation with `with_rows`, column tails go through a stack tile.
#include <algorithm>
#include <array>
#include <cstddef>
#include <utility>

#include "stag/kernels/simd.hpp"

namespace stag::kernels {

using simd::vfloat;

inline constexpr std::size_t tile_cols = 2 * simd::width;
// Accumulators: 2·Rows vectors; keep them plus the two column vectors and a broadcast in the register file.
inline constexpr std::size_t tile_rows = simd::width >= 16 ? 8 : 6;

// How many blocks of `width` cover n.
constexpr std::size_t panels(std::size_t n, std::size_t width) { return (n + width - 1) / width; }

template <std::size_t Rows>
struct micro_tile {
    vfloat lo[Rows], hi[Rows];

    void zero() {
#pragma GCC unroll 16
        for (std::size_t i = 0; i < Rows; ++i) lo[i] = hi[i] = vfloat(0.0f);
    }

    // acc[i] += a[i·a_stride] · (b0, b1)
    void rank1(const float* a, std::ptrdiff_t a_stride, vfloat b0, vfloat b1) {
#pragma GCC unroll 16
        for (std::size_t i = 0; i < Rows; ++i) {
            const vfloat ai(a[static_cast<std::ptrdiff_t>(i) * a_stride]);
            lo[i] = xsimd::fma(ai, b0, lo[i]);
            hi[i] = xsimd::fma(ai, b1, hi[i]);
        }
    }

    // acc[i] += a[offsets[i]] · (b0, b1): broadcasts gathered from anywhere.
    void rank1_at(const float* a, const std::array<std::ptrdiff_t, Rows>& offsets, vfloat b0, vfloat b1) {
#pragma GCC unroll 16
        for (std::size_t i = 0; i < Rows; ++i) {
            const vfloat ai(a[offsets[i]]);
            lo[i] = xsimd::fma(ai, b0, lo[i]);
            hi[i] = xsimd::fma(ai, b1, hi[i]);
        }
    }

    // Adds rows [0, Rows) × cols [0, cols) of c (leading dimension ldc) to the accumulators.
    void add_from(const float* c, std::size_t ldc, std::size_t cols);

    // c[i][j] = epilogue(acc[i][j]) for j < cols (kernels/epilogues.hpp); col0 is the column of c's first element in
    // the caller's frame.
    template <class Epilogue>
    void store(float* c, std::size_t ldc, std::size_t cols, std::size_t col0, const Epilogue& epilogue) const {
        if (cols == tile_cols) {
#pragma GCC unroll 16
            for (std::size_t i = 0; i < Rows; ++i) {
                simd::store(c + i * ldc, epilogue(lo[i], col0));
                simd::store(c + i * ldc + simd::width, epilogue(hi[i], col0 + simd::width));
            }
            return;
        }
        alignas(64) float row[tile_cols];
        for (std::size_t i = 0; i < Rows; ++i) {
            simd::store(row, epilogue(lo[i], col0));
            simd::store(row + simd::width, epilogue(hi[i], col0 + simd::width));
            std::copy(row, row + cols, c + i * ldc);
        }
    }
};

// The lanes of a tile's two column vectors that hold its first `cols` columns.
struct tile_lanes {
    simd::first_lanes lo, hi;
    explicit tile_lanes(std::size_t cols)
        : lo(std::min(cols, simd::width)), hi(cols > simd::width ? std::min(cols - simd::width, simd::width) : 0) {}
};

// The two vectors at p[0, tile_cols), of which only the lanes given are read (the rest are zero).
inline std::pair<vfloat, vfloat> load_cols(const float* p, const tile_lanes& lanes) {
    return {simd::load(p, lanes.lo), simd::load(p + simd::width, lanes.hi)};
}

// As above, for the first `cols` columns; a full tile takes plain loads.
inline std::pair<vfloat, vfloat> load_cols(const float* p, std::size_t cols) {
    if (cols == tile_cols) return {simd::load(p), simd::load(p + simd::width)};
    return load_cols(p, tile_lanes(cols));
}

template <std::size_t Rows>
void micro_tile<Rows>::add_from(const float* c, std::size_t ldc, std::size_t cols) {
#pragma GCC unroll 16
    for (std::size_t i = 0; i < Rows; ++i) {
        const auto [l, h] = load_cols(c + i * ldc, cols);
        lo[i] += l;
        hi[i] += h;
    }
}

// Calls f.template operator()<R>() with R = rows, for 1 ≤ rows ≤ Max: one instantiation per tail size.
template <std::size_t Max, class F>
void with_rows(std::size_t rows, F&& f) {
    [&]<std::size_t... R>(std::index_sequence<R...>) {
        (void)((rows == R + 1 ? (f.template operator()<R + 1>(), true) : false) || ...);
    }(std::make_index_sequence<Max>{});
}

}  // namespace stag::kernels
