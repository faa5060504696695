#include "runner.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "driver/progress.hpp"
#include "driver/report_json.hpp"
#include "recipes.hpp"
#include "stag/core/stop_signals.hpp"
#include "stag/data/sources.hpp"

namespace stag::hw4 {

namespace fs = std::filesystem;

std::string split_shift_directory(const study_options& o) { return (fs::path(o.out) / "data" / "split-shift").string(); }

namespace {

// Splits sizes before loading, for the cost estimate: Fashion-MNIST's, or a guess for other data.
std::array<double, 3> split_sizes(const study_options& o, const driver::run_options& r) {
    std::array<double, 3> n = data::is_idx_source(o.data) ? std::array<double, 3>{55000, 5000, 10000} : std::array<double, 3>{4000, 1000, 1000};
    const std::size_t limits[] = {r.limit, r.limit_validation, r.limit_test};
    for (std::size_t i = 0; i < 3; ++i)
        if (limits[i]) n[i] = std::min(n[i], double(limits[i]));
    return n;
}

nlohmann::json read_json(const std::string& path) {
    std::ifstream in(path);
    try {
        return nlohmann::json::parse(in);
    } catch (const std::exception&) {
        return nullptr;  // unreadable or partial: not finished
    }
}

}  // namespace

std::vector<planned_run> plan_study(const study_options& o) {
    const profile& p = profile_named(o.profile);
    const std::size_t classes = data::is_idx_source(o.data) ? 10 : 4;
    std::vector<planned_run> plan;
    for (const experiment& e : experiments()) {
        planned_run r;
        r.exp = &e;
        r.var = &variant_named(e.variant);
        r.defaults = r.var->defaults;
        r.defaults.name = e.name;
        const experiment* trained = e.weights_of.empty() ? &e : find_experiment(e.weights_of);
        r.options = p.settings(*trained, variant_named(trained->variant).defaults);
        if (!e.weights_of.empty()) r.options.limit_test = p.settings(e, r.var->defaults).limit_test;
        r.options.data = e.shifted_test ? split_shift_directory(o) : o.data;
        r.options.out = (fs::path(o.out) / "runs").string();
        r.options.seed = o.seed;
        r.options.threads = o.threads;
        r.options.progress = o.progress;
        r.options.checkpoint_every = 1;  // a stopped study loses at most one epoch of its current experiment
        const driver::network_description net = r.var->describe(e.name, classes);
        const driver::run_kind kind = e.weights_of.empty() ? driver::run_kind::train : driver::run_kind::evaluate;
        if (kind == driver::run_kind::evaluate) {
            r.options.evaluate_weights = (fs::path(r.options.out) / (e.weights_of + ".weights")).string();
            r.options.limit = r.options.limit_validation = 0;
        }
        r.config = driver::config_json(r.options, net.signature, kind);
        if (kind == driver::run_kind::evaluate) {
            // Paths inside the study folder are named relative to it, so a copied or moved study stays reusable;
            // the weights are reproducible from their run's configuration, so an evaluation stays valid while it does.
            r.config["data"] = e.shifted_test ? "split-shift of " + o.data : o.data;
            r.config["weights"] = "runs/" + e.weights_of + ".weights";
            for (const planned_run& source : plan)
                if (source.exp->name == e.weights_of) r.config["weights_config"] = source.config;
        }
        r.report_path = (fs::path(r.options.out) / (e.name + (kind == driver::run_kind::train ? ".json" : ".evaluation.json"))).string();
        const auto [train, validation, test] = split_sizes(o, r.options);
        const double macs = double(net.multiply_adds);
        r.cost = kind == driver::run_kind::evaluate ? 2.0 * test * macs
                                                    : macs * (double(r.options.epochs) * (3.0 * train + validation) + train + 2.0 * test);
        plan.push_back(std::move(r));
    }
    return plan;
}

nlohmann::json finished_report(const planned_run& run) {
    if (!fs::exists(run.report_path)) return nullptr;
    nlohmann::json stored = read_json(run.report_path);
    if (!stored.is_object() || !stored.contains("test") || !stored.contains("config")) return nullptr;
    return stored["config"] == run.config ? stored : nullptr;
}

namespace {

// Rank 0's answer on every rank (and a meeting point of the ranks); the answer itself without MPI.
bool rank0_says(const study_options& o, bool answer) {
    if (!o.replicas) return answer;
    const double mine = answer ? 1.0 : 0.0;
    return o.replicas->all_gather(&mine, 1)[0] != 0.0;
}

bool wanted(const study_options& o, const planned_run& r) {
    return o.only.empty() || std::find(o.only.begin(), o.only.end(), r.exp->name) != o.only.end();
}

}  // namespace

void prepare_split_shift(const study_options& o) {
    const fs::path dir = split_shift_directory(o), done = dir / ".complete";
    if (fs::exists(done)) return;
    fmt::print("Building the split-shift data set in {} (data/recipes.hpp: test split through another export)\n", dir.string());
    fs::remove_all(dir);
    if (data::is_idx_source(o.data)) recipes::write_split_shift_idx(data::source_directory(o.data), dir);
    else recipes::write_split_shift_xray(o.data, dir);
    std::ofstream(done) << "built from " << o.data << '\n';
}

double run_study(const study_options& o, const std::vector<planned_run>& plan) {
    const auto start = std::chrono::steady_clock::now();
    const auto since = [](std::chrono::steady_clock::time_point t) {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
    };
    fs::create_directories(fs::path(o.out) / "runs");
    const bool speaks = o.speaks();
    std::vector<const planned_run*> todo;
    for (const planned_run& r : plan) {
        const bool finished = rank0_says(o, !finished_report(r).is_null());
        if (wanted(o, r) && (!finished || !o.only.empty())) todo.push_back(&r);
        else if (!speaks) continue;
        else if (finished) fmt::print("[{}] finished earlier with the same configuration: {}\n", r.exp->name, r.report_path);
        else fmt::print("[{}] not run (not in --only) and no finished result: it will be reported missing\n", r.exp->name);
    }
    if (std::any_of(todo.begin(), todo.end(), [](const planned_run* r) { return r->exp->shifted_test; })) {
        if (speaks) prepare_split_shift(o);
        rank0_says(o, true);  // the others read it once rank 0 has built it
    }

    double cost_left = 0.0, cost_done = 0.0, seconds_done = 0.0;
    for (const planned_run* r : todo) cost_left += r->cost;
    constexpr double first_guess = 2.0e10;  // multiply-adds per second until a run has been measured
    for (std::size_t i = 0; i < todo.size(); ++i) {
        const planned_run& r = *todo[i];
        const std::string context = fmt::format("[{}/{} {}] ", i + 1, todo.size(), r.exp->name);
        if (speaks)
            fmt::print("\n{}{} — {} ({}{})\n", context, r.exp->name, r.exp->change, r.var->defaults.name,
                       r.options.evaluate_weights.empty() ? fmt::format(", {} epochs, batch {}, lr {:g}, decay {:g}", r.options.epochs,
                                                                        r.options.batch_size, r.options.learning_rate, r.options.decay)
                                                          : ", evaluating " + r.options.evaluate_weights);
        std::fflush(stdout);
        const auto run_start = std::chrono::steady_clock::now();
        const auto study_eta = [&](double fraction) {
            const double elapsed = seconds_done + since(run_start), done = cost_done + fraction * r.cost;
            const double rate = done > 0 && elapsed > 1.0 ? done / elapsed : first_guess;
            return (cost_left - fraction * r.cost) / rate;
        };
        if (!rank0_says(o, r.options.evaluate_weights.empty() || fs::exists(r.options.evaluate_weights)))
            throw error(r.exp->name + " evaluates " + r.options.evaluate_weights + ", which its training run has not written");
        const driver::loaded_data data = driver::load_data(r.options, r.var->input, speaks);
        driver::run_report report;
        if (r.options.evaluate_weights.empty()) {
            driver::run_options options = r.options;
            const fs::path checkpoint = fs::path(options.out) / (r.defaults.name + ".checkpoint");
            options.resume = rank0_says(o, fs::exists(checkpoint));
            if (options.resume && speaks) fmt::print("{}resuming from {}\n", context, checkpoint.string());
            driver::progress_printer progress(o.progress, context);
            driver::run_hooks hooks{{}, {}, o.replicas, stop_on_signals::requested};
            if (speaks) {
                hooks.on_batch = [&](const batch_progress& p) {
                    const double fraction = (double(p.epoch - 1) + double(p.batch) / double(p.batches)) / double(p.epochs);
                    progress.on_batch(p, " | study ETA " + driver::format_duration(study_eta(fraction)));
                };
                hooks.on_epoch_end = [&](const epoch_record& e) { progress.on_epoch_end(e); };
            }
            if (speaks) fs::remove(r.report_path);  // a rerun (--only): its weights will replace those this report describes
            try {
                report = r.var->train(r.defaults, options, data, hooks);
            } catch (const file_error& e) {
                // A checkpoint of another configuration (or a damaged one) is not worth stopping the study for.
                if (!options.resume || fs::path(e.path()) != checkpoint) throw;
                if (speaks) fmt::print("{}{}\n{}starting the experiment afresh\n", context, e.what(), context);
                if (speaks) fs::remove(checkpoint);  // a rank that has not read it yet fails here too, and starts afresh
                options.resume = false;
                report = r.var->train(r.defaults, options, data, hooks);
            }
        } else {
            report = r.var->evaluate(r.defaults, r.options, data);
        }
        const double seconds = since(run_start);
        seconds_done += seconds;
        cost_done += r.cost;
        cost_left -= r.cost;
        if (!speaks) continue;
        // The study's reports carry the planned configuration: what finished_report compares.
        nlohmann::json json = nlohmann::json::parse(driver::report_json(report));
        json["config"] = r.config;
        write_file_atomically(r.report_path, json.dump(2) + '\n');
        fs::remove(fs::path(r.options.out) / (r.defaults.name + ".checkpoint"));
        fmt::print("{}test accuracy {:.4f} (training mode {:.4f}), loss {:.4f}; {} — study: {} of {} done, {} left\n", context,
                   report.test.accuracy, report.test_training_mode.accuracy, report.test.loss, driver::format_duration(seconds), i + 1,
                   todo.size(), i + 1 < todo.size() ? "about " + driver::format_duration(cost_left / (cost_done / seconds_done)) : "nothing");
        std::fflush(stdout);
    }
    rank0_says(o, true);  // rank 0 has written every report
    return since(start);
}

}  // namespace stag::hw4
