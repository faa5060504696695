#pragma once
// A dataset's images as an xtensor expression (N, H, W, C) over the same memory, for analysis with
// xtensor's views and reducers. Kept apart from the loaders so that networks never pay for xtensor.
#include <array>
#include <xtensor/xadapt.hpp>

#include "stag/data/dataset.hpp"

namespace stag::data {

inline auto as_tensor(const dataset& d) {
    const std::array<std::size_t, 4> dims{d.size(), d.sample.h, d.sample.w, d.sample.c};
    return xt::adapt(d.images.data(), d.images.size(), xt::no_ownership(), dims);
}

}  // namespace stag::data
