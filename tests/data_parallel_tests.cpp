// Data-parallel training over MPI. Run under mpirun (CTest: label mpi, 1 to 3 ranks): every rank runs every
// test case in the same order, and each also trains the single-process reference in-process, so a rank
// compares what the group trained with what one process trains on the same global batches.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include "part1.hpp"
#include "part2.hpp"
#include "stag/distributed/mpi_replicas.hpp"
#include "stag/graph/model.hpp"
#include "stag/layers/batch_norm.hpp"
#include "stag/layers/input.hpp"

using namespace stag;

namespace {

mpi_replicas* replicas = nullptr;

// n images drawn from stag's generator and labels that depend on them (so that training has something to
// learn): the same on every rank.
struct synthetic_data {
    std::vector<float> images;
    std::vector<std::uint8_t> labels;
    shape sample;
    synthetic_data(std::size_t n, shape s) : images(n * s.size()), labels(n), sample(s) {
        rng g(2024);
        for (std::size_t i = 0; i < n; ++i) {
            labels[i] = static_cast<std::uint8_t>(g.below(10));
            for (std::size_t k = 0; k < s.size(); ++k)
                images[i * s.size() + k] = static_cast<float>(g.uniform()) * 0.5f + (k % 10 == labels[i] ? 0.5f : 0.0f);
        }
    }
    dataset_view view() const { return {images.data(), labels.data(), labels.size(), sample, 10}; }
};

struct run {
    std::vector<float> tensors;  // every tensor of the network, trainable and moving statistics, in order
    history h;
};

// One epoch of fit at the homework's Adam settings, on the group or (null) on this process alone.
template <class Net>
run train(replica_group* group, const synthetic_data& data, std::size_t batch) {
    adam optimizer;
    optimizer.learning_rate = 1e-5f;
    optimizer.decay = 1e-3f;
    model<Net> m(batch, optimizer, 7);
    fit_options o;
    o.epochs = 1;
    o.batch_size = batch;
    o.seed = 11;
    o.replicas = group;
    run r;
    r.h = m.fit(data.view(), nullptr, o);
    for (const parameter_ref& p : m.network().all_tensors()) r.tensors.insert(r.tensors.end(), p.value, p.value + p.size);
    return r;
}

// The largest difference between two runs' tensors, relative to the weight's own size (at least 1).
double largest_difference(const run& a, const run& b) {
    double worst = 0.0;
    for (std::size_t i = 0; i < a.tensors.size(); ++i)
        worst = std::max(worst, std::abs(double(a.tensors[i]) - b.tensors[i]) / std::max(1.0, std::abs(double(a.tensors[i]))));
    return worst;
}

bool bitwise_equal(const run& a, const run& b) {
    return a.tensors.size() == b.tensors.size() && std::memcmp(a.tensors.data(), b.tensors.data(), a.tensors.size() * sizeof(float)) == 0;
}

// The tolerance between N ranks and one process. The shares' gradients are summed in another order than one
// process sums a batch, so they differ in the last bits (≈ 1e-7 relative); Adam divides each gradient by its
// own running size, which turns a last-bit difference of a near-zero gradient into up to a whole step, lr.
// Three steps at lr 1e-5 bound the drift at 3e-5 per weight: we require less than 1e-4.
constexpr double rank_count_tolerance = 1e-4;

template <class Net>
void check_against_one_process(const synthetic_data& data, std::size_t batch) {
    const run one = train<Net>(nullptr, data, batch);
    const run group = train<Net>(replicas, data, batch);
    const run again = train<Net>(replicas, data, batch);
    INFO("rank " << replicas->rank() << " of " << replicas->size() << ": largest relative difference " << largest_difference(one, group));
    CHECK(largest_difference(one, group) < rank_count_tolerance);
    if (replicas->rank() == 0)
        std::printf("%zu ranks: largest relative difference from one process %.3g; two runs bitwise equal: %s\n", replicas->size(),
                    largest_difference(one, group), bitwise_equal(group, again) ? "yes" : "no");
    CHECK(bitwise_equal(group, again));  // the same rank count: the same bits
    // The whole batch's loss and accuracy, not this rank's share.
    REQUIRE(one.h.epochs.size() == 1);
    CHECK(group.h.epochs[0].train.samples == one.h.epochs[0].train.samples);
    CHECK(group.h.epochs[0].train.accuracy == Approx(one.h.epochs[0].train.accuracy).margin(1e-12));
    CHECK(group.h.epochs[0].train.loss == Approx(one.h.epochs[0].train.loss).epsilon(1e-5));
}

}  // namespace

TEST_CASE("model_relu: N ranks train what one process trains with the same global batch") {
    const synthetic_data data(3 * 64, {32, 32, 1});
    check_against_one_process<models::model_relu<10>>(data, 64);
}

TEST_CASE("cnn_half (dropout, batch norm, L2): N ranks train what one process trains", "[cnn]") {
    const synthetic_data data(3 * 64, {32, 32, 1});
    check_against_one_process<models::cnn_half<10>>(data, 64);
}

