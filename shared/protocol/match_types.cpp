// shared/protocol/match_types.cpp
#include "shared/protocol/match_types.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace skirmish::protocol {

util::Result<util::Ok, std::string> validate_settings(const MatchSettings& s) {
    if (s.max_players < kMinRoomPlayers || s.max_players > kMaxRoomPlayers)
        return util::fail(fmt::format("max players {} is outside {}..{}", s.max_players, kMinRoomPlayers,
                                      kMaxRoomPlayers));
    if (s.frag_limit < kMinFragLimit || s.frag_limit > kMaxFragLimit)
        return util::fail(fmt::format("frag limit {} is outside {}..{}", s.frag_limit, kMinFragLimit, kMaxFragLimit));
    if (s.time_limit_s < kMinTimeLimitS || s.time_limit_s > kMaxTimeLimitS)
        return util::fail(fmt::format("time limit {} s is outside {}..{} s", s.time_limit_s, kMinTimeLimitS,
                                      kMaxTimeLimitS));
    if (s.spectator_slots > kMaxSpectatorSlots)
        return util::fail(fmt::format("spectator seats {} is outside 0..{}", s.spectator_slots, kMaxSpectatorSlots));
    if (!is_valid_text(s.map, kMapNameText))
        return util::fail(fmt::format("the map name must be 1 to {} bytes of UTF-8 without control characters",
                                      kMapNameText.max_bytes));
    return util::Ok{};
}

sim::Rules match_rules(const MatchSettings& settings, int tick_rate_hz, sim::Rules base) {
    base.tick_rate_hz = tick_rate_hz;
    base.frag_limit = settings.frag_limit;
    base.time_limit_s = settings.time_limit_s;
    base.lag_compensation = base.lag_compensation && settings.lag_compensation;
    return base;
}

std::string_view name(MatchEndReason reason) {
    switch (reason) {
    case MatchEndReason::FragLimit: return "frag limit";
    case MatchEndReason::TimeLimit: return "time limit";
    case MatchEndReason::NotEnoughPlayers: return "not enough players";
    case MatchEndReason::ServerShutdown: return "server shutdown";
    }
    return "unknown";
}

MatchEndReason end_reason(sim::EndReason reason) {
    switch (reason) {
    case sim::EndReason::FragLimit: return MatchEndReason::FragLimit;
    case sim::EndReason::TimeLimit: return MatchEndReason::TimeLimit;
    }
    return MatchEndReason::TimeLimit;
}

void sort_scoreboard(std::vector<PlayerScore>& scores) {
    std::sort(scores.begin(), scores.end(), [](const PlayerScore& a, const PlayerScore& b) {
        if (a.frags != b.frags) return a.frags > b.frags;
        if (a.deaths != b.deaths) return a.deaths < b.deaths;
        return a.player_id < b.player_id;
    });
}

} // namespace skirmish::protocol
