#pragma once
#include <cstddef>
#include <cstdint>

#include "stag/core/shape.hpp"

namespace stag {

// Labelled samples as training sees them: `count` samples of `sample` floats each (NHWC), one label each.
struct dataset_view {
    const float* images = nullptr;
    const std::uint8_t* labels = nullptr;
    std::size_t count = 0;
    shape sample{};
    std::size_t classes = 0;
};

}  // namespace stag
