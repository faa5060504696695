#pragma once
// replica_group over MPI (core/replicas.hpp): one replica per rank of a communicator. Link stag::mpi (built
// where CMake finds MPI: Debian's libopenmpi-dev) and launch with `mpirun -np N program …`.
//
// Determinism: gradient buckets are summed with MPI_Iallreduce, whose algorithm and hence order of additions
// Open MPI chooses from the message size and the rank count alone, and which returns the same sums to every
// rank; so a given rank count gives the same bits run after run (fit checks that the ranks' weights agree
// after every epoch). Another rank count adds in another order: weights then agree within float rounding.
#include <mpi.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "stag/core/error.hpp"
#include "stag/core/replicas.hpp"

namespace stag {

// Whether this process was started by mpirun (or another launcher): only then is MPI initialised, so that
// a program built with MPI still runs on its own as before.
inline bool launched_by_mpi() {
    for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"})
        if (std::getenv(v)) return true;
    return false;
}

// MPI_Init_thread / MPI_Finalize around a program's life. Only the main thread calls MPI (TBB's workers
// never do), which is what MPI_THREAD_FUNNELED promises.
class mpi_session {
public:
    mpi_session(int& argc, char**& argv) {
        int provided = 0;
        MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    }
    ~mpi_session() {
        int finalized = 0;
        MPI_Finalized(&finalized);
        if (!finalized) MPI_Finalize();
    }
    mpi_session(const mpi_session&) = delete;
    mpi_session& operator=(const mpi_session&) = delete;
    // Ends every rank of the job now, with this exit code: what a rank that failed does, so that the others
    // do not wait for it in a collective.
    [[noreturn]] static void abort_job(int code) {
        MPI_Abort(MPI_COMM_WORLD, code);
        std::_Exit(code);
    }
};

class mpi_replicas final : public replica_group {
public:
    explicit mpi_replicas(MPI_Comm comm = MPI_COMM_WORLD) {
        MPI_Comm_dup(comm, &comm_);
        int rank = 0, size = 1;
        MPI_Comm_rank(comm_, &rank);
        MPI_Comm_size(comm_, &size);
        rank_ = static_cast<std::size_t>(rank);
        size_ = static_cast<std::size_t>(size);
        pending_.reserve(64);
    }
    ~mpi_replicas() override {
        int finalized = 0;
        MPI_Finalized(&finalized);
        if (!finalized) MPI_Comm_free(&comm_);
    }
    mpi_replicas(const mpi_replicas&) = delete;
    mpi_replicas& operator=(const mpi_replicas&) = delete;

    std::size_t rank() const override { return rank_; }
    std::size_t size() const override { return size_; }

    const float* all_gather(const float* mine, std::size_t n) override {
        gathered_floats_.resize(n * size_);  // grows on the first steps only
        MPI_Allgather(mine, count(n), MPI_FLOAT, gathered_floats_.data(), count(n), MPI_FLOAT, comm_);
        return gathered_floats_.data();
    }
    const double* all_gather(const double* mine, std::size_t n) override {
        gathered_doubles_.resize(n * size_);
        MPI_Allgather(mine, count(n), MPI_DOUBLE, gathered_doubles_.data(), count(n), MPI_DOUBLE, comm_);
        return gathered_doubles_.data();
    }

    void start_sum(float* values, std::size_t n) override {
        pending_.emplace_back();
        MPI_Iallreduce(MPI_IN_PLACE, values, count(n), MPI_FLOAT, MPI_SUM, comm_, &pending_.back());
        sent_.bytes += static_cast<double>(n * sizeof(float));
        // Open MPI moves non-blocking collectives on only inside MPI calls: give the earlier buckets a turn.
        int done = 0;
        MPI_Testall(static_cast<int>(pending_.size()), pending_.data(), &done, MPI_STATUSES_IGNORE);
        if (done) pending_.clear();
    }
    void finish_sums() override {
        const auto start = std::chrono::steady_clock::now();
        MPI_Waitall(static_cast<int>(pending_.size()), pending_.data(), MPI_STATUSES_IGNORE);
        pending_.clear();
        sent_.wait_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }

    traffic traffic_since_reset() const override { return sent_; }
    void reset_traffic() override { sent_ = {}; }

private:
    static int count(std::size_t n) {
        if (n > static_cast<std::size_t>(INT32_MAX)) throw error("mpi_replicas: a message of " + std::to_string(n) + " values is too long for MPI");
        return static_cast<int>(n);
    }

    MPI_Comm comm_ = MPI_COMM_NULL;
    std::size_t rank_ = 0, size_ = 1;
    std::vector<MPI_Request> pending_;
    std::vector<float> gathered_floats_;
    std::vector<double> gathered_doubles_;
    traffic sent_;
};

}  // namespace stag
