// shared/sim/rules_version.hpp
//
// The version of the game rules: of what step() does with a World and its
// inputs, not of the Rules values (a demo carries those). A demo records it,
// and skirmish-replay refuses to call a demo of other rules a desync.
//
// IMPORTANT: bump kRulesVersion whenever a change alters the outcome of a
// match (same start, same inputs, different World). tests/sim/rules_version_test
// ties it to a fingerprint of a scripted match and fails until you do; then
// re-record the demo corpus (docs/DEMO.md, "When the rules change on purpose").
#pragma once

#include <cstdint>

namespace skirmish::sim {

inline constexpr std::uint32_t kRulesVersion = 2;

} // namespace skirmish::sim
