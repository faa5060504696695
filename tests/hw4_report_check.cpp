// hw4_report_check DIR: checks a study folder written by hw4 against its own results.json.
//  - every figure listed in report_figures.json sits at its offset in report.md and equals the value at its
//    pointer in results.json, formatted again here (models/hw4/figures.hpp);
//  - every table row has as many cells as its header, no cell is empty, and every number in a table cell
//    (outside `code`) lies inside such a figure: no table figure is typed in by hand;
//  - every picture the report links exists and is a PNG, and every picture results.json lists is linked;
//    without pictures the report carries the note saying why;
//  - no experiment is missing.
#include <fmt/core.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "hw4/figures.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

int failures = 0;
void fail(const std::string& what) {
    if (++failures <= 40) fmt::print(stderr, "FAIL: {}\n", what);
}

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + p.string());
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

struct span {
    std::size_t begin, end;
};

void check_figures(const std::string& report, const json& figures, const json& results, std::vector<span>& spans) {
    for (const json& f : figures) {
        const std::size_t offset = f["offset"], length = f["length"];
        const std::string text = f["text"], pointer = f["pointer"], format = f["format"];
        if (offset + length > report.size() || report.compare(offset, length, text) != 0) {
            fail(fmt::format("figure {} ({}) is not at offset {} of report.md", pointer, text, offset));
            continue;
        }
        try {
            const std::string again = stag::hw4::format_figure(stag::hw4::figure_at(results, pointer), format);
            if (again != text) fail(fmt::format("report.md shows '{}' for {}, results.json gives '{}'", text, pointer, again));
        } catch (const std::exception& e) {
            fail(fmt::format("figure '{}': {}", text, e.what()));
        }
        spans.push_back({offset, offset + length});
    }
}

bool covered(const std::vector<span>& spans, std::size_t begin, std::size_t end) {
    for (const span& s : spans)
        if (s.begin <= begin && end <= s.end) return true;
    return false;
}

std::vector<std::pair<std::size_t, std::string>> cells_of(const std::string& line, std::size_t line_offset) {
    std::vector<std::pair<std::size_t, std::string>> cells;
    std::size_t at = line.find('|');
    while (at != std::string::npos) {
        const std::size_t next = line.find('|', at + 1);
        if (next == std::string::npos) break;
        cells.emplace_back(line_offset + at + 1, line.substr(at + 1, next - at - 1));
        at = next;
    }
    return cells;
}

std::size_t check_tables(const std::string& report, const std::vector<span>& spans) {
    static const std::regex number(R"((^|[^A-Za-z0-9_.<])([-+]?[0-9][0-9,]*(\.[0-9]+)?))");
    std::size_t tables = 0, header_cells = 0, row_in_table = 0, offset = 0;
    std::istringstream lines(report);
    for (std::string line; std::getline(lines, line); offset += line.size() + 1) {
        if (line.rfind("|", 0) != 0) {
            row_in_table = 0;
            continue;
        }
        const auto cells = cells_of(line, offset);
        if (row_in_table == 0) {
            ++tables;
            header_cells = cells.size();
        } else if (cells.size() != header_cells) {
            fail(fmt::format("table row with {} cells under a header of {}: {}", cells.size(), header_cells, line));
        }
        if (row_in_table >= 2)
            for (const auto& [at, cell] : cells) {
                if (cell.find_first_not_of(' ') == std::string::npos) fail("empty table cell in: " + line);
                // Numbers outside `code` must be figures.
                std::string visible = cell;
                bool in_code = false;
                for (char& c : visible) {
                    if (c == '`') in_code = !in_code;
                    if (in_code || c == '`') c = ' ';
                }
                for (std::sregex_iterator m(visible.begin(), visible.end(), number), end; m != end; ++m) {
                    const std::size_t begin = at + static_cast<std::size_t>(m->position(2));
                    if (!covered(spans, begin, begin + static_cast<std::size_t>(m->length(2))))
                        fail(fmt::format("table cell number '{}' is not a figure from results.json: {}", m->str(2), line));
                }
            }
        ++row_in_table;
    }
    return tables;
}

void check_pictures(const fs::path& dir, const std::string& report, const json& results) {
    static const std::regex image(R"(!\[[^\]]*\]\(([^)]+)\))");
    std::vector<std::string> linked;
    for (std::sregex_iterator m(report.begin(), report.end(), image), end; m != end; ++m) linked.push_back(m->str(1));
    const json& pictures = results["pictures"];
    if (!pictures["drawn"].get<bool>()) {
        if (!linked.empty()) fail("the report links pictures although none were drawn");
        if (pictures["note"].get<std::string>().empty() || report.find(pictures["note"].get<std::string>()) == std::string::npos)
            fail("no pictures, and the report does not say why");
        return;
    }
    for (const std::string& path : linked) {
        const fs::path p = dir / path;
        if (!fs::is_regular_file(p) || fs::file_size(p) < 100) {
            fail("linked picture missing or empty: " + path);
            continue;
        }
        const std::string head = read(p).substr(0, 8);
        if (head != std::string("\x89PNG\r\n\x1a\n", 8)) fail("linked picture is not a PNG: " + path);
    }
    for (const auto& [name, path] : pictures["files"].items())
        if (std::find(linked.begin(), linked.end(), path.get<std::string>()) == linked.end()) fail("picture not linked by the report: " + name);
    if (linked.empty()) fail("pictures were drawn but the report links none");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        fmt::print(stderr, "usage: hw4_report_check STUDY_DIR\n");
        return 2;
    }
    const fs::path dir = argv[1];
    try {
        const std::string report = read(dir / "report.md");
        const json results = json::parse(read(dir / "results.json"));
        const json figures = json::parse(read(dir / "report_figures.json"));
        std::vector<span> spans;
        check_figures(report, figures, results, spans);
        const std::size_t tables = check_tables(report, spans);
        check_pictures(dir, report, results);
        if (!results["missing"].empty()) fail("experiments missing from the study: " + results["missing"].dump());
        if (tables < 6) fail(fmt::format("only {} tables in the report", tables));
        if (!fs::exists(dir / "results.csv") || fs::file_size(dir / "results.csv") < 100) fail("results.csv missing");
        fmt::print("{}: {} figures checked against results.json, {} tables, {} pictures; {} failures\n", (dir / "report.md").string(),
                   figures.size(), tables, results["pictures"]["files"].size(), failures);
    } catch (const std::exception& e) {
        fail(e.what());
    }
    return failures ? 1 : 0;
}
