#pragma once
// Writes a whole file so that a crash at any moment leaves either the old file or the new one: the bytes
// go to a temporary file in the same folder, are flushed to disk, and the temporary is renamed over the
// target (rename is atomic within a file system). Only a regular file (or nothing) is replaced: a rename
// over a device, a directory or a symbolic link would replace the node itself, not write into it.
// Temporaries that killed writers left beside the target are removed by the next write that succeeds.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>

#include "stag/core/error.hpp"

namespace stag {

namespace detail {

// Why `path` may not be replaced by a regular file, or empty if it may (it is one, or nothing is there).
inline std::string not_replaceable(const std::string& path) {
    struct stat node {};
    if (::lstat(path.c_str(), &node) != 0) return {};
    if (S_ISREG(node.st_mode)) return {};
    if (S_ISLNK(node.st_mode)) {
        std::error_code ec;
        const auto target = std::filesystem::read_symlink(path, ec);
        return "is a symbolic link (to " + target.string() + "); stag does not replace links: give the file it points to as the path";
    }
    const char* kind = S_ISDIR(node.st_mode)    ? "a directory"
                       : S_ISCHR(node.st_mode)  ? "a character device"
                       : S_ISBLK(node.st_mode)  ? "a block device"
                       : S_ISFIFO(node.st_mode) ? "a named pipe"
                       : S_ISSOCK(node.st_mode) ? "a socket"
                                                : "not a regular file";
    return std::string("is ") + kind + ", not a regular file; stag writes only regular files (nothing was written)";
}

}  // namespace detail

// Removes from `folder` the temporaries `<file>.tmp.<pid>` (of one file, or of any if `file` is empty) whose
// writer is no longer running: what killed writes leave.
inline void remove_stale_temporaries(const std::filesystem::path& folder, const std::string& file = {}) {
    namespace fs = std::filesystem;
    std::error_code ec;
    for (fs::directory_iterator it(folder.empty() ? fs::path(".") : folder, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        const std::size_t mark = name.rfind(".tmp.");
        if (mark == std::string::npos || mark == 0 || (!file.empty() && name.compare(0, mark, file) != 0)) continue;
        const std::string pid = name.substr(mark + 5);
        if (pid.empty() || pid.size() > 9 || pid.find_first_not_of("0123456789") != std::string::npos) continue;
        if (::kill(static_cast<pid_t>(std::stol(pid)), 0) != 0 && errno == ESRCH) fs::remove(it->path(), ec);
    }
}

inline void write_file_atomically(const std::string& path, std::string_view bytes) {
    if (const std::string why = detail::not_replaceable(path); !why.empty()) throw file_error(path, why);
    const std::string temporary = path + ".tmp." + std::to_string(::getpid());
    const auto fail = [&](const char* what) {
        const std::string why = std::strerror(errno);
        ::unlink(temporary.c_str());
        throw file_error(path, std::string(what) + " (" + why + ")");
    };
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
        const std::string why = std::strerror(errno);
        throw file_error(path, "cannot create " + temporary + " (" + why + ")");
    }
    for (std::size_t done = 0; done < bytes.size();) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ::close(fd);
            fail("cannot write");
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        ::close(fd);
        fail("cannot flush");
    }
    if (::close(fd) != 0) fail("cannot close");
    if (::rename(temporary.c_str(), path.c_str()) != 0) fail("cannot rename the temporary file into place");
    remove_stale_temporaries(std::filesystem::path(path).parent_path(), std::filesystem::path(path).filename().string());
}

}  // namespace stag
