#pragma once
// Weight files (docs/formats.md): a header naming the network's signature and every tensor's name and
// size, the tensors as little-endian float32, then a CRC-32 of everything before it. A file written by
// another network, truncated or altered is refused with the reason.
#include <zlib.h>

#include <bit>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "stag/core/atomic_file.hpp"
#include "stag/core/error.hpp"
#include "stag/core/parameter.hpp"

namespace stag {

inline constexpr char weights_magic[8] = {'S', 'T', 'A', 'G', 'W', 'T', 'S', '\n'};
inline constexpr std::uint32_t weights_version = 1;

namespace detail {

class byte_writer {
public:
    void raw(const void* p, std::size_t n) {
        const auto* b = static_cast<const unsigned char*>(p);
        bytes_.insert(bytes_.end(), b, b + n);
    }
    void u32(std::uint32_t v) { raw(&v, sizeof v); }
    void u64(std::uint64_t v) { raw(&v, sizeof v); }
    void str(const std::string& s) {
        u32(static_cast<std::uint32_t>(s.size()));
        raw(s.data(), s.size());
    }
    std::vector<unsigned char>& bytes() { return bytes_; }

private:
    std::vector<unsigned char> bytes_;
};

class byte_reader {
public:
    // `what` names the kind of file in errors ("weights file", "checkpoint").
    byte_reader(const std::vector<unsigned char>& bytes, std::size_t end, const std::string& path, std::string what = "weights file")
        : bytes_(bytes), end_(end), path_(path), what_(std::move(what)) {}
    void raw(void* p, std::size_t n) {
        if (n > end_ - at_) throw file_error(path_, what_ + " is truncated");
        std::memcpy(p, bytes_.data() + at_, n);
        at_ += n;
    }
    std::uint32_t u32() { std::uint32_t v; raw(&v, sizeof v); return v; }
    std::uint64_t u64() { std::uint64_t v; raw(&v, sizeof v); return v; }
    std::string str() {
        const std::uint32_t n = u32();
        if (n > end_ - at_) throw file_error(path_, what_ + " is truncated");
        std::string s(reinterpret_cast<const char*>(bytes_.data() + at_), n);
        at_ += n;
        return s;
    }
    void skip(std::size_t n) {
        if (n > end_ - at_) throw file_error(path_, what_ + " is truncated");
        at_ += n;
    }
    std::size_t remaining() const { return end_ - at_; }

private:
    const std::vector<unsigned char>& bytes_;
    std::size_t end_, at_ = 0;
    const std::string& path_;
    std::string what_;
};

// zlib's CRC-32 of n bytes; `running` continues the CRC of the bytes before them.
inline std::uint32_t crc32_of(const void* p, std::size_t n, std::uint32_t running = 0) {
    return static_cast<std::uint32_t>(::crc32_z(running, static_cast<const Bytef*>(p), n));
}

// A whole file's bytes; `what` names the kind of file in errors.
inline std::vector<unsigned char> read_bytes(const std::string& path, const std::string& what) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw file_error(path, "is a directory, not a " + what + " file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw file_error(path, "cannot open " + what + " file");
    try {
        return std::vector<unsigned char>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    } catch (const std::exception& e) {  // libstdc++ reports a failed read from inside the iterator
        throw file_error(path, "cannot read " + what + " file (" + e.what() + ")");
    }
}

}  // namespace detail

inline void save_weights(const std::string& path, const std::string& signature, const std::vector<parameter_ref>& tensors) {
    static_assert(std::endian::native == std::endian::little, "weight files are little-endian");
    detail::byte_writer w;
    w.raw(weights_magic, sizeof weights_magic);
    w.u32(weights_version);
    w.str(signature);
    w.u32(static_cast<std::uint32_t>(tensors.size()));
    for (const parameter_ref& t : tensors) {
        w.str(t.name);
        w.u64(t.size);
    }
    for (const parameter_ref& t : tensors) w.raw(t.value, t.size * sizeof(float));
    w.u32(detail::crc32_of(w.bytes().data(), w.bytes().size()));
    write_file_atomically(path, {reinterpret_cast<const char*>(w.bytes().data()), w.bytes().size()});
}

// The signature stored in a weights file (which network wrote it), after checking magic and version.
inline std::string read_weights_signature(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw file_error(path, "cannot open weights file");
    std::vector<unsigned char> head(sizeof weights_magic + 8);
    in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
    if (!in || std::memcmp(head.data(), weights_magic, sizeof weights_magic) != 0) throw file_error(path, "not a stag weights file (bad magic)");
    detail::byte_reader r(head, head.size(), path);
    char magic[sizeof weights_magic];
    r.raw(magic, sizeof magic);
    if (const std::uint32_t version = r.u32(); version != weights_version)
        throw file_error(path, "weights format version " + std::to_string(version) + ", this build reads version " +
                                   std::to_string(weights_version));
    const std::uint32_t length = r.u32();
    if (length > std::filesystem::file_size(path) - head.size()) throw file_error(path, "weights file is truncated");
    std::string signature(length, '\0');
    if (!in.read(signature.data(), static_cast<std::streamsize>(length))) throw file_error(path, "weights file is truncated");
    return signature;
}

// Reads a weights file's bytes into `tensors` only once all of it has been checked: a refused file changes
// nothing. `path` names the file in errors.
inline void parse_weights(const std::vector<unsigned char>& bytes, const std::string& path, const std::string& signature,
                          const std::vector<parameter_ref>& tensors) {
    if (bytes.size() < sizeof weights_magic + 8 || std::memcmp(bytes.data(), weights_magic, sizeof weights_magic) != 0)
        throw file_error(path, "not a stag weights file (bad magic)");
    std::uint32_t stored_crc;
    std::memcpy(&stored_crc, bytes.data() + bytes.size() - 4, 4);
    detail::byte_reader r(bytes, bytes.size() - 4, path);
    char magic[sizeof weights_magic];
    r.raw(magic, sizeof magic);
    if (const std::uint32_t version = r.u32(); version != weights_version)
        throw file_error(path, "weights format version " + std::to_string(version) + ", this build reads version " +
                                   std::to_string(weights_version));
    if (const std::string stored = r.str(); stored != signature)
        throw file_error(path, "weights belong to another network:\n  file:    " + stored + "\n  network: " + signature);
    if (detail::crc32_of(bytes.data(), bytes.size() - 4) != stored_crc)
        throw file_error(path, "weights file is damaged (checksum mismatch)");
    if (const std::uint32_t count = r.u32(); count != tensors.size())
        throw file_error(path, "weights file has " + std::to_string(count) + " tensors, the network " + std::to_string(tensors.size()));
    for (const parameter_ref& t : tensors) {
        const std::string name = r.str();
        const std::uint64_t size = r.u64();
        if (name != t.name || size != t.size)
            throw file_error(path, "tensor " + name + " (" + std::to_string(size) + " floats) where the network has " + t.name +
                                       " (" + std::to_string(t.size) + " floats)");
    }
    std::size_t floats = 0;
    for (const parameter_ref& t : tensors) floats += t.size;
    if (r.remaining() != floats * sizeof(float)) throw file_error(path, "weights file has the wrong length");
    for (const parameter_ref& t : tensors) r.raw(t.value, t.size * sizeof(float));
}

inline void load_weights(const std::string& path, const std::string& signature, const std::vector<parameter_ref>& tensors) {
    parse_weights(detail::read_bytes(path, "weights"), path, signature, tensors);
}

}  // namespace stag
