#pragma once
// Keras-style model.summary(): one row per entry of the type list, then the parameter totals.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "stag/graph/sequential.hpp"

namespace stag {

namespace detail {
inline std::string thousands(std::size_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}
}  // namespace detail

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
                         detail::thousands(Net::layer_parameter_counts[i]), note);
    }
    s += fmt::format("{}\nTotal params: {}\nTrainable params: {}\nNon-trainable params: {}\n{}\n", double_rule,
                     detail::thousands(Net::parameter_count), detail::thousands(Net::trainable_count),
                     detail::thousands(Net::non_trainable_count), rule);
    return s;
}

}  // namespace stag
