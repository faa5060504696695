#pragma once
// JSON pieces shared by the run reports and the hw4 study (which compares a planned run's configuration
// with a stored report's to decide whether the run can be reused).
#include <nlohmann/json.hpp>

#include "report.hpp"

namespace stag::driver {

// Everything that decides a run's result (the thread count does not: kernels are thread-count independent).
nlohmann::json config_json(const run_options& options, const std::string& network_signature, run_kind kind);
nlohmann::json metrics_json(const metrics& m);

}  // namespace stag::driver
