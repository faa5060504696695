#pragma once
// Compile-time real numbers (α, rates, λ) are std::ratio so a variant is fully described by its type.
#include <ratio>
#include <string>

namespace stag {

template <class R>
inline constexpr float ratio_value = static_cast<float>(R::num) / static_cast<float>(R::den);

template <class R>
inline constexpr double ratio_double = static_cast<double>(R::num) / static_cast<double>(R::den);

template <class R>
std::string ratio_string() {
    if constexpr (R::den == 1) return std::to_string(R::num);
    else return std::to_string(R::num) + "/" + std::to_string(R::den);
}

}  // namespace stag
