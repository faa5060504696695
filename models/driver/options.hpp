#pragma once
// The settings of one run of a variant: its homework defaults, overridden by a command line (variant
// binaries) or by the hw4 study's profile.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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
    std::size_t epochs = 0, batch_size = 0, threads = 0;  // threads 0: the machine's cores
    std::size_t limit = 0, limit_validation = 0, limit_test = 0;  // first N images of each split (0 = all)
    double learning_rate = 0.0, decay = 0.0;
    std::uint64_t seed = 1;
    std::string out = "results";
    bool progress = true;
    // Keras-style callbacks, off by default so the homework's settings stand.
    std::size_t early_stopping = 0;  // patience in epochs (0 = off)
    bool keep_best = false;          // save the best validation checkpoint as <out>/<variant>.best.weights
    monitor monitored = monitor::val_loss;
    // Checkpoints and numerical checks (fit_options).
    std::size_t checkpoint_every = 0;  // epochs between checkpoints, <out>/<variant>.checkpoint (0 = none)
    bool resume = false;               // continue from <out>/<variant>.checkpoint
    bool check_numerics = false;
    // Instead of training: evaluate saved weights on the test split, or classify PNG files with them. Weights
    // files may be stag's own, ONNX or Keras HDF5 (stag/interop/weights.hpp).
    std::string evaluate_weights, predict_weights;
    std::vector<std::string> predict_files;
    // Training starts from these weights instead of the seeded initialisation; with an export and no
    // training, they are what is exported.
    std::string initial_weights;
    // The network written as ONNX and as a stag weights file: the trained weights, or those of initial_weights
    // (then nothing is trained: a conversion).
    std::string export_onnx, export_weights;
    bool converts() const { return !initial_weights.empty() && (!export_onnx.empty() || !export_weights.empty()); }
};

run_options defaults_of(const variant_defaults& d);

// Exit codes of the variant binaries and hw4 (README): 0 done, 1 a data, file or training error (a
// diverged run included), 2 a usage error (an option out of range, an unusable --out), found before any
// data is read.
inline constexpr int exit_failure = 1, exit_usage = 2;

// A command-line value that cannot work: reported before any work starts, exit code 2.
class usage_error : public error {
public:
    using error::error;
};

// Creates the output folder and proves it writable, before any data is read or any epoch runs.
void prepare_output_folder(const std::string& out);

// Parsed options, or the process exit code when there is nothing to run (--help, bad arguments).
struct parsed_command_line {
    std::optional<run_options> options;
    int exit_code = 0;
};
parsed_command_line parse_command_line(int argc, char** argv, const variant_defaults& defaults);

std::size_t effective_threads(const run_options& options);

}  // namespace stag::driver
