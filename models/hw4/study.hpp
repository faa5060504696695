#pragma once
// The HW4 study: every experiment of the homework, the controlled experiments that explain its CNN
// failure, and the larger-input ones, each a compiled variant run with settings; and the two profiles.
#include <optional>
#include <string>
#include <vector>

#include "driver/options.hpp"

namespace stag::hw4 {

enum class section { part1, part2, failure, input_size };

struct experiment {
    std::string name;     // runs/<name>.json and runs/<name>.weights
    std::string variant;  // the compiled variant it runs
    section part;
    std::string change;   // what this experiment is, one line for the report
    std::optional<double> learning_rate{}, decay{};  // overrides of the variant's homework settings
    bool shifted_test = false;  // test split from the split-shift recipe (data/recipes.hpp)
    std::string weights_of{};   // evaluate this experiment's trained weights instead of training
};

// In the order they run: fast ones first, so an interrupted full study has the most answers.
const std::vector<experiment>& experiments();
const experiment* find_experiment(const std::string& name);

struct profile {
    std::string name;
    std::string description;
    // The run settings of e (epochs and data limits), starting from its variant's homework settings.
    driver::run_options (*settings)(const experiment& e, const driver::variant_defaults& homework);
};
// "quick" (a subset, fewer epochs: minutes) or "full" (the homework's settings on the whole split: hours).
const profile& profile_named(const std::string& name);

}  // namespace stag::hw4
