#pragma once
// A network's entries as run-time values: what reports and file formats (interop/) need of its type,
// without templates, so code compiled once can walk any network.
#include <cstddef>
#include <string>
#include <vector>

#include "stag/graph/sequential.hpp"

namespace stag {

struct entry_description {
    std::string name;  // the spec's name: "dense<300, he_normal>"
    layer_facts facts;
    layer_role role = layer_role::compute;
    shape input, output;                // of one sample (the input entry's input is its output)
    std::size_t parameters = 0, multiply_adds = 0;
    std::size_t first_tensor = 0, tensors = 0;  // its tensors in network::all_tensors()
};

// "2:dense<300, he_normal>": how summaries, tensor names and exported nodes name entry i.
inline std::string entry_label(std::size_t index, const std::string& name) { return std::to_string(index) + ":" + name; }

// A network with its tensors, as a file format reads and writes it.
struct network_view {
    std::string signature;
    std::vector<entry_description> entries;
    const std::vector<parameter_ref>* tensors = nullptr;  // network::all_tensors(): every tensor, in entry order
    std::string label(std::size_t entry) const { return entry_label(entry, entries[entry].name); }
};

template <class Net>
std::vector<entry_description> entries_of() {
    return []<std::size_t... I>(std::index_sequence<I...>) {
        std::vector<entry_description> entries;
        std::size_t first = 0;
        ((entries.push_back({Net::template spec_at<I>::name(), Net::facts[I], Net::roles[I], Net::outputs[I == 0 ? 0 : I - 1], Net::outputs[I],
                             Net::layer_parameter_counts[I], Net::layer_multiply_adds[I], first,
                             Net::template layer_at<I>::tensors.size()}),
          first += Net::template layer_at<I>::tensors.size()),
         ...);
        return entries;
    }(std::make_index_sequence<Net::outputs.size()>{});
}

template <class... Specs>
network_view view_of(network<Specs...>& net) {
    return {net.signature(), entries_of<network<Specs...>>(), &net.all_tensors()};
}

}  // namespace stag
