#pragma once
// What training reports: per-split figures, per-epoch records and the history of a fit.
#include <cstddef>
#include <vector>

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

// How far an epoch got before a stop (fit_options::stop_requested): its running sums, enough for a resumed
// run to finish it exactly as an uninterrupted one would. batches_done == 0: no epoch in progress.
struct epoch_progress {
    std::size_t batches_done = 0, correct = 0, seen = 0;
    double loss_sum = 0.0, penalty_sum = 0.0;  // penalty weighted by batch size, as Keras' running mean
    double seconds = 0.0, learning_rate = 0.0;
};

struct history {
    std::vector<epoch_record> epochs;
    std::size_t best_epoch = 0;  // the epoch with the best monitored figure (0 without validation)
    bool stopped_early = false;
    std::size_t resumed_epochs = 0;  // the first epochs, restored from the checkpoint the fit resumed from
};

}  // namespace stag
