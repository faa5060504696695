#include "replicas.hpp"

#include <cstdint>

#include "stag/graph/serialization.hpp"

namespace stag::driver {

namespace {
std::uint32_t crc_of(const loaded_data& data) {
    std::uint32_t crc = 0;
    for (const dataset_view& v : {data.splits.train.view(), data.splits.validation.view(), data.splits.test.view()}) {
        crc = stag::detail::crc32_of(&v.count, sizeof v.count, crc);
        crc = stag::detail::crc32_of(v.images, v.count * v.sample.size() * sizeof(float), crc);
        crc = stag::detail::crc32_of(v.labels, v.count, crc);
    }
    return crc;
}
}  // namespace

void check_same_run(replica_group& replicas, const std::string& network_signature, const std::string& configuration, const loaded_data& data) {
    const char* what[] = {"network", "options", "data"};
    const double mine[] = {double(stag::detail::crc32_of(network_signature.data(), network_signature.size())),
                           double(stag::detail::crc32_of(configuration.data(), configuration.size())), double(crc_of(data))};
    if (const disagreement d = first_disagreement(replicas, mine, 3))
        throw error("rank " + std::to_string(d.rank) + " of " + std::to_string(replicas.size()) + " runs with other " + what[d.index] +
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
