#pragma once
// The one place that chooses the vector type: the widest the build targets (-march).
#include <xsimd/xsimd.hpp>

namespace stag::simd {

using vfloat = xsimd::batch<float>;
inline constexpr std::size_t width = vfloat::size;

inline vfloat load(const float* p) { return vfloat::load_unaligned(p); }
inline void store(float* p, vfloat v) { v.store_unaligned(p); }

}  // namespace stag::simd
