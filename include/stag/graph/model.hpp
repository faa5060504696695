#pragma once
// A compiled network plus its optimiser and loss (softmax cross-entropy by default): Keras' fit / evaluate /
// predict, with the training step allocation-free and reproducible from one seed on any thread count.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "stag/core/dataset_view.hpp"
#include "stag/core/error.hpp"
#include "stag/core/replicas.hpp"
#include "stag/graph/checkpoint.hpp"
#include "stag/graph/history.hpp"
#include "stag/graph/serialization.hpp"
#include "stag/graph/sequential.hpp"
#include "stag/train/losses.hpp"
#include "stag/train/optimizers.hpp"

namespace stag {

struct batch_progress {
    std::size_t epoch, epochs, batch, batches, samples_seen;
    double running_loss, running_penalty, running_accuracy, seconds;
};

// The validation figure the callbacks below watch, as Keras' `monitor`.
enum class monitor { val_loss, val_accuracy };

struct fit_options {
    std::size_t epochs = 1;
    std::size_t batch_size = 32;
    std::uint64_t seed = 0;                                  // keys shuffles and dropout
    std::function<void(const batch_progress&)> on_batch;     // progress display
    std::function<void(const epoch_record&)> on_epoch_end;   // e.g. checkpoints
    // Keras' EarlyStopping and ModelCheckpoint(save_best_only=True); both need a validation split and
    // are off by default. An epoch improves when the monitored figure beats the best so far.
    monitor monitored = monitor::val_loss;
    std::size_t early_stopping_patience = 0;  // stop after this many epochs without improvement (0: never stop early)
    std::string best_weights_path;            // if set, the weights are saved here at every improving epoch
    // TensorFlow's enable_check_numerics: every layer's output and every gradient is checked each step (slow;
    // off by default, when only the loss is checked, which catches divergence one step later at most).
    bool check_numerics = false;
    // Checkpoints (graph/checkpoint.hpp): every `checkpoint_every` epochs (0: never) the run's whole state is
    // written atomically to checkpoint_path; with `resume`, fit continues from that file, which must have been
    // written by a run with the same run_key (the caller's description of the settings that decide the result).
    std::size_t checkpoint_every = 0;
    std::string checkpoint_path, run_key;
    bool resume = false;
    // Asked before every step (e.g. core/stop_signals.hpp's requested()): once it answers true, fit writes a
    // checkpoint holding the epoch in progress and throws `interrupted`; resuming finishes that epoch as if it
    // had never stopped. With replicas, set it on every replica or on none: they agree to stop at the same step.
    std::function<bool()> stop_requested;
    // Data parallelism (core/replicas.hpp): with a group, every replica runs fit with the same data and options
    // and trains on its share of each batch; gradients are summed across the replicas in buckets started during
    // backward. Only rank 0 writes checkpoints and best weights; the figures returned are the whole batch's.
    replica_group* replicas = nullptr;
};

// One replica's part of a training step: rows [first, first + count) of a batch of `whole` samples.
struct step_share {
    replica_group* replicas = nullptr;  // null: one process holds the whole batch
    std::size_t first = 0, whole = 0;
};

// Rows: true class, columns: predicted class.
struct confusion_matrix {
    std::size_t classes = 0;
    std::vector<std::size_t> counts;  // classes × classes
    std::size_t at(std::size_t truth, std::size_t predicted) const { return counts[truth * classes + predicted]; }
};

template <class Net, class Optimizer = adam, class Loss = categorical_cross_entropy>
class model {
    static_assert(sizeof(optimizer_check<Optimizer>) + sizeof(loss_check<Loss>) > 0);
    static_assert(!takes_gradient_at_logits<Loss>() || Net::ends_in_softmax,
                  "model<Net, Optimizer, Loss>: this loss is fused with a final softmax; end the network in softmax");
    static constexpr std::size_t classes = Net::output_shape.c;

public:
    // Plans every buffer for batches of up to max_batch and initialises the weights from seed.
    model(std::size_t max_batch, Optimizer optimizer = {}, std::uint64_t seed = 0)
        : net_(max_batch), optimizer_(optimizer), labels_(max_batch) {
        net_.initialize(seed);
        optimizer_.setup(net_.trainable_parameters());
    }

