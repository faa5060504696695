#include <fmt/core.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <numeric>

#include <sched.h>

#include "progress.hpp"
#include "stag/core/stop_signals.hpp"
#include "stag/data/idx.hpp"
#include "stag/data/xray.hpp"
#include "variant.hpp"
#ifdef STAG_MPI
#include "stag/distributed/mpi_replicas.hpp"
#endif

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

namespace {
// The command line that continues a stopped run: this one, with --resume.
std::string resume_command(int argc, char** argv) {
    std::string command;
    bool resumes = false;
    for (int i = 0; i < argc; ++i) {
        const std::string word = argv[i];
        resumes |= word == "--resume";
        const bool plain = !word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+") == std::string::npos;
        std::string quoted = "'";
        for (const char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
        command += (i ? " " : "") + (plain ? word : quoted + "'");
    }
    return resumes ? command : command + " --resume";
}

// mpirun binds each rank to one core unless told otherwise: threads beyond the cores a rank may use only
// take turns on them.
void warn_if_bound_to_fewer_cores(std::size_t threads) {
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return;
    const auto cores = static_cast<std::size_t>(CPU_COUNT(&allowed));
    if (cores < threads)
        fmt::print(stderr,
                   "WARNING: this rank may run on {} core(s) but has {} threads (mpirun binds each rank to one core by default): "
                   "launch with --map-by slot:PE={} (or --bind-to none), or pass --threads {}\n",
                   cores, threads, threads, cores);
}

// One run of a variant; under mpirun, one rank of it (replicas non-null): only rank 0 prints and writes files.
int run_variant(const variant& v, int argc, char** argv, replica_group* replicas) {
    const std::string& name = v.defaults.name;
    const bool speaks = !replicas || replicas->rank() == 0;
    try {
        const parsed_command_line cl = parse_command_line(argc, argv, v.defaults);
        if (!cl.options) return cl.exit_code;
        const run_options& o = *cl.options;
        tbb::global_control threads(tbb::global_control::max_allowed_parallelism, effective_threads(o));
        if (!o.predict_weights.empty()) {
            if (speaks) print_predictions(v.predict(o));
            return 0;
        }
        if (o.converts()) {
            if (speaks) {
                v.convert(o);
                for (const std::string& written : {o.export_onnx, o.export_weights})
                    if (!written.empty()) fmt::print("{}: wrote {} from {}\n", name, written, o.initial_weights);
            }
            return 0;
        }
        if (!o.evaluate_weights.empty()) v.weights_classes(o.evaluate_weights);  // refuse another network's weights before any work
        if (speaks) prepare_output_folder(o.out);
        if (!o.evaluate_weights.empty()) {
            if (speaks) finish_report(v.evaluate(v.defaults, o, load_data(o, v.input)));
            return 0;
        }
        const stop_on_signals signals;  // from here a SIGTERM or Ctrl-C ends the run with a checkpoint
        const loaded_data data = load_data(o, v.input, speaks);
        if (speaks) {
            std::fputs(v.describe(name, data.splits.train.classes()).summary.c_str(), stdout);
            if (replicas) {
                fmt::print("Data-parallel over {} ranks: each step's batch of {} is split across them\n", replicas->size(), o.batch_size);
                warn_if_bound_to_fewer_cores(effective_threads(o));
            }
            if (o.resume) fmt::print("Resuming from {}/{}.checkpoint\n", o.out, name);
        }
        progress_printer progress(o.progress);
        run_hooks hooks{{}, {}, replicas, stop_on_signals::requested};
        if (speaks) {
            hooks.on_batch = [&](const batch_progress& p) { progress.on_batch(p); };
            hooks.on_epoch_end = [&](const epoch_record& r) { progress.on_epoch_end(r); };
        }
        const run_report report = v.train(v.defaults, o, data, hooks);
        if (speaks) finish_report(report);
        return 0;
    } catch (const usage_error& e) {
        if (speaks) fmt::print(stderr, "{}: error: {}\n", name, e.what());
        return exit_usage;
    } catch (const interrupted& e) {
        // Every rank stops at the same step; rank 0 has written the checkpoint.
        if (speaks)
            fmt::print(stderr, "\n{}: {}: {}\nto continue: {}{}\n", name, stop_on_signals::name(), e.what(),
                       replicas && replicas->size() > 1 ? fmt::format("mpirun -np {} ", replicas->size()) : "", resume_command(argc, argv));
        return stop_on_signals::exit_status();
    } catch (const std::exception& e) {
        if (!replicas || replicas->size() == 1) {
            fmt::print(stderr, "{}: error: {}\n", name, e.what());
            return exit_failure;
        }
        // The other ranks may be waiting for this one in a collective: end the whole job.
        fmt::print(stderr, "{}: error on rank {} of {}: {}\n", name, replicas->rank(), replicas->size(), e.what());
        std::fflush(stderr);
#ifdef STAG_MPI
        mpi_session::abort_job(exit_failure);
#endif
        return exit_failure;
    }
}
}  // namespace

int variant_main(const variant& v, int argc, char** argv) {
#ifdef STAG_MPI
    if (launched_by_mpi()) {
        mpi_session session(argc, argv);
        mpi_replicas replicas;
        return run_variant(v, argc, argv, &replicas);
    }
#endif
    return run_variant(v, argc, argv, nullptr);
}

}  // namespace stag::driver
