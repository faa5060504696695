// The binaries as a user meets them, on bad options and hostile inputs: each case must exit non-zero with
// its message in under 2 s, peaking under 300 MB, and write nothing. Runs the real binary (posix_spawn) and
// reads its peak memory from wait4.
#include <catch2/catch.hpp>
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <random>
#include <thread>

#include "../models/part1.hpp"
#include "fixtures.hpp"
#include "recipes.hpp"
#include "stag/core/atomic_file.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;

struct outcome {
    int exit_code = -1;
    std::string output;  // stdout and stderr
    double seconds = 0.0;
    double peak_megabytes = 0.0;
};

// A started command whose stdout and stderr go into a pipe.
struct capturing {
    pid_t pid = 0;
    int output = -1;  // the pipe's read end
};
capturing start_capturing(std::vector<std::string> args) {
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
    pid_t pid = 0;
    REQUIRE(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    return {pid, pipe_fds[0]};
}
// Everything the command writes, until it closes its end.
std::string read_all_output(int fd) {
    std::string output;
    char buffer[4096];
    for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) output.append(buffer, static_cast<std::size_t>(n));
    ::close(fd);
    return output;
}

outcome run(std::vector<std::string> args) {
    const auto start = std::chrono::steady_clock::now();
    const auto [pid, output] = start_capturing(std::move(args));
    outcome o;
    o.output = read_all_output(output);
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

std::string crc32_hex(const std::string& bytes) {
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08x", stag::detail::crc32_of(bytes.data(), bytes.size()));
    return hex;
}

std::size_t temporaries_in(const fs::path& out) {
    std::size_t n = 0;
    for (const auto& entry : fs::directory_iterator(out)) n += entry.path().string().find(".tmp.") != std::string::npos;
    return n;
}

// Every file a killed run may have left must be whole: the weights and checkpoint load and pass their
// checksums, the JSON parses, and a report in place describes the weights beside it.
void check_left_files(const fs::path& out) {
    using net = stag::models::model_relu<4>;
    if (fs::exists(out / "model_relu.weights")) {
        stag::model<net> m(8);
        CHECK_NOTHROW(m.load((out / "model_relu.weights").string()));
    }
    if (fs::exists(out / "model_relu.json")) {
        const nlohmann::json report = nlohmann::json::parse(read_all(out / "model_relu.json"));
        REQUIRE(fs::exists(out / "model_relu.weights"));
        CHECK(report["weights_crc32"] == crc32_hex(read_all(out / "model_relu.weights")));
    }
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
    std::size_t kills = 0, kills_mid_run = 0, mid_write = 0, temporaries_before = 0;
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
                mid_write += temporaries_in(out) > temporaries_before;  // a kill during an atomic write leaves its temporary
                temporaries_before = temporaries_in(out);
                check_left_files(out);
                continue;
            }
        } else {
            ::waitpid(pid, &status, 0);
        }
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && fs::exists(out / "model_relu.json")) break;
        if (fs::exists(out / "model_relu.json")) fs::remove(out / "model_relu.json");  // a run that finished before its kill: again
    }
    std::printf("kill test: uninterrupted run %.2f s; %zu kills, %zu of them after the first checkpoint, %zu during a write\n", full_run,
                kills, kills_mid_run, mid_write);
    CHECK(kills_mid_run >= 20);
    CHECK(temporaries_in(out) == 0);  // what killed writes left, the run that finished removed
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

namespace {
// How a process ended, as a shell reports it (128 + signal for one a signal ended), and whether a signal did.
struct ending {
    int status = -1;
    bool by_signal = false;
};
// Waits (up to 2 s) until `signal` is no longer pending for process `pid`: its handler has run.
void wait_until_delivered(pid_t pid, int signal) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (std::chrono::steady_clock::now() < deadline) {
        std::ifstream status("/proc/" + std::to_string(pid) + "/status");
        std::string line;
        unsigned long long pending = 0;
        while (std::getline(status, line))
            if (line.rfind("ShdPnd:", 0) == 0) pending = std::stoull(line.substr(7), nullptr, 16);
        if (!(pending & (1ull << (signal - 1)))) return;
    }
}

