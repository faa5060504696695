#pragma once
// report.md: the study's tables, answers and pictures, written from results.json. Every number in it is
// inserted by pointer into results.json; report_figures.json lists each one (offset, text, pointer,
// format) so that tests/hw4_report_check.cpp can check it against results.json.
#include <nlohmann/json.hpp>

#include <string>

#include "plots.hpp"

namespace stag::hw4 {

struct written_report {
    std::string markdown;
    nlohmann::json figures;  // [{offset, length, text, pointer, format}]
};

written_report write_report(const nlohmann::json& results, const pictures& drawn);

}  // namespace stag::hw4
