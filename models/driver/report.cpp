#include "report.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <fstream>
#include <thread>

#include <xsimd/xsimd.hpp>

#include "report_json.hpp"
#include "stag/core/atomic_file.hpp"
#include "stag/data/sources.hpp"
#include "stag/graph/serialization.hpp"

namespace stag::driver {

namespace {
// Over the decoded arrays, not the files: it sees every change that reaches training (labels, pixels,
// normalisation, --limit) and none that does not (a copied or recompressed file, a new mtime); at zlib's
// CRC speed it costs about 0.1 s for Fashion-MNIST's 60,000 images.
std::uint32_t digest(const data::dataset& s) {
    const std::uint32_t images = stag::detail::crc32_of(s.images.data(), s.images.size() * sizeof(float));
    return stag::detail::crc32_of(s.labels.data(), s.labels.size(), images);
}
}  // namespace

loaded_data load_data(const run_options& o, shape input, bool print) {
    loaded_data d;
    d.splits = data::load_source(o.data, input);
    d.splits.train.truncate(o.limit);
    d.splits.validation.truncate(o.limit_validation);
    d.splits.test.truncate(o.limit_test);
    for (const data::dataset* s : {&d.splits.train, &d.splits.validation, &d.splits.test}) {
        const split_summary summary{s->name, s->size(), data::statistics(*s), digest(*s)};
        if (print)
            fmt::print("{:<26} {:>6} images  mean {:.4f}  std {:.4f}  min {:.3f}  max {:.3f}\n", summary.name, summary.images, summary.pixels.mean,
                       summary.pixels.stddev, summary.pixels.min, summary.pixels.max);
        d.summaries.push_back(summary);
        if (!s->note.empty()) {
            if (print) fmt::print(stderr, "NOTE: {}\n", s->note);
            d.notes.push_back(s->note);
        }
    }
    d.warnings = data::split_shift_warnings(d.splits);
    for (const std::string& w : d.warnings)
        if (print) fmt::print(stderr, "WARNING: {}\n", w);
    return d;
}

nlohmann::json metrics_json(const metrics& m) {
    return {{"loss", m.loss}, {"loss_without_penalty", m.data_loss()}, {"penalty", m.penalty}, {"accuracy", m.accuracy}, {"samples", m.samples}};
}

nlohmann::json config_json(const run_options& o, const std::string& network_signature, run_kind kind) {
    nlohmann::json c = {{"network", network_signature},
                        {"data", o.data},
                        {"limit", {{"train", o.limit}, {"validation", o.limit_validation}, {"test", o.limit_test}}},
                        {"seed", o.seed}};
    if (kind == run_kind::evaluate) {
        c["weights"] = o.evaluate_weights;
        return c;
    }
    if (!o.initial_weights.empty()) c["initial_weights"] = o.initial_weights;
    c.update({{"epochs", o.epochs},
              {"batch_size", o.batch_size},
              {"optimizer", "adam"},
              {"learning_rate", o.learning_rate},
              {"decay", o.decay},
              {"early_stopping", o.early_stopping},
              {"keep_best", o.keep_best},
              {"monitor", o.monitored == monitor::val_loss ? "val_loss" : "val_accuracy"}});
    return c;
}

std::string resume_key(const run_options& o, const std::string& network_signature, const loaded_data& data) {
    nlohmann::json settings = config_json(o, network_signature, run_kind::train);
    settings.erase("epochs");
    std::string key;
    for (const auto& [name, value] : settings.items()) key += name + '=' + value.dump() + '\n';
    for (const split_summary& s : data.summaries)
        if (s.name != data.splits.test.name) key += fmt::format("{} split={} images, CRC-32 {:08x}\n", s.name, s.images, s.crc32);
    return key;
}

namespace {

// What a run's timings belong to: the CPU, its hardware threads and the vector instructions the kernels were
// built for. Times compare only between runs on the same machine.
std::string machine_description() {
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line, name, family, model;
    while ((name.empty() || family.empty() || model.empty()) && std::getline(cpuinfo, line)) {
        const std::size_t colon = line.find(':');
        if (colon == std::string::npos) continue;
        const std::string key = line.substr(0, line.find_last_not_of(" \t", colon - 1) + 1);
        const std::string value = line.substr(std::min(line.size(), colon + 2));
        if (key == "model name") name = value;
        else if (key == "cpu family") family = value;
        else if (key == "model") model = value;
    }
    // Virtual machines often name only the vendor ("AMD EPYC"): family and model tell the generations apart.
    const std::string cpu = name.empty() ? "an unknown CPU" : family.empty() ? name : fmt::format("{} (family {}, model {})", name, family, model);
    return fmt::format("{}, {} hardware threads, {} kernels", cpu, std::thread::hardware_concurrency(), xsimd::default_arch::name());
}

}  // namespace

std::string report_json(const run_report& r) {
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
    nlohmann::json splits = nlohmann::json::object();
    for (const split_summary& s : r.splits)
        splits[s.name.substr(s.name.rfind('/') + 1)] = {{"name", s.name},       {"images", s.images},     {"mean", s.pixels.mean},
                                                        {"std", s.pixels.stddev}, {"min", s.pixels.min}, {"max", s.pixels.max},
                                                        {"crc32", fmt::format("{:08x}", s.crc32)}};
    nlohmann::json confusion = nlohmann::json::array();
    for (std::size_t t = 0; t < r.test_confusion.classes; ++t) {
        nlohmann::json row = nlohmann::json::array();
        for (std::size_t p = 0; p < r.test_confusion.classes; ++p) row.push_back(r.test_confusion.at(t, p));
        confusion.push_back(row);
    }
    nlohmann::json report = {{"variant", r.variant},
                             {"kind", r.kind == run_kind::train ? "train" : "evaluate"},
                             {"network", r.network_signature},
                             {"parameters", {{"total", r.parameters}, {"trainable", r.trainable_parameters}}},
                             {"multiply_adds_per_image", r.multiply_adds},
                             {"config", config_json(r.options, r.network_signature, r.kind)},
                             {"threads", r.threads},
                             {"ranks", r.ranks},
                             {"splits", splits},
                             {"data_warnings", r.warnings},
                             {"data_notes", r.notes},
                             {"classes", r.class_names},
                             {"test", metrics_json(r.test)},
                             {"test_training_mode", metrics_json(r.test_training_mode)},
                             {"test_confusion", confusion},
                             {"weights", r.weights_file}};
    if (r.kind == run_kind::train) {
        report["history"] = history;
        report["best_epoch"] = r.fit_history.best_epoch;
        report["stopped_early"] = r.fit_history.stopped_early;
        report["train_inference_mode"] = metrics_json(r.train_inference_mode);
        // A resumed run's clock started at the resume: it times the epochs after the restored ones.
        const std::size_t timed_epochs = r.fit_history.epochs.size() - r.fit_history.resumed_epochs;
        const std::size_t seen = r.splits.empty() ? 0 : r.splits.front().images * timed_epochs;
        report["timings"] = {{"fit_seconds", r.fit_seconds},
                             {"images_per_second", r.fit_seconds > 0 ? double(seen) / r.fit_seconds : 0.0},
                             {"resumed_epochs", r.fit_history.resumed_epochs},
                             {"machine", machine_description()}};
        if (!r.best_weights_file.empty()) report["best_weights"] = r.best_weights_file;
        report["weights_crc32"] = fmt::format("{:08x}", r.weights_crc32);
        for (const rank_timing& t : r.rank_timings)
            report["timings"]["ranks"].push_back(
                {{"fit_seconds", t.fit_seconds}, {"communication_wait_seconds", t.communication_wait_seconds}, {"gradient_bytes", t.gradient_bytes}});
    }
    return report.dump(2) + '\n';
}

std::string format_confusion(const confusion_matrix& m, const std::vector<std::string>& names) {
    std::size_t label_width = 10;
    for (const std::string& n : names) label_width = std::max(label_width, n.size() + 1);
    std::string s = fmt::format("{:<{}}", "true \\ predicted", label_width + 7);
    for (std::size_t p = 0; p < m.classes; ++p) s += fmt::format("{:>7}", p);
    s += "   accuracy\n";
    for (std::size_t t = 0; t < m.classes; ++t) {
        std::size_t total = 0;
        for (std::size_t p = 0; p < m.classes; ++p) total += m.at(t, p);
        s += fmt::format("{:>3} {:<{}}   ", t, names[t], label_width);
        for (std::size_t p = 0; p < m.classes; ++p) s += fmt::format("{:>7}", m.at(t, p));
        s += total ? fmt::format("   {:.4f}\n", double(m.at(t, t)) / double(total)) : "   -\n";
    }
    return s;
}

std::string report_path(const run_options& o, const std::string& variant, run_kind kind) {
    return o.out + "/" + variant + (kind == run_kind::train ? ".json" : ".evaluation.json");
}

void finish_report(const run_report& r) {
    const std::string path = report_path(r.options, r.variant, r.kind);
    write_file_atomically(path, report_json(r));
    if (r.kind == run_kind::train && !r.fit_history.epochs.empty())
        fmt::print("Train accuracy: {:.4f} (training mode, last epoch's running figure) vs {:.4f} (inference mode)\n",
                   r.fit_history.epochs.back().train.accuracy, r.train_inference_mode.accuracy);
    if (r.fit_history.stopped_early)
        fmt::print("Stopped early after epoch {}: no improvement since epoch {}\n", r.fit_history.epochs.back().epoch, r.fit_history.best_epoch);
    fmt::print("Test confusion matrix (rows: true class):\n{}", format_confusion(r.test_confusion, r.class_names));
    fmt::print("Test loss: {:.4f} (without penalty {:.4f})   Test accuracy: {:.4f} (inference mode), {:.4f} (training mode)\n",
               r.test.loss, r.test.data_loss(), r.test.accuracy, r.test_training_mode.accuracy);
    fmt::print("Wrote {}{}\n", path, r.kind == run_kind::train ? " and " + r.weights_file : "");
}

}  // namespace stag::driver