ending wait_for(pid_t pid) {
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    return WIFEXITED(status) ? ending{WEXITSTATUS(status), false} : ending{128 + WTERMSIG(status), true};
}
}  // namespace

TEST_CASE("SIGTERM at random moments: exit 143 with a checkpoint, and --resume finishes with the uninterrupted run's bits",
          "[guards][signals]") {
    const fs::path root = fs::temp_directory_path() / "stag_sigterm_test", data = root / "data";
    fs::remove_all(root);
    stag::recipes::write_xray_example(data, 120);  // 480 training images: 8 steps an epoch
    const auto command = [&](const fs::path& out, bool resume) {
        std::vector<std::string> c{STAG_MODEL_RELU, "--data", data.string(), "--epochs", "400", "--lr", "1e-3", "--no-progress",
                                   "--threads", "2", "--out", out.string()};
        if (resume) c.push_back("--resume");
        return c;
    };
    const auto clock_start = std::chrono::steady_clock::now();
    REQUIRE(run(command(root / "uninterrupted", false)).exit_code == 0);
    const double full_run = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();

    // Each stopped run has trained a little further: moments up to a thirtieth of the run past start-up leave the twenty
    // stops spread over start-up, data loading, steps, validation and checkpoint writes.
    std::mt19937 random(20261204);
    std::uniform_real_distribution<double> moment(0.15, 0.15 + full_run / 30.0);
    const fs::path out = root / "stopped";
    std::size_t stops = 0, finished_first = 0;
    for (int attempt = 0; attempt < 200 && stops < 20; ++attempt) {
        const pid_t pid = start(command(out, fs::exists(out / "model_relu.checkpoint")));
        std::this_thread::sleep_for(std::chrono::duration<double>(moment(random)));
        ::kill(pid, SIGTERM);
        const ending e = wait_for(pid);
        if (e.status == 0) {  // it finished before the signal: start again from its checkpoint's state
            ++finished_first;
            fs::remove(out / "model_relu.json");
            continue;
        }
        INFO("stop " << stops + 1);
        CHECK(e.status == 143);
        CHECK_FALSE(e.by_signal);
        CHECK(fs::exists(out / "model_relu.checkpoint"));
        ++stops;
    }
    std::printf("SIGTERM test: uninterrupted run %.2f s; %zu stops, %zu runs finished before their signal\n", full_run, stops, finished_first);
    CHECK(stops == 20);
    REQUIRE(run(command(out, true)).exit_code == 0);
    CHECK(read_all(out / "model_relu.weights") == read_all(root / "uninterrupted" / "model_relu.weights"));
    CHECK(history_without_timings(out / "model_relu.json") == history_without_timings(root / "uninterrupted" / "model_relu.json"));
    check_left_files(out);
}

TEST_CASE("SIGINT stops a run with a checkpoint and the command that continues it, a second signal ends it at once", "[guards][signals]") {
    const fs::path root = fs::temp_directory_path() / "stag_second_signal_test";
    fs::remove_all(root);
    const std::vector<std::string> command{STAG_MODEL_RELU, "--data", fixtures + "/xray_good", "--epochs", "100000", "--no-progress",
                                           "--out", (root / "out").string()};
    // One signal: a checkpoint, the resume command, 130.
    const capturing stopped = start_capturing(command);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ::kill(stopped.pid, SIGINT);
    const std::string output = read_all_output(stopped.output);
    const ending first = wait_for(stopped.pid);
    INFO(output);
    CHECK(first.status == 130);
    CHECK_THAT(output, Catch::Contains("SIGINT: training stopped at epoch "));
    CHECK_THAT(output, Catch::Contains("to continue: " + std::string(STAG_MODEL_RELU) + " --data " + fixtures + "/xray_good --epochs 100000 "
                                       "--no-progress --out " + (root / "out").string() + " --resume\n"));
    CHECK(fs::exists(root / "out" / "model_relu.checkpoint"));

    // A second signal, sent as soon as the first has been delivered (two pending signals would merge into
    // one), ends the process by its default action: here while it loads Fashion-MNIST, before any step.
    fs::remove_all(root / "out");
    const pid_t impatient = start({STAG_MODEL_RELU, "--limit", "100", "--no-progress", "--out", (root / "out").string()});
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    ::kill(impatient, SIGTERM);
    wait_until_delivered(impatient, SIGTERM);
    ::kill(impatient, SIGTERM);
    const ending second = wait_for(impatient);
    CHECK(second.by_signal);
    CHECK(second.status == 143);
}

