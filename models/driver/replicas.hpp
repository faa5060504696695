#pragma once
// What a variant run does when it is one rank of a data-parallel job (mpirun -np N <variant>): check that
// every rank runs the same thing, and collect each rank's timings for the report.
#include <string>
#include <vector>

#include "report.hpp"
#include "stag/core/replicas.hpp"

namespace stag::driver {

// Refuses to start (an error naming what differs and on which rank) unless every rank runs the same network,
// configuration and data. Called by every rank at the same point.
void check_same_run(replica_group& replicas, const std::string& network_signature, const std::string& configuration, const loaded_data& data);

// Every rank's fit time, communication wait and bytes summed, in rank order.
std::vector<rank_timing> gather_timings(replica_group& replicas, double fit_seconds);

}  // namespace stag::driver
