#pragma once
// Runs the study: plans every experiment's settings for the profile, reuses finished runs whose stored
// configuration equals the planned one, runs the rest with study-wide progress and ETA.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "driver/variant.hpp"
#include "study.hpp"

namespace stag::hw4 {

struct study_options {
    std::string profile = "quick", data = "fashion-mnist", out = "hw4", gnuplot = "gnuplot";
    std::size_t threads = 0;
    std::uint64_t seed = 1;
    bool progress = true;
    std::vector<std::string> only;  // run just these (again); the others are reused if finished, else missing
    std::string command_line;
    // Under mpirun: every rank runs the study, each experiment data-parallel; rank 0 decides what to run
    // (from the files it alone writes), prints and writes.
    replica_group* replicas = nullptr;
    bool speaks() const { return !replicas || replicas->rank() == 0; }
};

struct planned_run {
    const experiment* exp = nullptr;
    const driver::variant* var = nullptr;
    driver::variant_defaults defaults;  // the variant's, named after the experiment
    driver::run_options options;
    nlohmann::json config;  // what decides the result; a stored run with the same config is reused
    std::string report_path;
    double cost = 0.0;  // estimated multiply-adds, for the ETA
};

using driver::all_variants;
using driver::variant_named;

std::string split_shift_directory(const study_options& o);
// Builds the split-shift data set in split_shift_directory(o), once.
void prepare_split_shift(const study_options& o);

std::vector<planned_run> plan_study(const study_options& o);
// A stored report with the planned configuration, or null.
nlohmann::json finished_report(const planned_run& run);
// Runs what is not finished (or what --only names); prints progress. Returns the seconds spent.
double run_study(const study_options& o, const std::vector<planned_run>& plan);

}  // namespace stag::hw4
