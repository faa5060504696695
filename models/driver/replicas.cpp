#include "replicas.hpp"

#include <cstdint>
#include <cstring>

namespace stag::driver {

namespace {
// FNV-1a, 64 bits: equal inputs give equal digests on every rank (no per-process seed, unlike std::hash).
struct digest {
    std::uint64_t h = 1469598103934665603ull;
    void add(const void* data, std::size_t bytes) {
        const auto* p = static_cast<const unsigned char*>(data);
        for (std::size_t i = 0; i < bytes; ++i) h = (h ^ p[i]) * 1099511628211ull;
    }
};

std::uint64_t digest_of(const std::string& s) {
    digest d;
    d.add(s.data(), s.size());
    return d.h;
}

std::uint64_t digest_of(const loaded_data& data) {
    digest d;
    for (const dataset_view& v : {data.splits.train.view(), data.splits.validation.view(), data.splits.test.view()}) {
        d.add(&v.count, sizeof v.count);
        d.add(v.images, v.count * v.sample.size() * sizeof(float));
        d.add(v.labels, v.count);
    }
    return d.h;
}
}  // namespace

void check_same_run(replica_group& replicas, const std::string& network_signature, const std::string& configuration, const loaded_data& data) {
    const char* what[] = {"network", "options", "data"};
    const std::uint64_t mine[] = {digest_of(network_signature), digest_of(configuration), digest_of(data)};
    double halves[6];  // each digest as two 32-bit halves, exact in doubles
    for (std::size_t i = 0; i < 3; ++i) halves[2 * i] = double(mine[i] >> 32), halves[2 * i + 1] = double(mine[i] & 0xffffffffu);
    const double* all = replicas.all_gather(halves, 6);
    for (std::size_t r = 1; r < replicas.size(); ++r)
        for (std::size_t i = 0; i < 3; ++i)
            if (all[6 * r + 2 * i] != all[2 * i] || all[6 * r + 2 * i + 1] != all[2 * i + 1])
                throw error("rank " + std::to_string(r) + " of " + std::to_string(replicas.size()) + " runs with other " + what[i] +
                            " than rank 0; every rank of a data-parallel run needs the same binary, options and data files");
}

std::vector<rank_timing> gather_timings(replica_group& replicas, double fit_seconds) {
    const replica_group::traffic t = replicas.traffic_since_reset();
    const double mine[] = {fit_seconds, t.wait_seconds, t.bytes};
    const double* all = replicas.all_gather(mine, 3);
    std::vector<rank_timing> timings;
    for (std::size_t r = 0; r < replicas.size(); ++r) timings.push_back({all[3 * r], all[3 * r + 1], all[3 * r + 2]});
    return timings;
}

}  // namespace stag::driver