    Net& network() { return net_; }
    Optimizer& optimizer() { return optimizer_; }

    // Logits beyond this mean the weights have blown up: softmax saturates at gaps of a few tens, and no
    // trained classifier comes near. Training stops there even while the (clamped) loss is still finite.
    static constexpr float divergence_bound = 1e8f;

    // Gradients travel across replicas in buckets of about this many floats (1 MiB).
    static constexpr std::size_t gradient_bucket_floats = std::size_t{1} << 18;

    // One optimiser step on n samples already in network().input() (under data parallelism: this replica's
    // share of the step's batch, the figures returned being the share's). Allocates nothing. A loss that is
    // not finite, or logits beyond divergence_bound, throw numerical_error naming the first layer whose
    // output is out of range, before any weight moves.
    step_score train_step(const std::uint8_t* labels, std::size_t n, std::uint64_t seed, bool check_numerics = false, step_share share = {}) {
        step_context ctx{mode::train, n, seed, optimizer_.iterations()};
        ctx.replicas = share.replicas;
        ctx.sample_offset = share.first;
        ctx.global_batch = share.whole;
        ctx.adds_penalty_gradient = !share.replicas || share.replicas->rank() == 0;
        net_.forward(ctx);
        const kernels::batch_score score = Loss::score({n, classes, net_.output(), labels, share.whole}, net_.output_gradient());
        const double penalty = net_.regularization_penalty();
        if (!std::isfinite(score.loss_sum) || !std::isfinite(penalty) || !Net::all_within(net_.logits(), n * classes, divergence_bound) ||
            (check_numerics && net_.first_output_beyond(n, std::numeric_limits<float>::max()) != no_layer))
            throw numerical_error(divergence_message(n, std::isfinite(penalty)));
        if (share.replicas) backward_summed_across(*share.replicas, ctx);
        else if constexpr (Loss::gradient_at_logits) net_.backward_from_logits(ctx);
        else net_.backward(ctx);
        if (check_numerics)
            if (const parameter_ref* p = net_.first_non_finite_gradient())
                throw numerical_error("the gradient of " + p->name + " is not finite");
        if (const parameter_ref* p = optimizer_.step(net_.trainable_parameters()))
            throw numerical_error("the weights of " + p->name + " are no longer finite after the update: a gradient was not");
        return {score.loss_sum, score.correct, penalty};
    }

