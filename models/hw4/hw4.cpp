// hw4: the whole HW4 study in one command — every experiment of the homework and the ones that explain its
// CNN failure, resumable, with a report (report.md, pictures, results.json/.csv) answering its questions.
#include <fmt/core.h>
#include <tbb/global_control.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <limits>

#include "driver/cli_checks.hpp"
#include "driver/options.hpp"

#include "figures.hpp"
#include "plots.hpp"
#include "report.hpp"
#include "results.hpp"
#include "runner.hpp"
#include "stag/core/atomic_file.hpp"
#include "stag/core/stop_signals.hpp"
#ifdef STAG_MPI
#include "stag/distributed/mpi_replicas.hpp"
#endif

// Exit code when the report was written but some experiments have not run (--only, or an earlier failure).
constexpr int exit_incomplete = 3;

namespace {
// The study; under mpirun, one rank of it (replicas non-null).
int study_main(int argc, char** argv, stag::replica_group* replicas) {
    using namespace stag::hw4;
    namespace fs = std::filesystem;
    study_options o;
    bool list = false, report_only = false;
    CLI::App app{"hw4: runs the HW4 study (every experiment of the homework, and those that explain its CNN failure) and writes "
                 "report.md, pictures, results.json and results.csv into --out. Finished experiments with the same settings are reused."};
    app.add_option("--profile", o.profile, "quick (a subset, minutes) or full (the homework's settings, hours)")
        ->capture_default_str()
        ->check(CLI::IsMember({"quick", "full"}));
    app.add_option("--data", o.data, "'fashion-mnist', a directory of Fashion-MNIST IDX files, or an X-ray root")->capture_default_str();
    app.add_option("--out", o.out, "the study folder")->capture_default_str();
    o.threads = static_cast<std::size_t>(tbb::info::default_concurrency());
    app.add_option("--threads", o.threads, "worker threads")->capture_default_str()->check(stag::driver::whole_number(1, 4096));
    app.add_option("--seed", o.seed, "seed for every run")->capture_default_str()->check(stag::driver::whole_number(0, std::numeric_limits<long long>::max()));
    app.add_option("--only", o.only, "run just these experiments (again); the others are reused if finished");
    app.add_option("--gnuplot", o.gnuplot, "the plotting program")->capture_default_str();
    app.add_flag("!--no-progress", o.progress, "no live progress lines");
    app.add_flag("--list", list, "list the experiments and exit");
    app.add_flag("--report-only", report_only, "run nothing: write the report from the finished runs in --out");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : stag::driver::exit_usage;
    }
    for (int i = 0; i < argc; ++i) o.command_line += (i ? " " : "") + std::string(i ? argv[i] : "hw4");
    o.replicas = replicas;
    try {
        if (list && !o.speaks()) return 0;
        if (list) {
            for (const experiment& e : experiments()) fmt::print("{:<24} {:<20} {}\n", e.name, e.variant, e.change);
            return 0;
        }
        for (const std::string& name : o.only)
            if (!find_experiment(name)) throw stag::driver::usage_error("--only: no experiment named '" + name + "' (hw4 --list shows them)");
        if (o.gnuplot.find('/') != std::string::npos) o.gnuplot = fs::absolute(o.gnuplot).string();
        stag::driver::prepare_output_folder(o.out);
        tbb::global_control threads(tbb::global_control::max_allowed_parallelism, o.threads);
        const std::vector<planned_run> plan = plan_study(o);
        const stag::stop_on_signals signals;  // a SIGTERM or Ctrl-C stops the experiment in progress with a checkpoint
        const double seconds = report_only ? 0.0 : run_study(o, plan);
        if (!o.speaks()) return 0;
        nlohmann::json results = collect_results(o, plan, seconds);
        pictures drawn;
        try {
            drawn = draw_pictures(results, o.out, o.gnuplot);
        } catch (const std::exception& e) {
            drawn = {};
            drawn.note = std::string("No pictures: ") + e.what();
        }
        results["pictures"] = {{"drawn", drawn.drawn}, {"note", drawn.note}, {"files", drawn.files}};
        const written_report report = write_report(results, drawn);
        const fs::path out(o.out);
        stag::write_file_atomically((out / "results.json").string(), results.dump(2) + '\n');
        stag::write_file_atomically((out / "results.csv").string(), results_csv(results));
        stag::write_file_atomically((out / "report_figures.json").string(), report.figures.dump(1) + '\n');
        stag::write_file_atomically((out / "report.md").string(), report.markdown);
        fmt::print("\nWrote {} ({} figures from results.json, {} pictures{}), results.json and results.csv\n", (out / "report.md").string(),
                   report.figures.size(), drawn.files.size(), drawn.drawn ? "" : ": " + drawn.note);
        return results["missing"].empty() ? 0 : exit_incomplete;
    } catch (const stag::driver::usage_error& e) {
        fmt::print(stderr, "hw4: error: {}\n", e.what());
        return stag::driver::exit_usage;
    } catch (const stag::interrupted& e) {
        if (o.speaks())
            fmt::print(stderr, "\nhw4: {}: {}\nto continue: {} (finished experiments are reused, this one resumes from its checkpoint)\n",
                       stag::stop_on_signals::name(), e.what(), o.command_line);
        return stag::stop_on_signals::exit_status();
    } catch (const std::exception& e) {
        if (!replicas || replicas->size() == 1) {
            fmt::print(stderr, "hw4: error: {}\n", e.what());
            return stag::driver::exit_failure;
        }
        // The other ranks may be waiting for this one: end the whole job.
        fmt::print(stderr, "hw4: error on rank {} of {}: {}\n", replicas->rank(), replicas->size(), e.what());
        std::fflush(stderr);
#ifdef STAG_MPI
        stag::mpi_session::abort_job(stag::driver::exit_failure);
#endif
        return stag::driver::exit_failure;
    }
}
}  // namespace

int main(int argc, char** argv) {
#ifdef STAG_MPI
    if (stag::launched_by_mpi()) {
        stag::mpi_session session(argc, argv);
        stag::mpi_replicas replicas;
        return study_main(argc, argv, &replicas);
    }
#endif
    return study_main(argc, argv, nullptr);
}
