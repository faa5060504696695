#pragma once
// The one place that chooses the vector type: the widest the build targets (-march).
#include <xsimd/xsimd.hpp>

#include <algorithm>
#include <cstddef>

namespace stag::simd {

using vfloat = xsimd::batch<float>;
inline constexpr std::size_t width = vfloat::size;

inline vfloat load(const float* p) { return vfloat::load_unaligned(p); }
inline void store(float* p, vfloat v) { v.store_unaligned(p); }

// The first `count` (≤ width) lanes of a vector, for loads of a column tail that read nothing past it: a mask
// register where the target has one, so that a tail loaded on every step of a long loop costs a plain load.
#if XSIMD_WITH_AVX512F  // then vfloat is the 16-lane AVX-512 vector
struct first_lanes {
    __mmask16 mask;
    explicit first_lanes(std::size_t count) : mask(static_cast<__mmask16>((1u << count) - 1u)) {}
};
inline vfloat load(const float* p, first_lanes lanes) { return _mm512_maskz_loadu_ps(lanes.mask, p); }
#elif XSIMD_WITH_AVX2
struct first_lanes {
    __m256i mask;
    explicit first_lanes(std::size_t count)
        : mask(_mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(count)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7))) {}
};
inline vfloat load(const float* p, first_lanes lanes) { return _mm256_maskload_ps(p, lanes.mask); }
#else
struct first_lanes {
    std::size_t count;
    explicit first_lanes(std::size_t n) : count(n) {}
};
inline vfloat load(const float* p, first_lanes lanes) {
    if (lanes.count == width) return load(p);
    alignas(64) float padded[width] = {};
    std::copy(p, p + lanes.count, padded);
    return vfloat::load_aligned(padded);
}
#endif

}  // namespace stag::simd
