#pragma once
// What every per-variant binary shares: command line, data loading, progress display and the JSON
// report. Only run_variant<> is a template (it instantiates the variant's network); the rest is
// compiled once in the stag_driver library.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stag/data/dataset.hpp"
#include "stag/graph/model.hpp"

namespace stag::driver {

// A variant's homework settings; the command line may override each.
struct variant_defaults {
    std::string name;
    std::size_t epochs = 25, batch_size = 64;
    double learning_rate = 1e-5, decay = 0.0;
};

struct run_options {
    std::string data = "fashion-mnist";
    std::size_t epochs = 0, batch_size = 0, limit = 0, threads = 0;
    double learning_rate = 0.0, decay = 0.0;
    std::uint64_t seed = 1;
    std::string out = "results";
    bool progress = true;
};

// Parsed options, or the process exit code when there is nothing to run (--help, bad arguments).
struct parsed_command_line {
    std::optional<run_options> options;
    int exit_code = 0;
};
parsed_command_line parse_command_line(int argc, char** argv, const variant_defaults& defaults);

// Loads the splits named by --data, applies --limit, prints per-split statistics and any split-shift warning.
data::splits load_splits(const run_options& options, std::vector<std::string>& warnings);

// Keras-like live progress on stderr (redrawn in place on a terminal, a line per epoch otherwise).
class progress_printer {
public:
    explicit progress_printer(bool enabled);
    void on_batch(const batch_progress& p);
    void on_epoch_end(const epoch_record& r);

private:
    bool enabled_, terminal_;
    double last_draw_ = -1.0;
};

struct run_report {
    std::string variant, network_signature, optimizer, data, weights_file;
    std::size_t parameters = 0, trainable_parameters = 0, threads = 0;
    run_options options;
    std::vector<std::string> warnings;
    history fit_history;
    metrics test, train_inference_mode;
    double fit_seconds = 0.0;
};
// Writes <out>/<variant>.json and prints the closing summary lines.
void finish_report(const run_report& report);

std::size_t effective_threads(const run_options& options);

}  // namespace stag::driver
