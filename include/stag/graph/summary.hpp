#pragma once
// Keras-style model.summary(): one row per entry of the type list, then the parameter totals.
#include <fmt/format.h>

#include <cstdio>
#include <string>

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
    const std::string rule(78, '_'), double_rule(78, '=');
    std::string s = fmt::format("Model: \"{}\"\n{}\n {:<34}{:<24}{:>10}  {}\n{}\n", model_name, rule, "Layer (type)",
                                "Output Shape", "Param #", "Note", double_rule);
    const auto names = Net::layer_names();
    for (std::size_t i = 0; i < names.size(); ++i) {
        const layer_role r = Net::roles[i];
        const char* note = r == layer_role::fused_activation ? "fused into previous"
                           : r == layer_role::view          ? "view, no copy"
                           : r == layer_role::output_softmax ? "fused with the loss"
                                                             : "";
        s += fmt::format(" {:<34}{:<24}{:>10}  {}\n", fmt::format("{} ({})", i, names[i]), to_string(Net::outputs[i]),
                         detail::thousands(Net::layer_parameter_counts[i]), note);
    }
    s += fmt::format("{}\nTotal params: {}\nTrainable params: {}\nNon-trainable params: {}\n{}\n", double_rule,
                     detail::thousands(Net::parameter_count), detail::thousands(Net::trainable_count),
                     detail::thousands(Net::non_trainable_count), rule);
    return s;
}

}  // namespace stag
