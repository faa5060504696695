#pragma once
// Inside stag::interop: the few HDF5 reads a Keras file needs, each checked, bounded, and failing with a
// file_error that names the file (and what HDF5 itself found wrong) instead of printing HDF5's error stack.
#include <hdf5.h>

#include <cstddef>
#include <string>
#include <vector>

namespace stag::hdf5 {

// An HDF5 object id closed with the function that goes with its kind.
class handle {
public:
    handle() = default;
    handle(hid_t id, herr_t (*close)(hid_t)) : id(id), close_(close) {}
    handle(handle&& o) noexcept : id(o.id), close_(o.close_) { o.id = -1; }
    handle& operator=(handle&& o) noexcept {
        std::swap(id, o.id);
        std::swap(close_, o.close_);
        return *this;
    }
    handle(const handle&) = delete;
    handle& operator=(const handle&) = delete;
    ~handle() {
        if (id >= 0 && close_) close_(id);
    }
    hid_t id = -1;

private:
    herr_t (*close_)(hid_t) = nullptr;
};

class file {
public:
    explicit file(const std::string& path);
    hid_t root() const { return file_.id; }
    [[noreturn]] void fail(const std::string& message) const;

    // Whether every link of a relative path ("dense/kernel:0") exists below loc.
    bool has_link(hid_t loc, const std::string& path) const;
    handle open_group(hid_t loc, const std::string& name) const;
    handle open_dataset(hid_t loc, const std::string& name, const std::string& owner) const;
    std::vector<std::size_t> dataset_dims(hid_t dataset, const std::string& name) const;
    // A float32 dataset of `count` values (its dims already checked).
    std::vector<float> read_floats(hid_t dataset, const std::string& name, std::size_t count) const;
    // A text attribute as its strings (a scalar gives one); empty if absent or an empty array. `chunked`: Keras
    // splits attributes past HDF5's header limit into name0, name1, ….
    std::vector<std::string> text_attribute(hid_t loc, const std::string& name, bool chunked) const;

private:
    std::vector<std::string> one_text_attribute(hid_t loc, const std::string& name) const;
    std::string path_;
    handle file_;
};

}  // namespace stag::hdf5
