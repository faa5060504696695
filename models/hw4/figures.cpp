#include "figures.hpp"

#include <fmt/core.h>

#include <cmath>
#include <stdexcept>

#include "stag/core/thousands.hpp"

namespace stag::hw4 {


std::string format_figure(const nlohmann::json& value, std::string_view format) {
    if (format == "str") {
        if (!value.is_string()) throw std::invalid_argument("figure is not a string: " + value.dump());
        return value.get<std::string>();
    }
    if (!value.is_number()) throw std::invalid_argument("figure is not a number: " + value.dump());
    const double v = value.get<double>();
    if (format == "pct") return fmt::format("{:.2f}%", 100.0 * v);
    if (format == "pp") return fmt::format("{:+.2f} pp", 100.0 * v);
    if (format == "f1") return fmt::format("{:.1f}", v);
    if (format == "f2") return fmt::format("{:.2f}", v);
    if (format == "f3") return fmt::format("{:.3f}", v);
    if (format == "f4") return fmt::format("{:.4f}", v);
    if (format == "int") {
        const long long n = std::llround(v);
        return (n < 0 ? "-" : "") + with_thousands(static_cast<std::uint64_t>(n < 0 ? -n : n));
    }
    if (format == "x") return fmt::format("{:.2f}×", v);
    if (format == "sci") return fmt::format("{:.1e}", v);
    if (format == "s") return fmt::format("{:.1f} s", v);
    throw std::invalid_argument("unknown figure format '" + std::string(format) + "'");
}

const nlohmann::json& figure_at(const nlohmann::json& results, const std::string& pointer) {
    const nlohmann::json::json_pointer p(pointer);
    if (!results.contains(p)) throw std::out_of_range("results.json has no figure at " + pointer);
    return results.at(p);
}

}  // namespace stag::hw4