// One batch-norm layer, forward and backward in training mode: each rank's share against the rows of one
// process's pass over the whole batch.
template <norm_axis Axis>
void check_synchronised_batch_norm() {
    using net = sequential<input<6, 5, 8>, batch_norm<Axis>>;
    constexpr std::size_t whole = 13, per = net::input_shape.size();
    const synthetic_data data(whole, net::input_shape);
    std::vector<float> dy(whole * per);
    rng g(5);
    for (float& v : dy) v = static_cast<float>(g.uniform()) - 0.5f;

    const auto pass = [&](net& n, std::size_t first, std::size_t count, replica_group* group) {
        step_context ctx{mode::train, count, 0, 1};
        ctx.replicas = group;
        ctx.sample_offset = first;
        ctx.global_batch = group ? whole : 0;
        std::memcpy(n.input(), data.images.data() + first * per, count * per * sizeof(float));
        n.forward(ctx);
        std::memcpy(n.output_gradient(), dy.data() + first * per, count * per * sizeof(float));
        std::vector<float> dx(count * per);
        n.backward(ctx, dx.data());
        std::vector<float> y(n.output(), n.output() + count * per);
        return std::pair{y, dx};
    };
    net one(whole), mine(whole);
    one.initialize(1);
    mine.initialize(1);
    const batch_share share = share_of(whole, replicas->rank(), replicas->size());
    const auto [y_one, dx_one] = pass(one, 0, whole, nullptr);
    const auto [y_mine, dx_mine] = pass(mine, share.first, share.count, replicas);
    for (std::size_t i = 0; i < share.count * per; ++i) {
        CHECK(y_mine[i] == Approx(y_one[share.first * per + i]).margin(1e-5));
        CHECK(dx_mine[i] == Approx(dx_one[share.first * per + i]).margin(1e-5));
    }
    // Moving statistics from the pooled batch statistics; γ and β gradients summed over the ranks.
    const auto& t_one = one.all_tensors();
    const auto& t_mine = mine.all_tensors();
    for (std::size_t t = 0; t < t_one.size(); ++t) {
        std::vector<float> value(t_mine[t].value, t_mine[t].value + t_mine[t].size);
        if (t_mine[t].grad) {
            const float* all = replicas->all_gather(t_mine[t].grad, t_mine[t].size);
            for (std::size_t i = 0; i < value.size(); ++i) {
                float sum = 0.0f;
                for (std::size_t r = 0; r < replicas->size(); ++r) sum += all[r * value.size() + i];
                CHECK(sum == Approx(t_one[t].grad[i]).margin(1e-4));
            }
        } else {
            for (std::size_t i = 0; i < value.size(); ++i) CHECK(value[i] == Approx(t_one[t].value[i]).margin(1e-6));
        }
    }
}

TEST_CASE("synchronised batch norm (channels) equals one process's statistics and gradients") {
    check_synchronised_batch_norm<norm_axis::channels>();
}
TEST_CASE("synchronised batch norm (image rows, the homework's axis=1) equals one process's") { check_synchronised_batch_norm<norm_axis::rows>(); }

TEST_CASE("a batch that cannot give every rank a sample is refused before training") {
    if (replicas->size() < 2) return;
    const synthetic_data data(64 + 1, {32, 32, 1});  // the last batch holds one sample
    model<models::model_relu<10>> m(64);
    fit_options o;
    o.batch_size = 64;
    o.replicas = replicas;
    CHECK_THROWS_WITH(m.fit(data.view(), nullptr, o), Catch::Contains("the last batch of the epoch has 1"));
}

// Evaluation shared among the ranks: each takes a share of the split in inference mode; the sums must be one
// process's. A split not divisible by the batch or the rank count, and batch norm in the network (moving
// statistics), so that a row's outputs must not depend on the rows batched with it.
TEST_CASE("N ranks evaluate what one process evaluates, each on a share of the split") {
    const synthetic_data data(2 * 64 + 7, {32, 32, 1});
    model<models::new_a_model_bn<10>> m(64, adam{}, 3);
    confusion_matrix one_confusion, shared_confusion;
    const metrics one = m.evaluate(data.view(), mode::inference, &one_confusion);
    const metrics shared = m.evaluate(data.view(), mode::inference, &shared_confusion, replicas);
    CHECK(shared.samples == one.samples);
    CHECK(shared.accuracy == one.accuracy);
    CHECK(shared_confusion.counts == one_confusion.counts);
    CHECK(shared.loss == Approx(one.loss).epsilon(1e-12));  // the same row losses, summed in another order
    // Training mode (batch statistics) is evaluated whole on every rank, as one process does.
    const metrics training_mode = m.evaluate(data.view(), mode::train, nullptr, replicas);
    CHECK(training_mode.loss == m.evaluate(data.view(), mode::train).loss);
}

int main(int argc, char** argv) {
    mpi_session session(argc, argv);
    mpi_replicas group;
    replicas = &group;
    return Catch::Session().run(argc, argv);
}
