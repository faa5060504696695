#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace stag {

// One parameter tensor as optimisers and weight files see it: no layer types, just memory.
struct parameter_ref {
    std::string name;  // "<layer index>:<layer>/<tensor>", e.g. "2:dense<300>/kernel"
    float* value;
    float* grad;       // null for state that is not trained (batch norm's moving statistics)
    std::size_t size;
    std::vector<std::size_t> dims = {};  // its shape in Keras' layout; empty: a vector of `size`
};

}  // namespace stag
