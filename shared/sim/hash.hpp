// shared/sim/hash.hpp
//
// A 64-bit hash of everything that defines a world's state (tick, phase,
// every player field, on the quantised grid). Two worlds with the same hash
// are, for every practical purpose, the same world: the determinism tests and
// desync checks compare hashes instead of dumping state.
#pragma once

#include "shared/sim/world.hpp"

#include <cstdint>

namespace skirmish::sim {

std::uint64_t state_hash(const World& world) noexcept;

} // namespace skirmish::sim
