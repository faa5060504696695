#pragma once
// How a figure of results.json is printed in report.md. The report writer and the report checker
// (tests/hw4_report_check.cpp) share this one definition, so "the figure in the report equals the one in
// results.json" is checked by formatting the JSON value again, never by trusting the report.
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace stag::hw4 {

// Formats: pct (0.8592 → 85.92%), pp (signed difference of fractions → +1.23 pp), f1 f2 f3 f4 (fixed
// decimals), int (12,345), x (ratio → 2.50×), sci (1.0e-05), s (seconds → 21.3 s), str (a string as is).
std::string format_figure(const nlohmann::json& value, std::string_view format);

// The value at a JSON pointer ("/experiments/model_relu/test/accuracy"), or throws naming the pointer.
const nlohmann::json& figure_at(const nlohmann::json& results, const std::string& pointer);

}  // namespace stag::hw4
