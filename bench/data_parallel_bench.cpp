// Data-parallel training speed, one configuration per launch (bench/data_parallel.sh interleaves them):
//   mpirun -np R data_parallel_bench --net cnn --threads T [--batch 64] [--seconds 3]
// Rank 0 prints one line: images/s of the training step (model::train_step on each rank's share of a global
// batch, as fit runs it), the step's time, how much of it the rank spent waiting for gradient sums (the
// exposed communication: the rest overlaps backward), the gradient bytes a rank sends per step, the time
// of one all-reduce of the whole gradient with no compute beside it, and the FMA peak probed in the run.
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <tbb/global_control.h>

#include <chrono>
#include <vector>

#include "part1.hpp"
#include "part2.hpp"
#include "peak.hpp"
#include "stag/distributed/mpi_replicas.hpp"
#include "stag/graph/model.hpp"

using namespace stag;

namespace {

struct options {
    std::string net = "cnn";
    std::size_t threads = 1, batch = 64;
    double seconds = 3.0;
};

double seconds_since(std::chrono::steady_clock::time_point t) { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count(); }

template <class Net>
void measure(const options& o, mpi_replicas& group) {
    model<Net> m(o.batch, adam{}, 1);
    const batch_share share = share_of(o.batch, group.rank(), group.size());
    std::vector<std::uint8_t> labels(share.count);
    for (std::size_t i = 0; i < share.count; ++i) labels[i] = static_cast<std::uint8_t>((share.first + i) % 10);
    float* input = m.network().input();
    for (std::size_t i = 0; i < share.count * Net::input_shape.size(); ++i) input[i] = float((i * 7919) % 251) / 251.0f;
    const step_share where{group.size() > 1 ? &group : nullptr, share.first, group.size() > 1 ? o.batch : 0};
    const auto step = [&] { m.train_step(labels.data(), share.count, 1, false, where); };
    step();  // warm-up: first-touch of the buffers, thread pool start

    // Steps until rank 0 has run for o.seconds; every rank runs the same count (rank 0 decides, each step).
    group.reset_traffic();
    std::size_t steps = 0;
    const auto start = std::chrono::steady_clock::now();
    for (bool more = true; more; ++steps) {
        step();
        const double keep_going = group.rank() == 0 ? double(seconds_since(start) < o.seconds) : 0.0;
        more = group.all_gather(&keep_going, 1)[0] != 0.0;
    }
    const double elapsed = seconds_since(start);
    const replica_group::traffic t = group.traffic_since_reset();

    // The whole gradient summed alone, as the ranks' link and MPI deliver it.
    double allreduce = 0.0;
    if (group.size() > 1) {
        constexpr int reps = 20;
        float* arena = m.network().gradient_arena();
        const auto a = std::chrono::steady_clock::now();
        for (int i = 0; i < reps; ++i) {
            group.start_sum(arena, m.network().gradient_arena_floats());
            group.finish_sums();
        }
        allreduce = seconds_since(a) / reps;
    }
    const double peak = bench::probe_peak_gflops(o.threads);
    const double waits[] = {t.wait_seconds / double(steps)};
    const double* all_waits = group.all_gather(waits, 1);
    double worst_wait = 0.0;
    for (std::size_t r = 0; r < group.size(); ++r) worst_wait = std::max(worst_wait, all_waits[r]);
    if (group.rank() == 0)
        fmt::print(
            "{} ranks={} threads={} batch={} images_per_s={:.1f} step_ms={:.3f} exposed_comm_ms={:.3f} comm_share={:.3f} "
            "bytes_per_step={:.0f} allreduce_ms={:.3f} peak_gflops_per_rank={:.1f} steps={}\n",
            o.net, group.size(), o.threads, o.batch, double(steps * o.batch) / elapsed, 1e3 * elapsed / double(steps), 1e3 * worst_wait,
            worst_wait / (elapsed / double(steps)), t.bytes / double(steps), 1e3 * allreduce, peak, steps);
}

}  // namespace

int main(int argc, char** argv) {
    mpi_session session(argc, argv);
    options o;
    CLI::App app("Data-parallel training speed of one configuration (ranks from mpirun, threads per rank)");
    app.add_option("--net", o.net, "model_relu, cnn_half or cnn")->check(CLI::IsMember({"model_relu", "cnn_half", "cnn"}));
    app.add_option("--threads", o.threads, "threads per rank")->check(CLI::Range(1, 4096));
    app.add_option("--batch", o.batch, "global batch")->check(CLI::Range(1, 65536));
    app.add_option("--seconds", o.seconds, "time to measure");
    CLI11_PARSE(app, argc, argv);
    mpi_replicas group;
    if (o.batch < group.size()) {
        if (group.rank() == 0) fmt::print(stderr, "data_parallel_bench: a batch of {} cannot feed {} ranks\n", o.batch, group.size());
        return 2;
    }
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, o.threads);
    if (o.net == "model_relu") measure<models::model_relu<10>>(o, group);
    else if (o.net == "cnn_half") measure<models::cnn_half<10>>(o, group);
    else measure<models::cnn<10>>(o, group);
    return 0;
}