    history fit(const dataset_view& train, const dataset_view* validation, const fit_options& options) {
        check_data(train, "training");
        if (validation) check_data(*validation, "validation");
        if (options.batch_size == 0 || options.batch_size > net_.max_batch())
            throw error("fit: batch size " + std::to_string(options.batch_size) + " outside the planned 1.." +
                        std::to_string(net_.max_batch()));
        if (!validation && (options.early_stopping_patience || !options.best_weights_path.empty()))
            throw error("fit: early stopping and best-weights checkpoints monitor validation figures; give a validation split");
        if ((options.checkpoint_every || options.resume) && options.checkpoint_path.empty())
            throw error("fit: checkpoints need a checkpoint_path");
        if (options.replicas) check_shares(train.count, options.batch_size, options.replicas->size());
        const bool writes_files = !options.replicas || options.replicas->rank() == 0;
        order_.resize(train.count);
        checkpoint_state state = options.resume ? resume(options) : checkpoint_state{};
        history& h = state.past;
        double best = h.best_epoch ? monitored_figure(options, h.epochs[h.best_epoch - 1]) : 0.0;
        for (std::size_t epoch = h.epochs.size() + 1; epoch <= options.epochs && !h.stopped_early; ++epoch) {
            if (!train_epoch(train, options, epoch, state.progress)) {
                const std::string where = "epoch " + std::to_string(epoch) + ", after " + std::to_string(state.progress.batches_done) + " of " +
                                          std::to_string(batches_of(train, options)) + " batches (step " + std::to_string(optimizer_.iterations()) + ")";
                if (options.checkpoint_path.empty()) throw interrupted("training stopped at " + where, "");
                state.iterations = optimizer_.iterations();
                if (writes_files)
                    save_checkpoint(options.checkpoint_path, Net::signature(), options.run_key, net_.all_tensors(),
                                    optimizer_.state(net_.trainable_parameters()), state);
                throw interrupted("training stopped at " + where + "; its state is in " + options.checkpoint_path, options.checkpoint_path);
            }
            epoch_record record = finished_epoch(epoch, std::exchange(state.progress, {}));
            if (validation) record.validation = evaluate(*validation, mode::inference, nullptr, options.replicas);
            h.epochs.push_back(record);
            if (options.on_epoch_end) options.on_epoch_end(record);
            if (validation) {
                if (const double figure = monitored_figure(options, record); h.best_epoch == 0 || figure < best) {
                    best = figure;
                    h.best_epoch = epoch;
                    if (!options.best_weights_path.empty() && writes_files) save(options.best_weights_path);
                } else if (options.early_stopping_patience && epoch - h.best_epoch >= options.early_stopping_patience) {
                    h.stopped_early = true;
                }
            }
            if (options.replicas) check_replicas_agree(*options.replicas, epoch);
            // A resumed run keeps its checkpoint current to the end even without checkpoint_every (it may have
            // been written on a stop): the file always holds the latest state, from which more epochs can follow.
            const bool last = epoch == options.epochs || h.stopped_early;
            const bool due = options.checkpoint_every ? epoch % options.checkpoint_every == 0 || last : options.resume && last;
            if (writes_files && due)
                save_checkpoint(options.checkpoint_path, Net::signature(), options.run_key, net_.all_tensors(),
                                optimizer_.state(net_.trainable_parameters()), {optimizer_.iterations(), h, {}});
        }
        return h;
    }

    // Loss and accuracy over a whole split, by default in inference mode (moving statistics, no dropout).
    // mode::train shows what training sees (batch statistics, dropout) and leaves the model unchanged.
    // If confusion is given, it receives the counts of (true class, predicted class). With replicas, each
    // evaluates its share of the split in inference mode and every replica returns the sums of all shares: a
    // row's outputs do not depend on the rows batched with it, so accuracy and confusion are one process's, and
    // the loss differs only in the order of its sum. In training mode they do (batch statistics), so every
    // replica evaluates the whole split, as one process would.
    metrics evaluate(const dataset_view& data, mode phase = mode::inference, confusion_matrix* confusion = nullptr,
                     replica_group* replicas = nullptr) {
        check_data(data, "evaluation");
        if (phase == mode::train) replicas = nullptr;
        const batch_share mine = replicas ? share_of(data.count, replicas->rank(), replicas->size()) : batch_share{0, data.count};
        std::vector<double> sums(2 + (confusion ? classes * classes : 0), 0.0);  // loss, correct, confusion counts
        for (std::size_t first = mine.first; first < mine.first + mine.count; first += net_.max_batch()) {
            const std::size_t n = std::min(net_.max_batch(), mine.first + mine.count - first);
            load_rows(data, first, n);
            std::memcpy(labels_.data(), data.labels + first, n);
            const mode passes = phase == mode::train ? mode::train_without_update : phase;  // evaluation changes nothing
            net_.forward({passes, n, 0, optimizer_.iterations()});
            const kernels::batch_score s = Loss::score({n, classes, net_.output(), labels_.data()}, nullptr);
            sums[0] += s.loss_sum;
            sums[1] += double(s.correct);
            if (confusion)
                for (std::size_t i = 0; i < n; ++i) {
                    const float* p = net_.output() + i * classes;
                    sums[2 + labels_[i] * classes + static_cast<std::size_t>(std::max_element(p, p + classes) - p)] += 1.0;
                }
        }
        if (replicas) sum_in_rank_order(*replicas, sums.data(), sums.size());
        if (confusion) {
            *confusion = {classes, std::vector<std::size_t>(classes * classes)};
            std::copy(sums.begin() + 2, sums.end(), confusion->counts.begin());
        }
        const double penalty = net_.regularization_penalty();
        return {sums[0] / double(data.count) + penalty, penalty, sums[1] / double(data.count), data.count};
    }

