// The binaries as a user meets them, on bad options and hostile inputs: each case must exit non-zero with
// its message in under 2 s, peaking under 300 MB, and write nothing. Runs the real binary (posix_spawn) and
// reads its peak memory from wait4.
#include <catch2/catch.hpp>
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <random>
#include <thread>

#include "../models/part1.hpp"
#include "fixtures.hpp"
#include "recipes.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;

struct outcome {
    int exit_code = -1;
    std::string output;  // stdout and stderr
    double seconds = 0.0;
    double peak_megabytes = 0.0;
};

outcome run(std::vector<std::string> args) {
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const auto start = std::chrono::steady_clock::now();
    pid_t pid = 0;
    REQUIRE(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    outcome o;
    char buffer[4096];
    for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) o.output.append(buffer, static_cast<std::size_t>(n));
    ::close(pipe_fds[0]);
    int status = 0;
    rusage usage{};
    REQUIRE(::wait4(pid, &status, 0, &usage) == pid);
    o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    o.peak_megabytes = double(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KB on Linux
    return o;
}

pid_t start(std::vector<std::string> args) {
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    REQUIRE(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&actions);
    return pid;
}

std::size_t files_in(const fs::path& dir) {
    if (!fs::is_directory(dir)) return 0;
    return static_cast<std::size_t>(std::distance(fs::recursive_directory_iterator(dir), fs::recursive_directory_iterator()));
}

// Runs model_relu with args; the run must fail with `exit_code` and `message`, fast, small, writing nothing.
void refuses(std::vector<std::string> args, int exit_code, const std::string& message) {
    const fs::path out = fs::temp_directory_path() / "stag_guard_out";
    fs::remove_all(out);
    std::vector<std::string> command{STAG_MODEL_RELU, "--no-progress", "--out", out.string()};
    command.insert(command.end(), args.begin(), args.end());
    const outcome o = run(command);
    INFO("model_relu " << Catch::Detail::stringify(args) << "\n" << o.output);
    CHECK(o.exit_code == exit_code);
    CHECK_THAT(o.output, Catch::Contains(message));
    CHECK(o.seconds < 2.0);
    CHECK(o.peak_megabytes < 300.0);
    CHECK(files_in(out) == 0);
}

const std::string fixtures = STAG_FIXTURES;

}  // namespace

TEST_CASE("options out of range are refused before any work, exit code 2", "[guards][cli]") {
    refuses({"--lr", "nan"}, 2, "--lr: must be a finite number above 0, not 'nan'");
    refuses({"--lr", "inf"}, 2, "--lr: must be a finite number above 0");
    refuses({"--lr", "-1e-3"}, 2, "--lr: must be a finite number above 0");
    refuses({"--decay", "nan"}, 2, "--decay: must be a finite number of 0 or more");
    refuses({"--threads", "-1"}, 2, "--threads: must be a whole number from 1 to 4096, not '-1'");
    refuses({"--seed", "-1"}, 2, "--seed: must be a whole number from 0");
    refuses({"--epochs", "0"}, 2, "--epochs: must be a whole number from 1 to 1000000, not '0'");
    refuses({"--batch-size", "5000"}, 2, "--batch-size: must be a whole number from 1 to 4096");
    refuses({"--limit", "-5"}, 2, "--limit: must be a whole number from 0");
}

TEST_CASE("an unusable --out is refused before any data is read, exit code 2", "[guards][cli]") {
    const fs::path file = fs::temp_directory_path() / "stag_guard_a_file";
    std::ofstream(file) << "not a folder";
    refuses({"--out", file.string()}, 2, "exists and is not a folder");
    refuses({"--out", "/proc/stag"}, 2, "--out /proc/stag: cannot create the folder");
    refuses({"--out", ""}, 2, "must not be empty");
}

TEST_CASE("hostile files are refused before they are allocated or inflated, exit code 1", "[guards][data]") {
    refuses({"--data", fixtures + "/xray_huge_header"}, 1, "huge_b.png: PNG header claims 65535x65535 pixels");
    refuses({"--data", fixtures + "/idx_bomb_surplus"}, 1, "train-images-idx3-ubyte.gz: holds more data than its header promises");
    refuses({"--data", fixtures + "/idx_bomb_header"}, 1, "not a plausible IDX file");
}

TEST_CASE("a diverging run stops at once, naming epoch, step and layer, exit code 1", "[guards][numerics]") {
    refuses({"--data", fixtures + "/xray_good", "--lr", "1e9"}, 1,
            "training diverged at epoch 2, step 2 (batch 1 of 1): the logits have blown up beyond ±1e8");
    refuses({"--data", fixtures + "/xray_good", "--lr", "1e9"}, 1, "entry 3 (relu), fused into entry 2 (dense<300, he_normal>)");
}

