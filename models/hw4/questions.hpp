#pragma once
// HW4 Part 2's questions about the CNN ("how many layers, how many filters, would the parameter count
// be similar to a fully connected net, does it regularise?"), answered from the compiled types.
#include <nlohmann/json.hpp>

namespace stag::hw4 {

// The facts of cnn and cnn_half and of the fully connected nets they are compared with, all computed at
// compile time (questions.cpp), for 10 classes.
nlohmann::json network_questions();

}  // namespace stag::hw4
