#pragma once
#include <cstdint>
#include <string>

namespace stag {

// 1234567 → "1,234,567": parameter counts, byte counts and figures as people read them.
inline std::string with_thousands(std::uint64_t n) {
    const std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

}  // namespace stag
