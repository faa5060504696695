#pragma once
// The processes that train one model together (data parallelism): every replica holds the whole network and
// a share of each batch. What the graph, the layers and `model::fit` need of them, with no transport named
// here: distributed/mpi_replicas.hpp implements it over MPI.
#include <cstddef>

namespace stag {

class replica_group {
public:
    virtual ~replica_group() = default;
    virtual std::size_t rank() const = 0;
    virtual std::size_t size() const = 0;

    // Every replica's n floats, concatenated in rank order: the same bits on every replica. Small
    // (batch norm's per-feature moments); the buffer returned belongs to the group until the next call.
    virtual const float* all_gather(const float* mine, std::size_t n) = 0;
    // The same for n doubles (the step's loss and accuracy counts).
    virtual const double* all_gather(const double* mine, std::size_t n) = 0;

    // Starts summing n floats in place across the replicas (a gradient bucket); the sums are complete, the
    // same bits on every replica, once finish_sums() returns. Buckets must be started in the same order on
    // every replica.
    virtual void start_sum(float* values, std::size_t n) = 0;
    virtual void finish_sums() = 0;

    // Bytes this replica has handed to start_sum, and seconds it spent waiting in finish_sums, since the
    // last reset: the communication share of a step.
    struct traffic {
        double bytes = 0.0, wait_seconds = 0.0;
    };
    virtual traffic traffic_since_reset() const = 0;
    virtual void reset_traffic() = 0;
};

// Whether every replica holds rank 0's n values: the first (rank, index) that differs, or none. For checks
// that the replicas run the same thing (values such as checksums, exact in doubles).
struct disagreement {
    std::size_t rank = 0, index = 0;
    explicit operator bool() const { return rank != 0; }
};
inline disagreement first_disagreement(replica_group& replicas, const double* mine, std::size_t n) {
    const double* all = replicas.all_gather(mine, n);
    for (std::size_t r = 1; r < replicas.size(); ++r)
        for (std::size_t i = 0; i < n; ++i)
            if (all[r * n + i] != all[i]) return {r, i};
    return {};
}

// Replaces n values by their sums over the replicas, added in rank order: the same bits on every replica.
inline void sum_in_rank_order(replica_group& replicas, double* values, std::size_t n) {
    const double* all = replicas.all_gather(values, n);
    for (std::size_t i = 0; i < n; ++i) {
        values[i] = all[i];
        for (std::size_t r = 1; r < replicas.size(); ++r) values[i] += all[r * n + i];
    }
}

// Replica r's share of a batch of n samples: rows [first, first + count), the shares in rank order and as
// even as n allows.
struct batch_share {
    std::size_t first, count;
};
constexpr batch_share share_of(std::size_t n, std::size_t rank, std::size_t replicas) {
    const std::size_t first = n * rank / replicas;
    return {first, n * (rank + 1) / replicas - first};
}

}  // namespace stag
