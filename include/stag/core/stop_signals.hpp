#pragma once
// SIGTERM (a batch scheduler preempting a job) and SIGINT (Ctrl-C) as a request to stop: while a
// stop_on_signals lives, the first such signal is only recorded, for training to notice at its next step
// boundary (fit_options::stop_requested), write a checkpoint and end with 128 + the signal. A second signal
// ends the process at once, as if there were no handler.
#include <signal.h>

#include <csignal>
#include <string>

namespace stag {

class stop_on_signals {
public:
    stop_on_signals() {
        received_ = 0;
        struct sigaction request {};
        request.sa_handler = record;
        request.sa_flags = SA_RESTART;  // reads and writes in progress go on; the step boundary is where to stop
        sigemptyset(&request.sa_mask);
        for (std::size_t i = 0; i < 2; ++i) ::sigaction(handled[i], &request, &previous_[i]);
    }
    ~stop_on_signals() {
        for (std::size_t i = 0; i < 2; ++i) ::sigaction(handled[i], &previous_[i], nullptr);
    }
    stop_on_signals(const stop_on_signals&) = delete;
    stop_on_signals& operator=(const stop_on_signals&) = delete;

    // The signal received since construction, or 0.
    static int received() { return received_; }
    // Whether one was: what fit_options::stop_requested asks.
    static bool requested() { return received_ != 0; }
    // 128 + the signal: the status a shell reports for a process the signal ended.
    static int exit_status() { return 128 + received_; }
    static std::string name() { return received_ == SIGINT ? "SIGINT" : received_ == SIGTERM ? "SIGTERM" : "signal " + std::to_string(received_); }

private:
    static constexpr int handled[2] = {SIGTERM, SIGINT};
    static void record(int signal) {
        if (received_ == 0) {
            received_ = signal;
            return;
        }
        std::signal(signal, SIG_DFL);
        std::raise(signal);
    }
    inline static volatile std::sig_atomic_t received_ = 0;
    struct sigaction previous_[2] {};
};

}  // namespace stag
