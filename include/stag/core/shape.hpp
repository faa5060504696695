#pragma once
// A sample's static shape (height, width, channels); flat vectors are 1×1×C.
#include <cstddef>
#include <string>

namespace stag {

struct shape {
    std::size_t h = 1, w = 1, c = 1;

    constexpr std::size_t size() const { return h * w * c; }
    constexpr bool flat() const { return h == 1 && w == 1; }
    friend constexpr bool operator==(const shape&, const shape&) = default;
};

// Keras notation: "(None, 300)" for vectors, "(None, 32, 32, 1)" for maps.
inline std::string to_string(shape s) {
    if (s.flat()) return "(None, " + std::to_string(s.c) + ")";
    return "(None, " + std::to_string(s.h) + ", " + std::to_string(s.w) + ", " + std::to_string(s.c) + ")";
}

}  // namespace stag
