#pragma once
// 2-D convolution on NHWC maps with HWIO filters (Keras' layouts), as implicit GEMMs on micro_tile, one
// header per pass (kernels/conv/): forward, backward-data, backward-weights, all on the direct kernel.
#include <algorithm>
#include <cstddef>

#include "stag/kernels/conv/backward_data.hpp"
#include "stag/kernels/conv/backward_weights.hpp"
#include "stag/kernels/conv/forward.hpp"

namespace stag::kernels {

// Workspace floats for any pass of this geometry.
inline std::size_t conv_workspace_floats(const conv_geometry& g) {
    return std::max({conv_forward_workspace_floats(g), conv_backward_weights_workspace_floats(g), conv_backward_data_workspace_floats(g)});
}

}  // namespace stag::kernels
