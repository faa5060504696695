#pragma once
// Owning, 64-byte aligned float storage: one allocation at planning time, none afterwards.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>

namespace stag {

inline constexpr std::size_t alignment_floats = 16;  // 64 bytes: a cache line, an AVX-512 vector

constexpr std::size_t round_up(std::size_t n, std::size_t multiple) { return (n + multiple - 1) / multiple * multiple; }
inline bool is_aligned(const float* p) { return reinterpret_cast<std::uintptr_t>(p) % (alignment_floats * sizeof(float)) == 0; }

class aligned_buffer {
public:
    aligned_buffer() = default;
    explicit aligned_buffer(std::size_t floats) { resize(floats); }
    aligned_buffer(aligned_buffer&&) noexcept = default;
    aligned_buffer& operator=(aligned_buffer&&) noexcept = default;
    aligned_buffer(const aligned_buffer& other) : aligned_buffer(other.size_) {
        if (size_) std::memcpy(data(), other.data(), size_ * sizeof(float));
    }
    aligned_buffer& operator=(const aligned_buffer& other) {
        if (this != &other) *this = aligned_buffer(other);
        return *this;
    }

    void resize(std::size_t floats) {
        data_.reset(floats ? static_cast<float*>(::operator new[](floats * sizeof(float), std::align_val_t{64})) : nullptr);
        size_ = floats;
        if (floats) std::memset(data_.get(), 0, floats * sizeof(float));
    }
    float* data() { return data_.get(); }
    const float* data() const { return data_.get(); }
    std::size_t size() const { return size_; }

private:
    struct deleter {
        void operator()(float* p) const { ::operator delete[](p, std::align_val_t{64}); }
    };
    std::unique_ptr<float[], deleter> data_;
    std::size_t size_ = 0;
};

}  // namespace stag
