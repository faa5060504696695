#pragma once
// main() of a per-variant binary: `return stag::driver::run_variant<my_net>(argc, argv, {...});` where
// my_net<Classes> is the variant's network type for a given class count (10 Fashion-MNIST, 4 X-ray).
#include <fmt/core.h>
#include <tbb/global_control.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "driver.hpp"
#include "stag/graph/summary.hpp"

namespace stag::driver {

template <class Net>
int train_and_report(const run_options& o, const variant_defaults& defaults, const data::splits& data,
                     std::vector<std::string> warnings) {
    std::fputs(summary<Net>(defaults.name).c_str(), stdout);
    adam optimizer;
    optimizer.learning_rate = static_cast<float>(o.learning_rate);
    optimizer.decay = static_cast<float>(o.decay);
    model<Net> m(o.batch_size, optimizer, o.seed);

    progress_printer progress(o.progress);
    fit_options fit;
    fit.epochs = o.epochs;
    fit.batch_size = o.batch_size;
    fit.seed = o.seed;
    fit.on_batch = [&](const batch_progress& p) { progress.on_batch(p); };
    fit.on_epoch_end = [&](const epoch_record& r) { progress.on_epoch_end(r); };
    const auto validation = data.validation.view();
    const auto start = std::chrono::steady_clock::now();

    run_report r;
    r.fit_history = m.fit(data.train.view(), &validation, fit);
    r.fit_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.test = m.evaluate(data.test.view());
    r.train_inference_mode = m.evaluate(data.train.view());
    std::filesystem::create_directories(o.out);
    r.weights_file = o.out + "/" + defaults.name + ".weights";
    m.save(r.weights_file);
    r.variant = defaults.name;
    r.network_signature = Net::signature();
    r.optimizer = "adam";
    r.data = o.data;
    r.parameters = Net::parameter_count;
    r.trainable_parameters = Net::trainable_count;
    r.threads = effective_threads(o);
    r.options = o;
    r.warnings = std::move(warnings);
    finish_report(r);
    return 0;
}

template <template <std::size_t> class Net>
int run_variant(int argc, char** argv, const variant_defaults& defaults) {
    try {
        const parsed_command_line cl = parse_command_line(argc, argv, defaults);
        if (!cl.options) return cl.exit_code;
        const run_options& o = *cl.options;
        tbb::global_control threads(tbb::global_control::max_allowed_parallelism, effective_threads(o));
        std::vector<std::string> warnings;
        const data::splits data = load_splits(o, warnings);
        switch (data.train.classes()) {
            case 10: return train_and_report<Net<10>>(o, defaults, data, std::move(warnings));
            case 4: return train_and_report<Net<4>>(o, defaults, data, std::move(warnings));
            default: throw error("data has " + std::to_string(data.train.classes()) + " classes; variants are built for 10 or 4");
        }
    } catch (const std::exception& e) {
        fmt::print(stderr, "{}: error: {}\n", defaults.name, e.what());
        return 1;
    }
}

}  // namespace stag::driver