    // Class probabilities for n samples (n × input_shape floats) into out (n × classes floats).
    void predict(const float* images, std::size_t n, float* out) {
        constexpr std::size_t in = Net::input_shape.size();
        for (std::size_t first = 0; first < n; first += net_.max_batch()) {
            const std::size_t m = std::min(net_.max_batch(), n - first);
            std::memcpy(net_.input(), images + first * in, m * in * sizeof(float));
            net_.forward({mode::inference, m, 0, 0});
            std::memcpy(out + first * classes, net_.output(), m * classes * sizeof(float));
        }
    }

    void save(const std::string& path) { save_weights(path, Net::signature(), net_.all_tensors()); }
    void load(const std::string& path) { load_weights(path, Net::signature(), net_.all_tensors()); }

private:
    static std::size_t batches_of(const dataset_view& train, const fit_options& options) {
        return (train.count + options.batch_size - 1) / options.batch_size;
    }

    // Whether to stop before the next step; the replicas agree (any one asked: all stop at the same step).
    static bool stop_now(const fit_options& options) {
        if (!options.stop_requested) return false;
        double asked = options.stop_requested() ? 1.0 : 0.0;
        if (options.replicas) sum_in_rank_order(*options.replicas, &asked, 1);
        return asked > 0.0;
    }

    // The batches of one epoch over the shuffled training split not yet in `progress` (none, or those of a run
    // that stopped part way), accumulating the running figures Keras reports. False if a stop was requested
    // before the last batch: `progress` then holds how far the epoch got.
    bool train_epoch(const dataset_view& train, const fit_options& options, std::size_t epoch, epoch_progress& progress) {
        const auto start = std::chrono::steady_clock::now();
        const double seconds_before = progress.seconds;
        shuffle(options.seed, epoch);
        if (progress.batches_done == 0) progress.learning_rate = optimizer_.current_learning_rate();
        const std::size_t batches = batches_of(train, options);
        replica_group* const replicas = options.replicas;
        for (std::size_t b = progress.batches_done; b < batches; ++b) {
            if (stop_now(options)) {
                progress.seconds = seconds_before + seconds_since(start);
                return false;
            }
            const std::size_t first = b * options.batch_size, n = std::min(options.batch_size, train.count - first);
            // Under data parallelism this replica takes its share of the batch, in the same global order.
            const batch_share mine = replicas ? share_of(n, replicas->rank(), replicas->size()) : batch_share{0, n};
            gather(train, order_.data() + first + mine.first, mine.count);
            const std::uint64_t step = optimizer_.iterations() + 1;
            step_score s;
            try {
                s = train_step(labels_.data(), mine.count, options.seed, options.check_numerics, {replicas, mine.first, replicas ? n : 0});
                if (replicas) s = whole_batch_score(*replicas, s);
            } catch (const numerical_error& e) {
                const std::string culprit = input_culprit(order_.data() + first + mine.first, mine.count);
                throw numerical_error("training diverged at epoch " + std::to_string(epoch) + ", step " + std::to_string(step) + " (batch " +
                                      std::to_string(b + 1) + " of " + std::to_string(batches) +
                                      "): " + (culprit.empty() ? std::string(e.what()) : culprit + "; " + e.what()));
            }
            progress.loss_sum += s.loss_sum;
            progress.penalty_sum += s.penalty * double(n);
            progress.correct += s.correct;
            progress.seen += n;
            progress.batches_done = b + 1;
            const double seen = double(progress.seen);
            if (options.on_batch)
                options.on_batch({epoch, options.epochs, b + 1, batches, progress.seen, (progress.loss_sum + progress.penalty_sum) / seen,
                                  progress.penalty_sum / seen, double(progress.correct) / seen, seconds_before + seconds_since(start)});
        }
        progress.seconds = seconds_before + seconds_since(start);
        return true;
    }

