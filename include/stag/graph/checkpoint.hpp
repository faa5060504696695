#pragma once
// Checkpoint files (docs/formats.md): the whole state of a training run, so that a killed run resumes to
// the bitwise-identical weights and history of one never interrupted — every tensor, the optimiser's
// state and step count, the history of the epochs done, the running sums of an epoch stopped part way,
// and a run key (the settings the run was started with, one `name=value` a line: a checkpoint of another
// run is refused, naming the settings that differ). Shuffles and dropout masks are keyed by (seed, epoch) and
// (seed, step), so nothing else needs saving. Written atomically; verified by a CRC-32 before any use.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "stag/graph/history.hpp"
#include "stag/graph/serialization.hpp"

namespace stag {

inline constexpr char checkpoint_magic[8] = {'S', 'T', 'A', 'G', 'C', 'K', 'P', 'T'};
inline constexpr std::uint32_t checkpoint_version = 2;

namespace detail {

inline void write_tensors(byte_writer& w, const std::vector<parameter_ref>& tensors) {
    w.u32(static_cast<std::uint32_t>(tensors.size()));
    for (const parameter_ref& t : tensors) {
        w.str(t.name);
        w.u64(t.size);
        w.raw(t.value, t.size * sizeof(float));
    }
}

// Checks names and sizes against `tensors`; copies the values only when `copy` (after every check passed).
inline void read_tensors(byte_reader& r, const std::vector<parameter_ref>& tensors, bool copy, const std::string& path) {
    if (const std::uint32_t count = r.u32(); count != tensors.size())
        throw file_error(path, "checkpoint has " + std::to_string(count) + " tensors where the run has " + std::to_string(tensors.size()));
    for (const parameter_ref& t : tensors) {
        const std::string name = r.str();
        const std::uint64_t size = r.u64();
        if (name != t.name || size != t.size) throw file_error(path, "checkpoint tensor " + name + " where the run has " + t.name);
        if (copy) r.raw(t.value, t.size * sizeof(float));
        else r.skip(t.size * sizeof(float));
    }
}

inline void write_metrics(byte_writer& w, const metrics& m) {
    for (double v : {m.loss, m.penalty, m.accuracy}) w.raw(&v, sizeof v);
    w.u64(m.samples);
}
inline metrics read_metrics(byte_reader& r) {
    metrics m;
    for (double* v : {&m.loss, &m.penalty, &m.accuracy}) r.raw(v, sizeof *v);
    m.samples = r.u64();
    return m;
}

// The lines of two run keys that differ, by setting: "name: old in the checkpoint, new in this run".
inline std::string run_key_differences(const std::string& stored, const std::string& current) {
    const auto settings = [](const std::string& key) {
        std::vector<std::pair<std::string, std::string>> lines;
        for (std::size_t at = 0; at < key.size();) {
            const std::size_t end = std::min(key.find('\n', at), key.size()), equals = key.find('=', at);
            const std::size_t split = equals < end ? equals : end;
            lines.emplace_back(key.substr(at, split - at), split < end ? key.substr(split + 1, end - split - 1) : "");
            at = end + 1;
        }
        return lines;
    };
    const auto stored_settings = settings(stored), current_settings = settings(current);
    const auto value_in = [](const auto& lines, const std::string& name) -> const std::string* {
        for (const auto& [n, v] : lines)
            if (n == name) return &v;
        return nullptr;
    };
    std::string out;
    for (const auto& [name, value] : stored_settings) {
        const std::string* now = value_in(current_settings, name);
        if (!now) out += "\n  " + name + ": " + value + " in the checkpoint, not a setting of this run";
        else if (*now != value) out += "\n  " + name + ": " + value + " in the checkpoint, " + *now + " in this run";
    }
    for (const auto& [name, value] : current_settings)
        if (!value_in(stored_settings, name)) out += "\n  " + name + ": " + value + " in this run, not in the checkpoint";
    return out;
}

}  // namespace detail

struct checkpoint_state {
    std::uint64_t iterations = 0;
    history past;             // the epochs done
    epoch_progress progress;  // the epoch after them, if it was stopped part way
};

inline void save_checkpoint(const std::string& path, const std::string& signature, const std::string& run_key,
                            const std::vector<parameter_ref>& tensors, const std::vector<parameter_ref>& optimizer_state,
                            const checkpoint_state& state) {
    detail::byte_writer w;
    w.raw(checkpoint_magic, sizeof checkpoint_magic);
    w.u32(checkpoint_version);
    w.str(signature);
    w.str(run_key);
    w.u64(state.iterations);
    w.u64(state.past.best_epoch);
    w.u32(state.past.stopped_early ? 1 : 0);
    w.u32(static_cast<std::uint32_t>(state.past.epochs.size()));
    for (const epoch_record& e : state.past.epochs) {
        w.u64(e.epoch);
        detail::write_metrics(w, e.train);
        detail::write_metrics(w, e.validation);
        for (double v : {e.seconds, e.images_per_second, e.learning_rate}) w.raw(&v, sizeof v);
    }
    const epoch_progress& p = state.progress;
    for (std::size_t v : {p.batches_done, p.correct, p.seen}) w.u64(v);
    for (double v : {p.loss_sum, p.penalty_sum, p.seconds, p.learning_rate}) w.raw(&v, sizeof v);
    detail::write_tensors(w, tensors);
    detail::write_tensors(w, optimizer_state);
    w.u32(detail::crc32_of(w.bytes().data(), w.bytes().size()));
    write_file_atomically(path, {reinterpret_cast<const char*>(w.bytes().data()), w.bytes().size()});
}

// Checks a checkpoint's bytes whole (magic, version, checksum, network, run key, every tensor's name and
// size) before it changes anything; then fills the tensors and returns the step count and history.
inline checkpoint_state parse_checkpoint(const std::vector<unsigned char>& bytes, const std::string& path, const std::string& signature,
                                         const std::string& run_key, const std::vector<parameter_ref>& tensors,
                                         const std::vector<parameter_ref>& optimizer_state) {
    if (bytes.size() < sizeof checkpoint_magic + 8 || std::memcmp(bytes.data(), checkpoint_magic, sizeof checkpoint_magic) != 0)
        throw file_error(path, "not a stag checkpoint (bad magic)");
    std::uint32_t stored_crc;
    std::memcpy(&stored_crc, bytes.data() + bytes.size() - 4, 4);
    if (detail::crc32_of(bytes.data(), bytes.size() - 4) != stored_crc) throw file_error(path, "checkpoint is damaged (checksum mismatch)");
    for (const bool copy : {false, true}) {  // a dry run checks everything, then the real one copies
        detail::byte_reader r(bytes, bytes.size() - 4, path, "checkpoint");
        r.skip(sizeof checkpoint_magic);
        if (const std::uint32_t version = r.u32(); version != checkpoint_version)
            throw file_error(path, "checkpoint format version " + std::to_string(version) + ", this build reads " + std::to_string(checkpoint_version));
        if (const std::string stored = r.str(); stored != signature)
            throw file_error(path, "checkpoint belongs to another network:\n  file:    " + stored + "\n  network: " + signature);
        if (const std::string stored = r.str(); stored != run_key)
            throw file_error(path, "checkpoint was written by a run with other settings:" + detail::run_key_differences(stored, run_key));
        checkpoint_state state;
        state.iterations = r.u64();
        state.past.best_epoch = r.u64();
        state.past.stopped_early = r.u32() != 0;
        const std::uint32_t epochs = r.u32();
        if (epochs > r.remaining()) throw file_error(path, "checkpoint is truncated");
        for (std::uint32_t i = 0; i < epochs; ++i) {
            epoch_record e;
            e.epoch = r.u64();
            e.train = detail::read_metrics(r);
            e.validation = detail::read_metrics(r);
            for (double* v : {&e.seconds, &e.images_per_second, &e.learning_rate}) r.raw(v, sizeof *v);
            state.past.epochs.push_back(e);
        }
        epoch_progress& p = state.progress;
        for (std::size_t* v : {&p.batches_done, &p.correct, &p.seen}) *v = r.u64();
        for (double* v : {&p.loss_sum, &p.penalty_sum, &p.seconds, &p.learning_rate}) r.raw(v, sizeof *v);
        detail::read_tensors(r, tensors, copy, path);
        detail::read_tensors(r, optimizer_state, copy, path);
        if (r.remaining() != 0) throw file_error(path, "checkpoint has the wrong length");
        if (copy) return state;
    }
    return {};
}

inline checkpoint_state load_checkpoint(const std::string& path, const std::string& signature, const std::string& run_key,
                                        const std::vector<parameter_ref>& tensors, const std::vector<parameter_ref>& optimizer_state) {
    return parse_checkpoint(detail::read_bytes(path, "checkpoint"), path, signature, run_key, tensors, optimizer_state);
}

}  // namespace stag
