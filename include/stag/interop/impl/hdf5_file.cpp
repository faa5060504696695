#include "stag/interop/impl/hdf5_file.hpp"

#include <algorithm>
#include <filesystem>

#include "stag/core/error.hpp"

namespace stag::hdf5 {

namespace {
// Attributes Keras writes are a few kilobytes; anything near this is not a Keras file.
constexpr std::size_t largest_attribute = std::size_t{64} << 20;
constexpr int largest_rank = 8;

// The innermost message of HDF5's error stack: what it found wrong, in its own words.
std::string hdf5_reason() {
    std::string reason;
    H5Ewalk2(
        H5E_DEFAULT, H5E_WALK_UPWARD,
        [](unsigned, const H5E_error2_t* e, void* out) -> herr_t {
            auto& r = *static_cast<std::string*>(out);
            if (r.empty() && e->desc && *e->desc) r = e->desc;
            return 0;
        },
        &reason);
    H5Eclear2(H5E_DEFAULT);
    return reason;
}
}  // namespace

file::file(const std::string& path) : path_(path) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become file_errors here, not prints
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) fail("is a directory, not an HDF5 file");
    if (!std::filesystem::exists(path, ec)) fail("cannot open HDF5 file (no such file)");
    file_ = handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (file_.id < 0) fail("not a readable HDF5 file (truncated or corrupt?)");
}

void file::fail(const std::string& message) const {
    const std::string reason = hdf5_reason();
    throw file_error(path_, reason.empty() ? message : message + " (HDF5: " + reason + ")");
}

bool file::has_link(hid_t loc, const std::string& path) const {
    for (std::size_t end = path.find('/'); ; end = path.find('/', end + 1)) {
        const std::string prefix = path.substr(0, end);
        if (prefix.empty() || H5Lexists(loc, prefix.c_str(), H5P_DEFAULT) <= 0) {
            H5Eclear2(H5E_DEFAULT);
            return false;
        }
        if (end == std::string::npos) return true;
    }
}

handle file::open_group(hid_t loc, const std::string& name) const {
    if (!has_link(loc, name)) fail("has no group '" + name + "' (named in layer_names)");
    handle g(H5Gopen2(loc, name.c_str(), H5P_DEFAULT), H5Gclose);
    if (g.id < 0) fail("'" + name + "' is not a group");
    return g;
}

handle file::open_dataset(hid_t loc, const std::string& name, const std::string& owner) const {
    if (!has_link(loc, name)) fail(owner + " names weight '" + name + "', which is not in the file");
    handle d(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), H5Dclose);
    if (d.id < 0) fail(owner + ": '" + name + "' is not a dataset");
    const handle type(H5Dget_type(d.id), H5Tclose);
    if (type.id < 0 || H5Tget_class(type.id) != H5T_FLOAT || H5Tget_size(type.id) != sizeof(float)) {
        const bool real = type.id >= 0 && H5Tget_class(type.id) == H5T_FLOAT;
        fail(owner + ": weight '" + name + "' holds " + (real ? "float" + std::to_string(8 * H5Tget_size(type.id)) : std::string("non-float")) +
             " values; stag reads float32");
    }
    return d;
}

std::vector<std::size_t> file::dataset_dims(hid_t dataset, const std::string& name) const {
    const handle space(H5Dget_space(dataset), H5Sclose);
    const int rank = space.id < 0 ? -1 : H5Sget_simple_extent_ndims(space.id);
    if (rank < 0 || rank > largest_rank) fail("weight '" + name + "' has no readable shape");
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    H5Sget_simple_extent_dims(space.id, dims.data(), nullptr);
    return {dims.begin(), dims.end()};
}

std::vector<float> file::read_floats(hid_t dataset, const std::string& name, std::size_t count) const {
    std::vector<float> values(count);
    if (H5Dread(dataset, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
        fail("weight '" + name + "' cannot be read (truncated or corrupt?)");
    return values;
}

std::vector<std::string> file::one_text_attribute(hid_t loc, const std::string& name) const {
    const handle attribute(H5Aopen(loc, name.c_str(), H5P_DEFAULT), H5Aclose);
    if (attribute.id < 0) fail("attribute '" + name + "' cannot be read");
    const handle type(H5Aget_type(attribute.id), H5Tclose), space(H5Aget_space(attribute.id), H5Sclose);
    const hssize_t points = space.id < 0 ? -1 : H5Sget_simple_extent_npoints(space.id);
    if (type.id < 0 || points < 0) fail("attribute '" + name + "' cannot be read");
    const auto count = static_cast<std::size_t>(points);
    if (count == 0) return {};  // Keras writes an empty list (weightless layers) as an empty float array
    if (H5Tget_class(type.id) != H5T_STRING) fail("attribute '" + name + "' is not text");
    std::vector<std::string> out;
    const handle memory(H5Tcopy(H5T_C_S1), H5Tclose);
    if (H5Tis_variable_str(type.id) > 0) {
        if (count > largest_attribute / sizeof(char*)) fail("attribute '" + name + "' is too large for a Keras file");
        H5Tset_size(memory.id, H5T_VARIABLE);
        std::vector<char*> strings(count, nullptr);
        if (H5Aread(attribute.id, memory.id, strings.data()) < 0) fail("attribute '" + name + "' cannot be read");
        for (char* s : strings) {
            out.emplace_back(s ? s : "");
            H5free_memory(s);
        }
        return out;
    }
    const std::size_t size = H5Tget_size(type.id);
    if (size == 0 || count > largest_attribute / size) fail("attribute '" + name + "' is too large for a Keras file");
    H5Tset_size(memory.id, size);
    H5Tset_strpad(memory.id, H5T_STR_NULLPAD);  // all `size` bytes: a name that fills its field has no terminator
    std::vector<char> bytes(count * size);
    if (H5Aread(attribute.id, memory.id, bytes.data()) < 0) fail("attribute '" + name + "' cannot be read");
    for (std::size_t i = 0; i < count; ++i) {
        const char* s = bytes.data() + i * size;
        out.emplace_back(s, std::find(s, s + size, '\0'));
    }
    return out;
}

std::vector<std::string> file::text_attribute(hid_t loc, const std::string& name, bool chunked) const {
    if (H5Aexists(loc, name.c_str()) > 0) return one_text_attribute(loc, name);
    std::vector<std::string> out;
    for (std::size_t chunk = 0; chunked; ++chunk) {
        const std::string part = name + std::to_string(chunk);
        if (H5Aexists(loc, part.c_str()) <= 0) break;
        for (std::string& s : one_text_attribute(loc, part)) out.push_back(std::move(s));
    }
    H5Eclear2(H5E_DEFAULT);
    return out;
}

}  // namespace stag::hdf5
