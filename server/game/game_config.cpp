// server/game/game_config.cpp
#include "server/game/game_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace skirmish::server {

util::Result<util::Ok, std::string> validate_config(const GameConfig& c) {
    if (c.tick_rate_hz < sim::kMinTickRateHz || c.tick_rate_hz > sim::kMaxTickRateHz)
        return util::fail(fmt::format("--tick-rate {} is outside {}..{}", c.tick_rate_hz, sim::kMinTickRateHz,
                                      sim::kMaxTickRateHz));
    if (c.snapshot_rate_hz < 1 || c.snapshot_rate_hz > c.tick_rate_hz)
        return util::fail(fmt::format("--snapshot-rate {} is outside 1..{} (the tick rate)", c.snapshot_rate_hz,
                                      c.tick_rate_hz));
    if (c.max_rewind_ms < 0 || c.max_rewind_ms > 1000)
        return util::fail(fmt::format("--max-rewind-ms {} is outside 0..1000", c.max_rewind_ms));
    if (c.max_peers < 1 || c.max_peers > 4095)
        return util::fail(fmt::format("--max-peers {} is outside 1..4095", c.max_peers));
    if (c.silence_timeout_ms < 200 || c.silence_timeout_ms > 120'000)
        return util::fail(fmt::format("--silence-timeout-ms {} is outside 200..120000", c.silence_timeout_ms));
    if (c.max_input_packets_per_tick < 1) return util::fail(std::string("max input packets per tick must be >= 1"));
    if (c.record_state_interval_ticks < 0 || c.record_state_interval_ticks > 60 * c.tick_rate_hz)
        return util::fail(fmt::format("--record-state-every {} is outside 0..{} ticks (a minute)",
                                      c.record_state_interval_ticks, 60 * c.tick_rate_hz));
    return util::Ok{};
}

int snapshot_interval_ticks(const GameConfig& c) {
    return std::max(1, static_cast<int>(std::lround(static_cast<double>(c.tick_rate_hz) / c.snapshot_rate_hz)));
}

} // namespace skirmish::server
