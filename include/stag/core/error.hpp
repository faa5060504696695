#pragma once
#include <stdexcept>
#include <string>

namespace stag {

// Every recoverable failure (bad file, bad argument, mismatched weights) is a stag::error.
class error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// An error about a file: the message always starts with the path.
class file_error : public error {
public:
    file_error(const std::string& path, const std::string& reason)
        : error(path + ": " + reason), path_(path) {}
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// Training produced a NaN or an infinity: the message names where (epoch, step, layer).
class numerical_error : public error {
public:
    using error::error;
};

}  // namespace stag
