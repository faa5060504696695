#pragma once
// Keras-like live progress: on a terminal one line redrawn in place (never wider than the terminal, so
// it never wraps), with the epoch's ETA; otherwise nothing until the per-epoch summary line.
#include <cstddef>
#include <string>

#include "stag/graph/model.hpp"

namespace stag::driver {

// "12s", "4m10s", "1h02m".
std::string format_duration(double seconds);

// The live line for batch p, at most width − 1 characters: the bar shrinks, then the line is cut.
// `context` comes first (e.g. the study's "[3/18 cnn_half]"), `extra` last (e.g. the study's ETA).
std::string format_progress_line(const batch_progress& p, std::size_t width, const std::string& context = {},
                                 const std::string& extra = {});

class progress_printer {
public:
    explicit progress_printer(bool enabled, std::string context = {});
    void on_batch(const batch_progress& p, const std::string& extra = {});
    void on_epoch_end(const epoch_record& r);

private:
    bool enabled_, terminal_;
    std::string context_;
    double last_draw_ = -1.0;
};

}  // namespace stag::driver
