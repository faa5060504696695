#pragma once
// Questions asked of a network's type, answered at compile time from each entry's layer_facts: which
// entries are convolutions, with how many filters, which regularise and how.
#include <array>
#include <cstddef>

#include "stag/layers/layer.hpp"

namespace stag {

// Indices in the type list of the entries of one kind, in order.
template <class Net, layer_kind Kind>
constexpr auto indices_of() {
    std::array<std::size_t, Net::count_of(Kind)> out{};
    std::size_t n = 0;
    for (std::size_t i = 0; i < Net::facts.size(); ++i)
        if (Net::facts[i].kind == Kind) out[n++] = i;
    return out;
}

// One field of the facts of every entry of one kind.
template <class Net, layer_kind Kind, auto Field>
constexpr auto fact_of_each() {
    constexpr auto indices = indices_of<Net, Kind>();
    std::array<std::remove_cvref_t<decltype(layer_facts{}.*Field)>, indices.size()> out{};
    for (std::size_t i = 0; i < indices.size(); ++i) out[i] = Net::facts[indices[i]].*Field;
    return out;
}

template <class Net>
constexpr auto filters_of() { return fact_of_each<Net, layer_kind::conv2d, &layer_facts::units>(); }
template <class Net>
constexpr auto units_of() { return fact_of_each<Net, layer_kind::dense, &layer_facts::units>(); }
template <class Net>
constexpr auto l2_lambdas_of() { return fact_of_each<Net, layer_kind::conv2d, &layer_facts::l2>(); }
template <class Net>
constexpr auto dropout_rates_of() { return fact_of_each<Net, layer_kind::dropout, &layer_facts::rate>(); }

// Layers with weights that transform the input (conv and dense), what "how many layers" usually counts.
template <class Net>
constexpr std::size_t weight_layer_count() {
    return Net::count_of(layer_kind::conv2d) + Net::count_of(layer_kind::dense);
}

}  // namespace stag
