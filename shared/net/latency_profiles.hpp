// shared/net/latency_profiles.hpp
//
// The named latency profiles, in one place: P0 (loopback) to P4 (a bad
// link), each a mean round trip, a jitter, loss, duplication and reordering,
// and a seed, so "P3" means the same packets' fates in every run and every
// binary that takes --profile (skirmish-bots, skirmish-client,
// skirmish-netsim; shared/net/conditioner_cli.hpp). Every profile uses the
// same seed on purpose: with one seed, a profile with more loss loses a
// superset of the packets a milder one loses (conditioner.hpp), so the
// profiles are comparable packet by packet. Table: docs/NETCODE.md.
//
// IMPORTANT: the round trip is the mean: each direction gets latency
// rtt/2 - jitter/2 plus a jitter drawn uniformly from [0, jitter).
#pragma once

#include "shared/net/conditioner.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace skirmish::net {

struct LatencyProfile {
    std::string_view name;       // "P3"
    std::string_view summary;    // for people
    double rtt_ms = 0;           // mean added round trip
    double jitter_ms = 0;        // each direction: uniform in [0, jitter)
    double loss_pct = 0;         // each direction
    double dup_pct = 0;          // each direction
    double reorder_pct = 0;      // each direction
    std::uint64_t seed = 1;
};

inline constexpr std::array<LatencyProfile, 5> kLatencyProfiles{{
    {"P0", "loopback", 0, 0, 0, 0, 0, 1},
    {"P1", "50 ms RTT, 5 ms jitter, 0.5 % loss", 50, 5, 0.5, 0, 0, 1},
    {"P2", "100 ms RTT, 10 ms jitter, 2 % loss", 100, 10, 2, 0, 0, 1},
    {"P3", "150 ms RTT, 25 ms jitter, 5 % loss, 5 % duplication", 150, 25, 5, 5, 0, 1},
    {"P4", "250 ms RTT, 50 ms jitter, 10 % loss, 5 % duplication, 5 % reordering", 250, 50, 10, 5, 5, 1},
}};

// The profile called `name` (case does not matter), or nullptr.
const LatencyProfile* find_latency_profile(std::string_view name) noexcept;
// "P0, P1, P2, P3, P4": for error messages and help.
std::string latency_profile_names();
// The conditioner settings of a profile, both directions, its seed and its name.
ConditionerConfig conditions_of(const LatencyProfile& profile);
// Whether `config` names a profile and still has exactly its settings (the
// seed aside): false once another flag or a schedule has changed them.
bool follows_profile(const ConditionerConfig& config);

} // namespace skirmish::net
