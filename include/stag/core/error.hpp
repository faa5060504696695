#pragma once
#include <stdexcept>
#include <string>
#include <utility>

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

// fit stopped at a step boundary because it was asked to (fit_options::stop_requested, e.g. on SIGTERM);
// its whole state, the epoch in progress included, is in the checkpoint it names (if it had a path).
class interrupted : public error {
public:
    interrupted(const std::string& what, std::string checkpoint) : error(what), checkpoint_(std::move(checkpoint)) {}
    const std::string& checkpoint() const { return checkpoint_; }

private:
    std::string checkpoint_;
};

}  // namespace stag
