#pragma once
// Writes a whole file so that a crash at any moment leaves either the old file or the new one: the bytes
// go to a temporary file in the same folder, are flushed to disk, and the temporary is renamed over the
// target (rename is atomic within a file system).
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>

#include "stag/core/error.hpp"

namespace stag {

inline void write_file_atomically(const std::string& path, std::string_view bytes) {
    const std::string temporary = path + ".tmp." + std::to_string(::getpid());
    const auto fail = [&](const char* what) {
        const std::string why = std::strerror(errno);
        ::unlink(temporary.c_str());
        throw file_error(path, std::string(what) + " (" + why + ")");
    };
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
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
}

}  // namespace stag
