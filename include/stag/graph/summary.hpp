#pragma once
// Keras-style model.summary(): one row per entry of the type list, then the parameter totals.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "stag/core/thousands.hpp"
#include "stag/graph/sequential.hpp"

namespace stag {


template <class Net>
std::string summary(const std::string& model_name) {
    const auto names = Net::layer_names();
    std::vector<std::string> labels;
    std::size_t label_width = 34;
    for (std::size_t i = 0; i < names.size(); ++i) {
        labels.push_back(fmt::format("{} ({})", i, names[i]));
        label_width = std::max(label_width, labels.back().size() + 2);
    }
    const std::size_t width = label_width + 44;
    const std::string rule(width, '_'), double_rule(width, '=');
    std::string s = fmt::format("Model: \"{}\"\n{}\n {:<{}}{:<24}{:>10}  {}\n{}\n", model_name, rule, "Layer (type)", label_width,
                                "Output Shape", "Param #", "Note", double_rule);
    for (std::size_t i = 0; i < names.size(); ++i) {
        const layer_role r = Net::roles[i];
        const char* note = r == layer_role::fused_activation ? "fused into previous"
                           : r == layer_role::view          ? "view, no copy"
                           : r == layer_role::output_softmax ? "fused with the loss"
                                                             : "";
        s += fmt::format(" {:<{}}{:<24}{:>10}  {}\n", labels[i], label_width, to_string(Net::outputs[i]),
                         with_thousands(Net::layer_parameter_counts[i]), note);
    }
    s += fmt::format("{}\nTotal params: {}\nTrainable params: {}\nNon-trainable params: {}\n{}\n", double_rule,
                     with_thousands(Net::parameter_count), with_thousands(Net::trainable_count),
                     with_thousands(Net::non_trainable_count), rule);
    return s;
}

}  // namespace stag
