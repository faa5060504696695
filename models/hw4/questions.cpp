#include "questions.hpp"

#include "part2.hpp"
#include "stag/graph/introspection.hpp"

namespace stag::hw4 {

namespace {

template <class Net, layer_kind Kind>
std::vector<std::size_t> parameters_of() {
    std::vector<std::size_t> out;
    for (std::size_t i : indices_of<Net, Kind>()) out.push_back(Net::layer_parameter_counts[i]);
    return out;
}

// For each conv layer, the parameters of a dense layer with the same input and output sizes: what
// weight sharing saves.
template <class Net>
constexpr auto dense_equivalents() {
    constexpr auto conv = indices_of<Net, layer_kind::conv2d>();
    std::array<std::size_t, conv.size()> out{};
    for (std::size_t k = 0; k < conv.size(); ++k) {
        const std::size_t in = Net::outputs[conv[k] - 1].size(), produced = Net::outputs[conv[k]].size();
        out[k] = in * produced + produced;
    }
    return out;
}

template <class Net>
nlohmann::json structure() {
    constexpr auto filters = filters_of<Net>();
    constexpr auto lambdas = l2_lambdas_of<Net>();
    constexpr auto rates = dropout_rates_of<Net>();
    constexpr auto momenta = fact_of_each<Net, layer_kind::batch_norm, &layer_facts::momentum>();
    constexpr auto equivalents = dense_equivalents<Net>();
    constexpr std::size_t equivalent_total = [] {
        std::size_t s = 0;
        for (std::size_t v : dense_equivalents<Net>()) s += v;
        return s;
    }();
    nlohmann::json kinds = nlohmann::json::object();
    constexpr std::pair<layer_kind, const char*> names[] = {
        {layer_kind::conv2d, "conv2d"},   {layer_kind::dense, "dense"},       {layer_kind::max_pool, "max_pool"},
        {layer_kind::dropout, "dropout"}, {layer_kind::batch_norm, "batch_norm"}, {layer_kind::activation, "activation"},
        {layer_kind::flatten, "flatten"}, {layer_kind::softmax, "softmax"}};
    for (const auto& [kind, name] : names) kinds[name] = Net::count_of(kind);
    return {{"entries", Net::facts.size()},
            {"layers_by_kind", kinds},
            {"weight_layers", weight_layer_count<Net>()},
            {"filters", filters},
            {"dense_units", units_of<Net>()},
            {"conv_parameters", parameters_of<Net, layer_kind::conv2d>()},
            {"dense_parameters", parameters_of<Net, layer_kind::dense>()},
            {"parameters", Net::parameter_count},
            {"trainable", Net::trainable_count},
            {"multiply_adds", Net::multiply_adds},
            {"l2", lambdas},
            {"dropout_rates", rates},
            {"batch_norm_momentum", momenta},
            {"dense_equivalent_parameters", equivalents},
            {"conv_entries", indices_of<Net, layer_kind::conv2d>()},
            {"conv_parameters_total", [] {
                 std::size_t total = 0;
                 for (std::size_t v : parameters_of<Net, layer_kind::conv2d>()) total += v;
                 return total;
             }()},
            {"dense_equivalent_total", equivalent_total}};
}

template <class Net>
nlohmann::json fully_connected() {
    return {{"parameters", Net::parameter_count}, {"weight_layers", weight_layer_count<Net>()}, {"dense_units", units_of<Net>()}};
}

}  // namespace

nlohmann::json network_questions() {
    using namespace stag::models;
    static_assert(filters_of<cnn<10>>() == std::array<std::size_t, 5>{64, 128, 128, 256, 256});
    nlohmann::json q = {{"cnn", structure<cnn<10>>()},
                        {"cnn_half", structure<cnn_half<10>>()},
                        {"fc_filter_widths", fully_connected<fc_filter_widths<10>>()},
                        {"fc_block_outputs", fully_connected<fc_block_outputs<10>>()}};
    q["fc_block_outputs"]["ratio_to_cnn"] = double(fc_block_outputs<10>::parameter_count) / double(cnn<10>::parameter_count);
    return q;
}

}  // namespace stag::hw4