TEST_CASE("outputs never replace a device, a directory or a symbolic link, and each refusal names the path", "[guards][outputs]") {
    const fs::path dir = fs::temp_directory_path() / "stag_output_targets";
    fs::remove_all(dir);
    fs::create_directories(dir / "a_directory");
    // A device node of the test's own (the same device as /dev/null), never a system one; without the
    // right to create one (not root), a named pipe stands in for it.
    const fs::path device = dir / "device";
    const bool is_device = ::mknod(device.c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0;
    if (!is_device) REQUIRE(::mkfifo(device.c_str(), 0666) == 0);
    if (!is_device) WARN("mknod not permitted here: a named pipe stands in for the device node");
    std::ofstream(dir / "linked_file") << "the link's target";
    fs::create_symlink(dir / "linked_file", dir / "a_link");
    const auto node_type = [](const fs::path& p) { return fs::symlink_status(p).type(); };
    const fs::file_type device_type = node_type(device);

    const std::pair<fs::path, std::string> targets[] = {{device, is_device ? "is a character device" : "is a named pipe"},
                                                         {dir / "a_directory", "is a directory"},
                                                         {dir / "a_link", "is a symbolic link (to " + (dir / "linked_file").string()}};
    for (const auto& [target, what] : targets) {
        INFO(target);
        // The library: write_file_atomically refuses, leaving the node as it was.
        try {
            stag::write_file_atomically(target.string(), "bytes");
            FAIL("written");
        } catch (const stag::file_error& e) {
            CHECK(e.path() == target.string());
            CHECK_THAT(e.what(), Catch::Contains(what));
        }
        // The binaries: before any work, exit code 2.
        refuses({"--data", fixtures + "/xray_good", "--export-weights", target.string()}, 2, "--export-weights: " + target.string() + " " + what);
        refuses({"--data", fixtures + "/xray_good", "--export-onnx", target.string()}, 2, target.string() + " " + what);
    }
    CHECK(node_type(device) == device_type);
    CHECK(fs::is_directory(dir / "a_directory"));
    CHECK(fs::is_empty(dir / "a_directory"));
    CHECK(fs::is_symlink(dir / "a_link"));
    CHECK(read_all(dir / "linked_file") == "the link's target");
    CHECK(temporaries_in(dir) == 0);
}

TEST_CASE("a resume is refused for changed data, fewer epochs, other settings or a directory as checkpoint", "[guards][checkpoint]") {
    const fs::path root = fs::temp_directory_path() / "stag_resume_checks", data = root / "data", out = root / "out";
    fs::remove_all(root);
    stag::recipes::write_xray_example(data, 8);
    const auto command = [&](std::vector<std::string> extra) {
        std::vector<std::string> c{STAG_MODEL_RELU, "--data", data.string(), "--checkpoint-every", "1", "--no-progress", "--out", out.string()};
        c.insert(c.end(), extra.begin(), extra.end());
        return c;
    };
    REQUIRE(run(command({"--epochs", "2"})).exit_code == 0);
    const std::string checkpoint = read_all(out / "model_relu.checkpoint");
    const auto refused = [&](std::vector<std::string> extra, const std::string& message) {
        const outcome o = run(command(extra));
        INFO(o.output);
        CHECK(o.exit_code == 1);
        CHECK_THAT(o.output, Catch::Contains((out / "model_relu.checkpoint").string() + ": " + message));
        CHECK(read_all(out / "model_relu.checkpoint") == checkpoint);  // a refused resume changes nothing
    };
    refused({"--epochs", "1", "--resume"}, "checkpoint holds 2 epochs and this run has 1; resume with at least 2 epochs");
    refused({"--epochs", "3", "--lr", "1e-3", "--resume"}, "checkpoint was written by a run with other settings:\n  learning_rate: 1e-05 in the checkpoint, 0.001 in this run\n");

    // One training image relabelled (its class letter changed): the same file count, other labels.
    fs::path relabelled;
    for (const auto& entry : fs::directory_iterator(data / "train"))
        if (entry.path().stem().string().back() == 'b') relabelled = entry.path();
    REQUIRE(!relabelled.empty());
    std::string name = "relabelled_" + relabelled.filename().string();  // a name no other file has
    name[name.size() - 5] = 'c';
    fs::rename(relabelled, relabelled.parent_path() / name);
    const outcome changed = run(command({"--epochs", "3", "--resume"}));
    INFO(changed.output);
    CHECK(changed.exit_code == 1);
    CHECK_THAT(changed.output, Catch::Matches("[\\s\\S]*other settings:\n  [^\n]*train split: 32 images, CRC-32 [0-9a-f]{8} in the checkpoint, 32 "
                                              "images, CRC-32 [0-9a-f]{8} in this run\n[\\s\\S]*",
                                              Catch::CaseSensitive::Yes));
    CHECK_THAT(changed.output, !Catch::Contains("validation split"));  // only the split that changed

    fs::remove(out / "model_relu.checkpoint");
    fs::create_directory(out / "model_relu.checkpoint");
    const outcome directory = run(command({"--epochs", "3", "--resume"}));
    CHECK(directory.exit_code == 1);
    CHECK_THAT(directory.output, Catch::Contains((out / "model_relu.checkpoint").string() + ": is a directory, not a checkpoint file"));
    const outcome weights = run(command({"--epochs", "3", "--weights", (out / "model_relu.checkpoint").string()}));
    CHECK(weights.exit_code == 1);
    CHECK_THAT(weights.output, Catch::Contains((out / "model_relu.checkpoint").string() + ": is a directory, not a weights file"));
}

TEST_CASE("killed during its final save, a run never leaves a report beside another run's weights", "[guards][outputs]") {
    const fs::path root = fs::temp_directory_path() / "stag_final_save_test", data = root / "data", out = root / "out";
    fs::remove_all(root);
    stag::recipes::write_xray_example(data, 40);
    // Two runs that differ (their seeds), alternately into the same folder, each killed at a random moment of
    // its second half, where it evaluates and saves: a report and weights from different runs would show.
    const auto command = [&](int seed) {
        return std::vector<std::string>{STAG_MODEL_RELU, "--data", data.string(), "--epochs", "2", "--seed", std::to_string(seed),
                                        "--export-onnx", (out / "model_relu.onnx").string(), "--no-progress", "--out", out.string()};
    };
    const auto clock_start = std::chrono::steady_clock::now();
    REQUIRE(run(command(1)).exit_code == 0);
    const double full_run = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
    std::mt19937 random(20261205);
    std::uniform_real_distribution<double> moment(0.5 * full_run, 1.1 * full_run);
    std::size_t kills = 0, without_report = 0;
    for (int attempt = 0; kills < 20 && attempt < 100; ++attempt) {
        const pid_t pid = start(command(2 + attempt % 2));
        std::this_thread::sleep_for(std::chrono::duration<double>(moment(random)));
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            ++kills;
            without_report += !fs::exists(out / "model_relu.json");
        }
        check_left_files(out);
    }
    std::printf("final-save kill test: run %.2f s; %zu kills, %zu of them left weights without a report\n", full_run, kills, without_report);
    CHECK(kills == 20);
    REQUIRE(run(command(1)).exit_code == 0);
    check_left_files(out);
    CHECK(temporaries_in(out) == 0);
}
