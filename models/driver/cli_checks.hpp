#pragma once
// Command-line checks shared by the variant binaries and hw4: values are refused in words, with the value
// given, before any work starts (CLI11's own number checks let "nan" through and print type ranges).
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <string>

#include "stag/core/atomic_file.hpp"

namespace stag::driver {

// A number that is finite and above (or at least) zero: CLI11's own checks let "nan" and "inf" through.
inline CLI::Validator finite_number(bool zero_allowed) {
    return CLI::Validator(
        [zero_allowed](std::string& text) -> std::string {
            double v = 0.0;
            if (!CLI::detail::lexical_cast(text, v) || !std::isfinite(v) || v < 0.0 || (!zero_allowed && v == 0.0))
                return "must be a finite number " + std::string(zero_allowed ? "of 0 or more" : "above 0") + ", not '" + text + "'";
            return {};
        },
        zero_allowed ? "FINITE >= 0" : "FINITE > 0");
}

// A whole number in [low, high]; stated in words, not as the type's range.
inline CLI::Validator whole_number(long long low, long long high) {
    return CLI::Validator(
        [low, high](std::string& text) -> std::string {
            long long v = 0;
            if (!CLI::detail::lexical_cast(text, v) || v < low || v > high)
                return fmt::format("must be a whole number from {} to {}, not '{}'", low, high, text);
            return {};
        },
        fmt::format("{}..{}", low, high));
}

// A path an output may be written to: nothing there yet, or a regular file (write_file_atomically refuses the
// rest; checked here too, so a run is refused before it trains rather than after).
inline CLI::Validator replaceable_file() {
    return CLI::Validator(
        [](std::string& path) -> std::string {
            const std::string why = stag::detail::not_replaceable(path);
            return why.empty() ? std::string() : path + " " + why;
        },
        "FILE");
}

}  // namespace stag::driver
