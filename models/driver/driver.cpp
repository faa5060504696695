#include "driver.hpp"

#include <fmt/core.h>
#include <tbb/info.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "stag/data/idx.hpp"
#include "stag/data/statistics.hpp"
#include "stag/data/xray.hpp"

namespace stag::driver {

parsed_command_line parse_command_line(int argc, char** argv, const variant_defaults& d) {
    run_options o;
    o.epochs = d.epochs;
    o.batch_size = d.batch_size;
    o.learning_rate = d.learning_rate;
    o.decay = d.decay;
    CLI::App app{"stag " + d.name + ": trains the HW4 variant '" + d.name + "' and reports test loss and accuracy"};
    app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);  // a repeated option: the last wins
    app.add_option("--data", o.data, "'fashion-mnist' (Debian's dataset-fashion-mnist), a directory of Fashion-MNIST IDX files, or an X-ray root with train/ validation/ test/")
        ->capture_default_str();
    app.add_option("--epochs", o.epochs, "training epochs")->capture_default_str()->check(CLI::PositiveNumber);
    app.add_option("--batch-size", o.batch_size, "samples per optimiser step")->capture_default_str()->check(CLI::Range(1, 4096));
    app.add_option("--lr", o.learning_rate, "Adam learning rate")->capture_default_str()->check(CLI::PositiveNumber);
    app.add_option("--decay", o.decay, "Keras legacy decay: lr / (1 + decay * iterations)")->capture_default_str()->check(CLI::NonNegativeNumber);
    app.add_option("--seed", o.seed, "seed for weights, shuffles and dropout")->capture_default_str();
    app.add_option("--threads", o.threads, "worker threads (0 = all cores)")->capture_default_str();
    app.add_option("--limit", o.limit, "use only the first N training images (0 = all)")->capture_default_str();
    app.add_option("--out", o.out, "directory for <variant>.json and <variant>.weights")->capture_default_str();
    app.add_flag("!--no-progress", o.progress, "no live progress bar");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return {std::nullopt, app.exit(e)};
    }
    return {o, 0};
}

std::size_t effective_threads(const run_options& o) {
    return o.threads ? o.threads : static_cast<std::size_t>(tbb::info::default_concurrency());
}

data::splits load_splits(const run_options& o, std::vector<std::string>& warnings) {
    // A directory holding Fashion-MNIST's IDX files is read as such; any other as the X-ray layout.
    const bool idx = o.data == "fashion-mnist" || std::filesystem::exists(o.data + "/train-images-idx3-ubyte.gz");
    data::splits s = !idx ? data::load_xray_folders(o.data)
                          : data::load_fashion_mnist(o.data == "fashion-mnist" ? data::fashion_mnist_dir : o.data);
    s.train.truncate(o.limit);
    for (const data::dataset* d : {&s.train, &s.validation, &s.test}) {
        const data::pixel_statistics st = data::statistics(*d);
        fmt::print("{:<26} {:>6} images  mean {:.4f}  std {:.4f}  min {:.3f}  max {:.3f}\n", d->name, d->size(), st.mean, st.stddev,
                   st.min, st.max);
    }
    warnings = data::split_shift_warnings(s);
    for (const std::string& w : warnings) fmt::print(stderr, "WARNING: {}\n", w);
    return s;
}

progress_printer::progress_printer(bool enabled) : enabled_(enabled), terminal_(isatty(fileno(stderr)) != 0) {}

void progress_printer::on_batch(const batch_progress& p) {
    if (!enabled_ || !terminal_) return;
    if (p.batch != p.batches && p.seconds - last_draw_ < 0.1) return;  // redraw at most 10 times a second
    last_draw_ = p.seconds;
    constexpr int width = 30;
    const int done = static_cast<int>(width * p.batch / p.batches);
    std::string bar(static_cast<std::size_t>(done), '=');
    if (done < width) bar += '>' + std::string(static_cast<std::size_t>(width - done - 1), '.');
    fmt::print(stderr, "\rEpoch {}/{} {:>5}/{} [{}] {:.1f}s - {:.0f} img/s - loss: {:.4f}{} - accuracy: {:.4f}", p.epoch, p.epochs,
               p.batch, p.batches, bar, p.seconds, p.samples_seen / std::max(p.seconds, 1e-9), p.running_loss,
               p.running_penalty > 0 ? fmt::format(" (penalty {:.4f})", p.running_penalty) : "", p.running_accuracy);
    std::fflush(stderr);
}

void progress_printer::on_epoch_end(const epoch_record& r) {
    if (enabled_ && terminal_) fmt::print(stderr, "\n");
    last_draw_ = -1.0;
    fmt::print("Epoch {}: {:.2f}s, {:.0f} img/s - loss: {:.4f} - accuracy: {:.4f} - val_loss: {:.4f} - val_accuracy: {:.4f}\n",
               r.epoch, r.seconds, r.images_per_second, r.train.loss, r.train.accuracy, r.validation.loss, r.validation.accuracy);
    if (r.train.penalty > 0)
        fmt::print("         loss without penalty: {:.4f} (L2 penalty {:.4f}) - val_loss without penalty: {:.4f}\n",
                   r.train.data_loss(), r.train.penalty, r.validation.data_loss());
    std::fflush(stdout);
}

namespace {
nlohmann::json to_json(const metrics& m) {
    return {{"loss", m.loss}, {"loss_without_penalty", m.data_loss()}, {"accuracy", m.accuracy}, {"samples", m.samples}};
}
}  // namespace

void finish_report(const run_report& r) {
    nlohmann::json history = nlohmann::json::array();
    for (const epoch_record& e : r.fit_history.epochs)
        history.push_back({{"epoch", e.epoch},
                           {"loss", e.train.loss},
                           {"loss_without_penalty", e.train.data_loss()},
                           {"accuracy", e.train.accuracy},
                           {"val_loss", e.validation.loss},
                           {"val_loss_without_penalty", e.validation.data_loss()},
                           {"val_accuracy", e.validation.accuracy},
                           {"learning_rate", e.learning_rate},
                           {"seconds", e.seconds},
                           {"images_per_second", e.images_per_second}});
    const run_options& o = r.options;
    const nlohmann::json report = {
        {"variant", r.variant},
        {"network", r.network_signature},
        {"parameters", {{"total", r.parameters}, {"trainable", r.trainable_parameters}}},
        {"config",
         {{"data", r.data},
          {"epochs", o.epochs},
          {"batch_size", o.batch_size},
          {"optimizer", r.optimizer},
          {"learning_rate", o.learning_rate},
          {"decay", o.decay},
          {"seed", o.seed},
          {"threads", r.threads},
          {"limit", o.limit}}},
        {"data_warnings", r.warnings},
        {"history", history},
        {"test", to_json(r.test)},
        {"train_inference_mode", to_json(r.train_inference_mode)},
        {"timings", {{"fit_seconds", r.fit_seconds}}},
        {"weights", r.weights_file}};
    const std::string path = o.out + "/" + r.variant + ".json";
    std::ofstream(path) << report.dump(2) << '\n';
    if (!r.fit_history.epochs.empty())
        fmt::print("Train accuracy: {:.4f} (training mode, last epoch's running figure) vs {:.4f} (inference mode)\n",
                   r.fit_history.epochs.back().train.accuracy, r.train_inference_mode.accuracy);
    fmt::print("Test loss: {:.4f} (without penalty {:.4f})   Test accuracy: {:.4f} (inference mode)\n", r.test.loss,
               r.test.data_loss(), r.test.accuracy);
    fmt::print("Wrote {} and {}\n", path, r.weights_file);
}

}  // namespace stag::driver