    static epoch_record finished_epoch(std::size_t epoch, const epoch_progress& p) {
        epoch_record record;
        record.epoch = epoch;
        record.learning_rate = p.learning_rate;
        record.seconds = p.seconds;
        const double seen = double(p.seen);
        record.train = {(p.loss_sum + p.penalty_sum) / seen, p.penalty_sum / seen, double(p.correct) / seen, p.seen};
        record.images_per_second = seen / p.seconds;
        return record;
    }

    // Backward with the gradients summed across the replicas: each bucket of finished gradients (last layers
    // first) starts its sum while the earlier layers' backward runs. Bucket bounds follow from the network's
    // type alone, so every replica starts the same buckets in the same order.
    void backward_summed_across(replica_group& replicas, const step_context& ctx) {
        float* const arena = net_.gradient_arena();
        float* unsent_end = arena + net_.gradient_arena_floats();
        const auto ready = [&](float* from) {
            if (static_cast<std::size_t>(unsent_end - from) < gradient_bucket_floats) return;
            replicas.start_sum(from, static_cast<std::size_t>(unsent_end - from));
            unsent_end = from;
        };
        if constexpr (Loss::gradient_at_logits) net_.backward_from_logits(ctx, ready);
        else net_.backward(ctx, nullptr, ready);
        if (unsent_end != arena) replicas.start_sum(arena, static_cast<std::size_t>(unsent_end - arena));
        replicas.finish_sums();
    }
    // The figures of the whole batch from every replica's share (the penalty is the same on all).
    static step_score whole_batch_score(replica_group& replicas, const step_score& mine) {
        double sums[2] = {mine.loss_sum, static_cast<double>(mine.correct)};
        sum_in_rank_order(replicas, sums, 2);
        return {sums[0], static_cast<std::size_t>(sums[1]), mine.penalty};
    }
    // Every replica must hold some rows of every batch: a batch norm over no rows has no statistics.
    static void check_shares(std::size_t samples, std::size_t batch, std::size_t replicas) {
        const std::size_t last = samples % batch ? samples % batch : batch;
        if (std::min(batch, last) < replicas)
            throw error(
                "fit: " + std::to_string(replicas) + " replicas need at least " + std::to_string(replicas) + " samples in every batch; " +
                (batch < replicas ? "the batch size is " + std::to_string(batch) : "the last batch of the epoch has " + std::to_string(last)));
    }
    // The replicas apply the same sums to the same weights, so their weights must stay bit for bit equal;
    // a difference (a replica with other data or another build) is an error, not a silent drift.
    void check_replicas_agree(replica_group& replicas, std::size_t epoch) {
        std::uint32_t crc = 0;
        for (const parameter_ref& p : net_.all_tensors()) crc = detail::crc32_of(p.value, p.size * sizeof(float), crc);
        const double mine = crc;
        if (const disagreement d = first_disagreement(replicas, &mine, 1))
            throw error("fit: after epoch " + std::to_string(epoch) + " the weights of rank " + std::to_string(d.rank) +
                        " differ from rank 0's; every rank must run the same build on the same data");
    }

    // Lower is better: the validation loss, or the validation accuracy negated.
    static double monitored_figure(const fit_options& options, const epoch_record& r) {
        return options.monitored == monitor::val_loss ? r.validation.loss : -r.validation.accuracy;
    }

    // The weights, optimiser state, history and epoch in progress of the checkpoint a resumed fit continues
    // from; a checkpoint further on than the run's epochs is refused (its history would outrun the report).
    checkpoint_state resume(const fit_options& options) {
        checkpoint_state restored = load_checkpoint(options.checkpoint_path, Net::signature(), options.run_key, net_.all_tensors(),
                                                    optimizer_.state(net_.trainable_parameters()));
        const std::size_t reached = restored.past.epochs.size() + (restored.progress.batches_done ? 1 : 0);
        if (reached > options.epochs)
            throw file_error(options.checkpoint_path, "checkpoint holds " + std::to_string(restored.past.epochs.size()) + " epochs" +
                                                          (restored.progress.batches_done ? " and part of one more" : "") + " and this run has " +
                                                          std::to_string(options.epochs) + "; resume with at least " + std::to_string(reached) +
                                                          " epochs");
        optimizer_.restore_iterations(restored.iterations);
        restored.past.resumed_epochs = restored.past.epochs.size();
        return restored;
    }

