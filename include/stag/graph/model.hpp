#pragma once
// A compiled network plus its loss (softmax cross-entropy) and optimiser: Keras' fit / evaluate /
// predict, with the training step allocation-free and reproducible from one seed on any thread count.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <numeric>
#include <string>
#include <vector>

#include "stag/core/dataset_view.hpp"
#include "stag/core/error.hpp"
#include "stag/graph/serialization.hpp"
#include "stag/graph/sequential.hpp"
#include "stag/kernels/softmax_cross_entropy.hpp"
#include "stag/train/optimizers.hpp"

namespace stag {

struct metrics {
    double loss = 0.0;     // as Keras reports it: cross-entropy plus the regularisation penalty
    double penalty = 0.0;  // the regularisation part of loss
    double accuracy = 0.0;
    std::size_t samples = 0;
    double data_loss() const { return loss - penalty; }
};

// One optimiser step's figures: summed cross-entropy, correct predictions, and the penalty at the
// weights the step started from.
struct step_score {
    double loss_sum = 0.0;
    std::size_t correct = 0;
    double penalty = 0.0;
};

struct epoch_record {
    std::size_t epoch = 0;  // 1-based
    metrics train;          // running figures in training mode, as Keras reports them
    metrics validation;     // inference mode; samples == 0 when there is no validation split
    double seconds = 0.0, images_per_second = 0.0, learning_rate = 0.0;
};

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
};

struct history {
    std::vector<epoch_record> epochs;
    std::size_t best_epoch = 0;  // the epoch with the best monitored figure (0 without validation)
    bool stopped_early = false;
};

// Rows: true class, columns: predicted class.
struct confusion_matrix {
    std::size_t classes = 0;
    std::vector<std::size_t> counts;  // classes × classes
    std::size_t at(std::size_t truth, std::size_t predicted) const { return counts[truth * classes + predicted]; }
};

template <class Net, optimizer Optimizer = adam>
class model {
    static_assert(Net::ends_in_softmax, "model<Net>: training uses softmax cross-entropy; end the network in softmax");
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

    // One optimiser step on n samples already in network().input(). Allocates nothing.
    step_score train_step(const std::uint8_t* labels, std::size_t n, std::uint64_t seed) {
        const step_context ctx{mode::train, n, seed, optimizer_.iterations()};
        net_.forward(ctx);
        const kernels::batch_score score = kernels::cross_entropy(n, classes, net_.output(), labels, net_.output_gradient(), n);
        const double penalty = net_.regularization_penalty();
        net_.backward_from_logits(ctx);
        optimizer_.step(net_.trainable_parameters());
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
        order_.resize(train.count);
        history h;
        double best = 0.0;
        const std::size_t batches = (train.count + options.batch_size - 1) / options.batch_size;
        for (std::size_t epoch = 1; epoch <= options.epochs; ++epoch) {
            const auto start = std::chrono::steady_clock::now();
            shuffle(options.seed, epoch);
            epoch_record record;
            record.epoch = epoch;
            record.learning_rate = optimizer_.current_learning_rate();
            double loss_sum = 0.0, penalty_sum = 0.0;  // penalty weighted by batch size, as Keras' running mean
            std::size_t correct = 0, seen = 0;
            for (std::size_t b = 0; b < batches; ++b) {
                const std::size_t first = b * options.batch_size, n = std::min(options.batch_size, train.count - first);
                gather(train, order_.data() + first, n);
                const step_score s = train_step(labels_.data(), n, options.seed);
                loss_sum += s.loss_sum;
                penalty_sum += s.penalty * double(n);
                correct += s.correct;
                seen += n;
                if (options.on_batch)
                    options.on_batch({epoch, options.epochs, b + 1, batches, seen, (loss_sum + penalty_sum) / double(seen),
                                      penalty_sum / double(seen), double(correct) / double(seen), seconds_since(start)});
            }
            record.seconds = seconds_since(start);
            record.train = {(loss_sum + penalty_sum) / double(seen), penalty_sum / double(seen), double(correct) / double(seen), seen};
            record.images_per_second = double(seen) / record.seconds;
            if (validation) record.validation = evaluate(*validation);
            h.epochs.push_back(record);
            if (options.on_epoch_end) options.on_epoch_end(record);
            if (!validation) continue;
            const double figure = options.monitored == monitor::val_loss ? record.validation.loss : -record.validation.accuracy;
            if (h.best_epoch == 0 || figure < best) {
                best = figure;
                h.best_epoch = epoch;
                if (!options.best_weights_path.empty()) save(options.best_weights_path);
            } else if (options.early_stopping_patience && epoch - h.best_epoch >= options.early_stopping_patience) {
                h.stopped_early = true;
                break;
            }
        }
        return h;
    }

    // Loss and accuracy over a whole split, by default in inference mode (moving statistics, no dropout).
    // mode::train shows what training sees (batch statistics, dropout) and leaves the model unchanged.
    // If confusion is given, it receives the counts of (true class, predicted class).
    metrics evaluate(const dataset_view& data, mode phase = mode::inference, confusion_matrix* confusion = nullptr) {
        check_data(data, "evaluation");
        if (confusion) *confusion = {classes, std::vector<std::size_t>(classes * classes, 0)};
        double loss_sum = 0.0;
        std::size_t correct = 0;
        for (std::size_t first = 0; first < data.count; first += net_.max_batch()) {
            const std::size_t n = std::min(net_.max_batch(), data.count - first);
            load_rows(data, first, n);
            std::memcpy(labels_.data(), data.labels + first, n);
            step_context ctx{phase, n, 0, optimizer_.iterations()};
            ctx.update_statistics = false;
            net_.forward(ctx);
            const kernels::batch_score s = kernels::cross_entropy(n, classes, net_.output(), labels_.data(), nullptr, n);
            loss_sum += s.loss_sum;
            correct += s.correct;
            if (confusion)
                for (std::size_t i = 0; i < n; ++i) {
                    const float* p = net_.output() + i * classes;
                    ++confusion->counts[labels_[i] * classes + static_cast<std::size_t>(std::max_element(p, p + classes) - p)];
                }
        }
        const double penalty = net_.regularization_penalty();
        return {loss_sum / double(data.count) + penalty, penalty, double(correct) / double(data.count), data.count};
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
