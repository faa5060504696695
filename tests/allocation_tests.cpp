// The training step must not touch the heap: every buffer is planned when the model is built.
// This binary replaces global operator new to count allocations.
#include <catch2/catch.hpp>
#include <tbb/global_control.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <numeric>

#include "../models/part1.hpp"
#include "../models/part2.hpp"

namespace {
std::atomic<std::size_t> allocations{0};
}

// The replacements below are malloc/free on purpose; GCC's check pairs free with the new it is replacing.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

void* operator new(std::size_t n) {
    ++allocations;
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void* operator new(std::size_t n, std::align_val_t a) {
    ++allocations;
    if (void* p = std::aligned_alloc(static_cast<std::size_t>(a), (n + static_cast<std::size_t>(a) - 1) / static_cast<std::size_t>(a) * static_cast<std::size_t>(a))) return p;
    throw std::bad_alloc();
}
// Every form of new must be replaced, or a form left to the runtime (the nothrow one, used by Catch) hands
// out memory these deletes would free with the wrong deallocator (AddressSanitizer's alloc-dealloc check).
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    ++allocations;
    return std::malloc(n ? n : 1);
}
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    ++allocations;
    return std::aligned_alloc(static_cast<std::size_t>(a), (n + static_cast<std::size_t>(a) - 1) / static_cast<std::size_t>(a) * static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new[](std::size_t n, std::align_val_t a) { return operator new(n, a); }
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return operator new(n, t); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

using namespace stag;

template <class Net>
void expect_allocation_free_steps(std::size_t threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    constexpr std::size_t batch = 64;
    model<Net> m(batch, adam{}, 1);
    std::vector<std::uint8_t> labels(batch);
    for (std::size_t i = 0; i < batch; ++i) labels[i] = static_cast<std::uint8_t>(i % 10);
    for (std::size_t i = 0; i < batch * Net::input_shape.size(); ++i) m.network().input()[i] = float(i % 13) / 13.0f;
    m.train_step(labels.data(), batch, 1);  // warm-up: lets the thread pool start
    const std::size_t before = allocations.load();
    for (int step = 0; step < 5; ++step) m.train_step(labels.data(), batch - step, 1);  // full and partial batches
    CHECK(allocations.load() - before == 0);
}

TEST_CASE("the training step allocates nothing", "[allocation]") {
    SECTION("model_relu, 1 thread") { expect_allocation_free_steps<models::model_relu<10>>(1); }
    SECTION("model_relu, 2 threads") { expect_allocation_free_steps<models::model_relu<10>>(2); }
    SECTION("new_a_model_bn, 2 threads") { expect_allocation_free_steps<models::new_a_model_bn<10>>(2); }
    SECTION("cnn_half, 2 threads") { expect_allocation_free_steps<models::cnn_half<10>>(2); }
    SECTION("the counter sees allocations") {
        const std::size_t before = allocations.load();
        std::vector<int> v(1000, 1);
        CHECK(std::accumulate(v.begin(), v.end(), 0) == 1000);
        CHECK(allocations.load() - before >= 1);
    }
}
