#pragma once
// results.json: every figure of the study in one document — each experiment's settings, figures, history
// and confusion matrix, the seed's own figures, the compile-time answers about the CNN, and the derived
// figures the report's answers cite. report.md quotes nothing that is not in here.
#include <nlohmann/json.hpp>

#include <vector>

#include "runner.hpp"

namespace stag::hw4 {

nlohmann::json collect_results(const study_options& o, const std::vector<planned_run>& plan, double study_seconds);

// results.csv: one row per experiment with its headline figures.
std::string results_csv(const nlohmann::json& results);

}  // namespace stag::hw4
