#pragma once
// Work splitting for kernels. Tiles are fixed by the problem, never by the thread count, and
// each output element is produced by exactly one tile: results are bitwise identical on 1 or N threads.
#include <cstddef>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace stag::kernels {

// Below this many flops per call, a fork/join costs more than it saves.
inline constexpr double parallel_min_flops = 4.0e5;

// Runs body(first, last) over [0, tiles); splits across threads only when the work pays.
template <class Body>
void for_tiles(std::size_t tiles, double flops_per_tile, const Body& body) {
    if (tiles <= 1 || flops_per_tile * static_cast<double>(tiles) < 2 * parallel_min_flops) {
        body(std::size_t{0}, tiles);
        return;
    }
    std::size_t grain = static_cast<std::size_t>(parallel_min_flops / flops_per_tile);
    grain = grain < 1 ? 1 : grain;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, tiles, grain),
                      [&](const tbb::blocked_range<std::size_t>& r) { body(r.begin(), r.end()); });
}

// As for_tiles, for work that reads operands in place which fit in the cores' caches only when split: the
// tiles go to the same threads on every call (a static partition), so each core keeps its share of the
// operands, say of a dense layer's weights in a one-image forward, in its own cache from call to call.
template <class Body>
void for_tiles_pinned(std::size_t tiles, double flops_per_tile, const Body& body) {
    if (tiles <= 1 || flops_per_tile * static_cast<double>(tiles) < parallel_min_flops) {
        body(std::size_t{0}, tiles);
        return;
    }
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, tiles), [&](const tbb::blocked_range<std::size_t>& r) { body(r.begin(), r.end()); },
        tbb::static_partitioner{});
}

}  // namespace stag::kernels