    // Where the forward pass first went out of range, for the divergence message.
    std::string divergence_message(std::size_t n, bool penalty_finite) {
        if (!penalty_finite) return "the regularisation penalty is not finite (the weights have overflowed)";
        const auto names = Net::layer_names();
        const auto where = [&](std::size_t entry) {
            std::string w = "entry " + std::to_string(entry) + " (" + names[entry] + ")";
            if (Net::roles[entry] == layer_role::fused_activation) w += ", fused into entry " + std::to_string(entry - 1) + " (" + names[entry - 1] + ")";
            return w;
        };
        if (const std::size_t entry = net_.first_output_beyond(n, std::numeric_limits<float>::max()); entry != no_layer)
            return "the first output that is not finite: " + where(entry);
        return "the logits have blown up beyond ±1e8 (the weights are diverging); the first layer whose output is beyond that: " +
               where(net_.first_output_beyond(n, divergence_bound));
    }
    // For a batch holding a NaN or an infinity: which sample of the data set it is (empty otherwise).
    std::string input_culprit(const std::size_t* indices, std::size_t n) {
        constexpr std::size_t in = Net::input_shape.size();
        for (std::size_t i = 0; i < n; ++i)
            if (!Net::all_within(net_.input() + i * in, in, std::numeric_limits<float>::max()))
                return "the input batch holds a value that is not finite (sample " + std::to_string(indices[i]) + " of the training data)";
        return {};
    }

    static double seconds_since(std::chrono::steady_clock::time_point t) {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
    }

    static void check_data(const dataset_view& d, const char* what) {
        if (d.sample != Net::input_shape)
            throw error(std::string(what) + " data has samples of shape " + to_string(d.sample) + ", the network takes " +
                        to_string(Net::input_shape));
        if (d.classes != classes)
            throw error(std::string(what) + " data has " + std::to_string(d.classes) + " classes, the network outputs " +
                        std::to_string(classes));
        if (d.count == 0) throw error(std::string(what) + " data is empty");
        // A label past the last class would make the loss read outside its row of probabilities.
        for (std::size_t i = 0; i < d.count; ++i)
            if (d.labels[i] >= classes)
                throw error(std::string(what) + " data: label " + std::to_string(d.labels[i]) + " of sample " + std::to_string(i) +
                            " is not one of the network's " + std::to_string(classes) + " classes");
    }

    // Fisher–Yates on stag's generator keyed by (seed, epoch): the same order on every machine.
    void shuffle(std::uint64_t seed, std::size_t epoch) {
        std::iota(order_.begin(), order_.end(), std::size_t{0});
        rng g(stream_key(seed, epoch, 0x5348554646ull));
        for (std::size_t i = order_.size(); i > 1; --i) std::swap(order_[i - 1], order_[g.below(i)]);
    }

    void gather(const dataset_view& d, const std::size_t* indices, std::size_t n) {
        constexpr std::size_t in = Net::input_shape.size();
        float* dst = net_.input();
        for (std::size_t i = 0; i < n; ++i) {
            std::memcpy(dst + i * in, d.images + indices[i] * in, in * sizeof(float));
            labels_[i] = d.labels[indices[i]];
        }
    }
    void load_rows(const dataset_view& d, std::size_t first, std::size_t n) {
        constexpr std::size_t in = Net::input_shape.size();
        std::memcpy(net_.input(), d.images + first * in, n * in * sizeof(float));
    }

    Net net_;
    Optimizer optimizer_;
    std::vector<std::size_t> order_;
    std::vector<std::uint8_t> labels_;
};

}  // namespace stag
