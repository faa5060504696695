#include "progress.hpp"

#include <fmt/core.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace stag::driver {

namespace {
std::size_t terminal_width() {
    winsize w{};
    if (ioctl(fileno(stderr), TIOCGWINSZ, &w) == 0 && w.ws_col > 0) return w.ws_col;
    if (const char* columns = std::getenv("COLUMNS"); columns && std::atoi(columns) > 0) return static_cast<std::size_t>(std::atoi(columns));
    return 80;
}
}  // namespace

std::string format_duration(double seconds) {
    const long s = std::lround(std::max(0.0, seconds));
    if (s < 60) return fmt::format("{}s", s);
    if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
    return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
}

std::string format_progress_line(const batch_progress& p, std::size_t width, const std::string& context, const std::string& extra) {
    const double eta = p.batch ? p.seconds / double(p.batch) * double(p.batches - p.batch) : 0.0;
    const std::string head = fmt::format("{}Epoch {}/{} {}/{} ", context, p.epoch, p.epochs, p.batch, p.batches);
    std::string tail = fmt::format(" {} ETA {} - {:.0f} img/s - loss: {:.4f}", format_duration(p.seconds), format_duration(eta),
                                   p.samples_seen / std::max(p.seconds, 1e-9), p.running_loss);
    if (p.running_penalty > 0) tail += fmt::format(" (penalty {:.4f})", p.running_penalty);
    tail += fmt::format(" - accuracy: {:.4f}{}", p.running_accuracy, extra);
    const std::size_t limit = width > 1 ? width - 1 : 0;  // the last column would make some terminals wrap
    const std::size_t room = limit > head.size() + tail.size() + 2 ? limit - head.size() - tail.size() - 2 : 0;
    std::string line = head;
    if (room >= 10) {
        const std::size_t bar_width = std::min<std::size_t>(30, room), done = bar_width * p.batch / std::max<std::size_t>(p.batches, 1);
        std::string bar(done, '=');
        if (done < bar_width) bar += '>' + std::string(bar_width - done - 1, '.');
        line += "[" + bar + "]";
    }
    line += tail;
    if (line.size() > limit) line.resize(limit);
    return line;
}

progress_printer::progress_printer(bool enabled, std::string context)
    : enabled_(enabled), terminal_(isatty(fileno(stderr)) != 0), context_(std::move(context)) {}

void progress_printer::on_batch(const batch_progress& p, const std::string& extra) {
    if (!enabled_ || !terminal_) return;
    if (p.batch != p.batches && p.seconds - last_draw_ < 0.1) return;  // redraw at most 10 times a second
    last_draw_ = p.seconds;
    // \r, the line, then clear to the end of the line in case the previous one was longer.
    fmt::print(stderr, "\r{}\x1b[K", format_progress_line(p, terminal_width(), context_, extra));
    std::fflush(stderr);
}

void progress_printer::on_epoch_end(const epoch_record& r) {
    if (enabled_ && terminal_) fmt::print(stderr, "\r\x1b[K");
    last_draw_ = -1.0;
    fmt::print("{}Epoch {}: {:.2f}s, {:.0f} img/s - loss: {:.4f} - accuracy: {:.4f} - val_loss: {:.4f} - val_accuracy: {:.4f}\n",
               context_, r.epoch, r.seconds, r.images_per_second, r.train.loss, r.train.accuracy, r.validation.loss, r.validation.accuracy);
    if (r.train.penalty > 0)
        fmt::print("{}         loss without penalty: {:.4f} (L2 penalty {:.4f}) - val_loss without penalty: {:.4f}\n", context_,
                   r.train.data_loss(), r.train.penalty, r.validation.data_loss());
    std::fflush(stdout);
}

}  // namespace stag::driver