namespace {
std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// The history without its timings, which no two runs share.
nlohmann::json history_without_timings(const fs::path& report) {
    nlohmann::json h = nlohmann::json::parse(read_all(report))["history"];
    for (auto& e : h) {
        e.erase("seconds");
        e.erase("images_per_second");
    }
    return h;
}

// Every file a killed run may have left must be whole: the weights and checkpoint load and pass their
// checksums, the JSON parses.
void check_left_files(const fs::path& out) {
    using net = stag::models::model_relu<4>;
    if (fs::exists(out / "model_relu.weights")) {
        stag::model<net> m(8);
        CHECK_NOTHROW(m.load((out / "model_relu.weights").string()));
    }
    if (fs::exists(out / "model_relu.json")) CHECK_NOTHROW(nlohmann::json::parse(read_all(out / "model_relu.json")));
    if (fs::exists(out / "model_relu.checkpoint")) {
        const std::string bytes = read_all(out / "model_relu.checkpoint");
        REQUIRE(bytes.size() > 12);
        CHECK(bytes.compare(0, 8, "STAGCKPT") == 0);
        std::uint32_t stored;
        std::memcpy(&stored, bytes.data() + bytes.size() - 4, 4);
        CHECK(stag::detail::crc32_of(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size() - 4) == stored);
    }
}
}  // namespace

TEST_CASE("a run killed at random moments resumes to the same weights and history", "[guards][checkpoint]") {
    const fs::path root = fs::temp_directory_path() / "stag_kill_test", data = root / "data";
    fs::remove_all(root);
    stag::recipes::write_xray_example(data, 40);  // 160 images per split: 3 steps an epoch
    const auto command = [&](const fs::path& out, bool resume) {
        std::vector<std::string> c{STAG_MODEL_RELU, "--data", data.string(), "--epochs", "200", "--lr", "1e-3", "--checkpoint-every", "1",
                                   "--no-progress", "--threads", "2", "--out", out.string()};
        if (resume) c.push_back("--resume");
        return c;
    };
    const auto clock_start = std::chrono::steady_clock::now();
    const outcome uninterrupted = run(command(root / "uninterrupted", false));
    REQUIRE(uninterrupted.exit_code == 0);
    const double full_run = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();

    // Kill moments spread over the run, so kills land during start-up, epochs and checkpoint writes alike;
    // only kills after the first checkpoint count towards the twenty.
    std::mt19937 random(20261128);
    std::uniform_real_distribution<double> moment(0.0, full_run / 15.0);
    const fs::path out = root / "killed";
    std::size_t kills = 0, kills_mid_run = 0;
    for (int attempt = 0; attempt < 400; ++attempt) {
        const bool resume = fs::exists(out / "model_relu.checkpoint");
        const pid_t pid = start(command(out, resume));
        int status = 0;
        if (kills_mid_run < 20) {
            std::this_thread::sleep_for(std::chrono::duration<double>(moment(random)));
            if (::waitpid(pid, &status, WNOHANG) == 0) {
                ::kill(pid, SIGKILL);
                ::waitpid(pid, &status, 0);
                ++kills;
                kills_mid_run += resume;
                check_left_files(out);
                continue;
            }
        } else {
            ::waitpid(pid, &status, 0);
        }
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && fs::exists(out / "model_relu.json")) break;
        if (fs::exists(out / "model_relu.json")) fs::remove(out / "model_relu.json");  // a run that finished before its kill: again
    }
    // A kill during an atomic write leaves its temporary file (never read): the count shows how many landed there.
    std::size_t mid_write = 0;
    for (const auto& entry : fs::directory_iterator(out)) mid_write += entry.path().string().find(".tmp.") != std::string::npos;
    std::printf("kill test: uninterrupted run %.2f s; %zu kills, %zu of them after the first checkpoint, %zu during a write\n", full_run,
                kills, kills_mid_run, mid_write);
    CHECK(kills_mid_run >= 20);
    REQUIRE(fs::exists(out / "model_relu.weights"));
    check_left_files(out);
    CHECK(read_all(out / "model_relu.weights") == read_all(root / "uninterrupted" / "model_relu.weights"));
    CHECK(history_without_timings(out / "model_relu.json") == history_without_timings(root / "uninterrupted" / "model_relu.json"));
    // The finishing run timed only the epochs after those it restored.
    const auto resumed_epochs = [&](const fs::path& report) {
        return nlohmann::json::parse(read_all(report))["timings"]["resumed_epochs"].get<std::size_t>();
    };
    CHECK(resumed_epochs(root / "uninterrupted" / "model_relu.json") == 0);
    CHECK(resumed_epochs(out / "model_relu.json") >= 1);
}
