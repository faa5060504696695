#include "options.hpp"

#include <tbb/info.h>

#include <fmt/core.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>

#include "cli_checks.hpp"
#include "stag/core/atomic_file.hpp"

namespace stag::driver {

run_options defaults_of(const variant_defaults& d) {
    run_options o;
    o.epochs = d.epochs;
    o.batch_size = d.batch_size;
    o.learning_rate = d.learning_rate;
    o.decay = d.decay;
    return o;
}

void prepare_output_folder(const std::string& out) {
    namespace fs = std::filesystem;
    if (out.empty()) throw usage_error("--out: the output folder must not be empty");
    std::error_code ec;
    if (fs::exists(out, ec) && !fs::is_directory(out, ec)) throw usage_error("--out " + out + ": exists and is not a folder");
    if (!fs::create_directories(out, ec) && ec) throw usage_error("--out " + out + ": cannot create the folder (" + ec.message() + ")");
    // Prove it writable now rather than after hours of training.
    const std::string probe = (fs::path(out) / (".stag-write-probe." + std::to_string(::getpid()))).string();
    try {
        write_file_atomically(probe, "probe");
    } catch (const std::exception& e) {
        throw usage_error("--out " + out + ": cannot write into the folder (" + e.what() + ")");
    }
    fs::remove(probe, ec);
    remove_stale_temporaries(out);
}

parsed_command_line parse_command_line(int argc, char** argv, const variant_defaults& d) {
    run_options o = defaults_of(d);
    o.threads = static_cast<std::size_t>(tbb::info::default_concurrency());
    CLI::App app{"stag " + d.name + ": trains the HW4 variant '" + d.name + "' and reports test loss and accuracy"};
    app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);  // a repeated option: the last wins
    app.add_option("--data", o.data, "'fashion-mnist' (Debian's dataset-fashion-mnist), a directory of Fashion-MNIST IDX files, or an X-ray root with train/ validation/ test/")
        ->capture_default_str();
    app.add_option("--epochs", o.epochs, "training epochs")->capture_default_str()->check(whole_number(1, 1'000'000));
    app.add_option("--batch-size", o.batch_size, "samples per optimiser step")->capture_default_str()->check(whole_number(1, 4096));
    app.add_option("--lr", o.learning_rate, "Adam learning rate")->capture_default_str()->check(finite_number(false));
    app.add_option("--decay", o.decay, "Keras legacy decay: lr / (1 + decay * iterations)")->capture_default_str()->check(finite_number(true));
    app.add_option("--seed", o.seed, "seed for weights, shuffles and dropout")->capture_default_str()->check(whole_number(0, std::numeric_limits<long long>::max()));
    app.add_option("--threads", o.threads, "worker threads")->capture_default_str()->check(whole_number(1, 4096));
    const auto limit = whole_number(0, std::numeric_limits<long long>::max());
    app.add_option("--limit", o.limit, "use only the first N training images (0 = all)")->capture_default_str()->check(limit);
    app.add_option("--limit-validation", o.limit_validation, "use only the first N validation images (0 = all)")->capture_default_str()->check(limit);
    app.add_option("--limit-test", o.limit_test, "use only the first N test images (0 = all)")->capture_default_str()->check(limit);
    app.add_option("--out", o.out, "directory for <variant>.json and <variant>.weights")->capture_default_str();
    app.add_flag("!--no-progress", o.progress, "no live progress bar");
    app.add_option("--early-stopping", o.early_stopping, "stop when the monitored validation figure has not improved for N epochs (0 = off)")
        ->capture_default_str()
        ->check(whole_number(0, 1'000'000));
    app.add_flag("--keep-best", o.keep_best, "save the best validation checkpoint as <out>/<variant>.best.weights");
    app.add_option("--monitor", o.monitored, "what the two callbacks watch: val_loss or val_accuracy")
        ->transform(CLI::CheckedTransformer(std::map<std::string, monitor>{{"val_loss", monitor::val_loss}, {"val_accuracy", monitor::val_accuracy}}));
    app.add_option("--checkpoint-every", o.checkpoint_every, "write the run's whole state to <out>/<variant>.checkpoint every N epochs (0 = never)")
        ->capture_default_str()
        ->check(whole_number(0, 1'000'000));
    app.add_flag("--resume", o.resume, "continue the run from <out>/<variant>.checkpoint (same settings; --epochs may grow)");
    app.add_flag("--check-numerics", o.check_numerics, "check every layer's output and every gradient each step (slower)");
    const char* formats = " (stag .weights, ONNX or Keras HDF5, told apart by their contents)";
    auto* evaluate = app.add_option("--evaluate", o.evaluate_weights,
                                    std::string("evaluate saved weights on the test split (metrics, confusion matrix) instead of training") + formats);
    auto* predict = app.add_option("--predict", o.predict_weights, std::string("classify the PNG FILEs with saved weights instead of training") + formats);
    auto* files = app.add_option("files", o.predict_files, "PNG files for --predict")->check(CLI::ExistingFile);
    auto* weights = app.add_option("--weights", o.initial_weights,
                                   std::string("start from these weights instead of the seeded initialisation") + formats +
                                       "; with --export-onnx or --export-weights, convert them and train nothing");
    auto* onnx = app.add_option("--export-onnx", o.export_onnx,
                                "also write the network as ONNX (opset 13, NCHW input; docs/interop.md): the weights this run trains, or those of --weights")
                     ->check(replaceable_file());
    auto* stag_weights = app.add_option("--export-weights", o.export_weights, "also write the weights as a stag weights file (trained, or those of --weights)")
                             ->check(replaceable_file());
    evaluate->excludes(predict);
    files->needs(predict);
    predict->needs(files);
    for (auto* mode : {evaluate, predict})
        for (auto* other : {weights, onnx, stag_weights}) mode->excludes(other);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return {std::nullopt, code == 0 ? 0 : exit_usage};
    }
    return {o, 0};
}

std::size_t effective_threads(const run_options& o) {
    return o.threads ? o.threads : static_cast<std::size_t>(tbb::info::default_concurrency());
}

}  // namespace stag::driver
