#pragma once
// What one run of a variant produced, and its JSON record (docs/formats.md): the same file for a variant
// binary's run and for an experiment of the hw4 study.
#include <string>
#include <vector>

#include "options.hpp"
#include "stag/data/dataset.hpp"
#include "stag/data/statistics.hpp"

namespace stag::driver {

struct split_summary {
    std::string name;
    std::size_t images = 0;
    data::pixel_statistics pixels;
    // CRC-32 of the decoded split (images as the network sees them, then labels): what a resumed run checks.
    std::uint32_t crc32 = 0;
};

// The splits a run works on, as loaded for the network's input shape, with what the loader noticed.
struct loaded_data {
    data::splits splits;
    std::vector<split_summary> summaries;
    std::vector<std::string> warnings;  // split-shift warnings
    std::vector<std::string> notes;     // what the loaders skipped
};

// Loads the splits named by --data at the given input shape, applies the limits, prints one line per split
// and any split-shift warning (unless print is false: the other ranks of a data-parallel run).
loaded_data load_data(const run_options& options, shape input, bool print = true);

enum class run_kind { train, evaluate };

// One rank of a data-parallel run: its fit time, the seconds it waited for gradient sums to complete and the
// gradient bytes it contributed.
struct rank_timing {
    double fit_seconds = 0.0, communication_wait_seconds = 0.0, gradient_bytes = 0.0;
};

struct run_report {
    std::string variant;
    run_kind kind = run_kind::train;
    std::string network_signature, optimizer = "adam";
    std::size_t parameters = 0, trainable_parameters = 0, multiply_adds = 0, threads = 0;
    run_options options;
    std::vector<split_summary> splits;
    std::vector<std::string> warnings, notes;
    history fit_history;
    metrics test, test_training_mode, train_inference_mode;
    confusion_matrix test_confusion;
    std::vector<std::string> class_names;
    double fit_seconds = 0.0;
    std::string weights_file, best_weights_file;
    std::uint32_t weights_crc32 = 0;        // of weights_file as this run wrote it: pairs the report with its weights
    std::size_t ranks = 1;                  // processes of a data-parallel run (mpirun -np)
    std::vector<rank_timing> rank_timings;  // per rank, when ranks > 1
};

// What a checkpoint must match to be resumed, one `name=value` a line: the run's configuration without the
// epoch count (a resumed run may be given more epochs; nothing before the last one depends on it) and the
// size and CRC-32 of every split it trains and validates on.
std::string resume_key(const run_options& options, const std::string& network_signature, const loaded_data& data);

// The report as JSON text (complete: the hw4 study treats a run whose file exists as finished).
std::string report_json(const run_report& report);
// <out>/<variant>.json (or .evaluation.json): the report is a run's commit record, written after its weights.
// A training run removes an earlier run's report before it replaces any weights, so a report in place
// always describes the weights beside it (its weights_crc32 says so).
std::string report_path(const run_options& options, const std::string& variant, run_kind kind);
// Writes report_path(...) atomically and prints the closing summary lines.
void finish_report(const run_report& report);
// The confusion matrix as a fixed-width table with class names.
std::string format_confusion(const confusion_matrix& m, const std::vector<std::string>& class_names);

}  // namespace stag::driver
