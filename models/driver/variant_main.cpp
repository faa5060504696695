#include <fmt/core.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <numeric>

#include "progress.hpp"
#include "stag/data/idx.hpp"
#include "stag/data/xray.hpp"
#include "variant.hpp"

namespace stag::driver {

const std::vector<std::string>& class_names_for(std::size_t classes) {
    if (classes == data::fashion_mnist_classes.size()) return data::fashion_mnist_classes;
    if (classes == data::xray_classes.size()) return data::xray_classes;
    throw error("no class names for " + std::to_string(classes) + " classes");
}

namespace {
void print_predictions(const std::vector<prediction>& predictions) {
    for (const prediction& p : predictions) {
        const auto& names = class_names_for(p.probabilities.size());
        std::vector<std::size_t> order(p.probabilities.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p.probabilities[a] > p.probabilities[b]; });
        std::string runners_up;
        for (std::size_t k = 1; k < std::min<std::size_t>(3, order.size()); ++k)
            runners_up += fmt::format("{}{} {:.4f}", k > 1 ? ", " : "", names[order[k]], p.probabilities[order[k]]);
        fmt::print("{}: {} ({}) {:.4f}   next: {}\n", p.file, p.label, names[p.label], p.probabilities[p.label], runners_up);
    }
}
}  // namespace

int variant_main(const variant& v, int argc, char** argv) {
    const std::string& name = v.defaults.name;
    try {
        const parsed_command_line cl = parse_command_line(argc, argv, v.defaults);
        if (!cl.options) return cl.exit_code;
        const run_options& o = *cl.options;
        tbb::global_control threads(tbb::global_control::max_allowed_parallelism, effective_threads(o));
        if (!o.predict_weights.empty()) {
            print_predictions(v.predict(o));
            return 0;
        }
        if (!o.evaluate_weights.empty()) v.weights_classes(o.evaluate_weights);  // refuse another network's weights before any work
        prepare_output_folder(o.out);
        const loaded_data data = load_data(o, v.input);
        if (!o.evaluate_weights.empty()) {
            finish_report(v.evaluate(v.defaults, o, data));
            return 0;
        }
        std::fputs(v.describe(name, data.splits.train.classes()).summary.c_str(), stdout);
        if (o.resume) fmt::print("Resuming from {}/{}.checkpoint\n", o.out, name);
        progress_printer progress(o.progress);
        const run_hooks hooks{[&](const batch_progress& p) { progress.on_batch(p); },
                              [&](const epoch_record& r) { progress.on_epoch_end(r); }};
        finish_report(v.train(v.defaults, o, data, hooks));
        return 0;
    } catch (const usage_error& e) {
        fmt::print(stderr, "{}: error: {}\n", name, e.what());
        return exit_usage;
    } catch (const std::exception& e) {
        fmt::print(stderr, "{}: error: {}\n", name, e.what());
        return exit_failure;
    }
}

}  // namespace stag::driver
