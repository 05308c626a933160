// shared/protocol/match_types.hpp
//
// Plain values for what the lobby and the game port both talk about: a room's
// match settings and a finished match's results (schemas/common.fbs). Server
// and client code use these; only the codecs see the FlatBuffers tables.
//
// IMPORTANT: match_rules() is the one place settings become sim::Rules. The
// server simulates and the client predicts with what it returns, so both
// must call it rather than copy fields themselves.
#pragma once

#include "shared/protocol/text_rules.hpp"
#include "shared/sim/rules.hpp"
#include "shared/util/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace skirmish::protocol {

// A lobby room, numbered by the lobby (unique for the life of a server
// process; 0 is none). A distinct type, like sim::PlayerId, so a room id
// cannot be passed for a player's or a match's; the value structs that
// mirror the wire (the lobby's messages, MatchResults, connect tokens, demo
// headers) keep the plain number, converted where code reads or fills them.
enum class RoomId : std::uint32_t {};
inline constexpr RoomId kNoRoom{};
constexpr std::uint32_t to_int(RoomId id) noexcept { return static_cast<std::uint32_t>(id); }
// How fmt prints one: the number.
constexpr std::uint32_t format_as(RoomId id) noexcept { return to_int(id); }

// A match, numbered by the lobby when a room's match starts (unique for the
// life of a server process; 0 is none), and the game port's key for it. A
// distinct type the same way.
enum class MatchId : std::uint32_t {};
inline constexpr MatchId kNoMatch{};
constexpr std::uint32_t to_int(MatchId id) noexcept { return static_cast<std::uint32_t>(id); }
constexpr std::uint32_t format_as(MatchId id) noexcept { return to_int(id); }

inline constexpr int kMinRoomPlayers = 2;
inline constexpr int kMaxRoomPlayers = 16;
inline constexpr int kMinFragLimit = 1;
inline constexpr int kMaxFragLimit = 100;
inline constexpr int kMinTimeLimitS = 30;
inline constexpr int kMaxTimeLimitS = 3600;
// Spectator seats a room may have besides its players (docs/PROTOCOL.md, "Spectators").
inline constexpr int kMaxSpectatorSlots = 8;
// Everyone a room or match can hold: players and spectators.
inline constexpr int kMaxRoomMembers = kMaxRoomPlayers + kMaxSpectatorSlots;

struct MatchSettings {
    std::string map = "arena";
    std::uint8_t max_players = 8;
    std::uint16_t frag_limit = 20;
    std::uint16_t time_limit_s = 300;
    bool join_in_progress = true;
    // The match checks shots against targets as the shooter saw them (when
    // the server allows it too: --lag-compensation, on by default).
    bool lag_compensation = true;
    // Spectators who may watch besides max_players (0..kMaxSpectatorSlots).
    std::uint8_t spectator_slots = 4;

    friend bool operator==(const MatchSettings&, const MatchSettings&) = default;
};

// Checks the ranges above and that the map is a valid map name (kMapNameText;
// whether the server has that map is checked by whoever knows the maps).
// The error names the field and its range, for a person.
util::Result<util::Ok, std::string> validate_settings(const MatchSettings& settings);

// The rules of a match with these settings at this tick rate: `base` with the
// tick rate and the frag and time limits set. The server passes its configured
// rules (lag compensation and all); a client predicts with the defaults.
// Lag compensation is on when both `base` and the settings have it.
sim::Rules match_rules(const MatchSettings& settings, int tick_rate_hz, sim::Rules base = {});

enum class MatchEndReason : std::uint8_t { FragLimit = 0, TimeLimit = 1, NotEnoughPlayers = 2, ServerShutdown = 3 };
std::string_view name(MatchEndReason reason);
// Whether a byte read off the wire or a file is a MatchEndReason.
constexpr bool is_match_end_reason(std::uint8_t value) noexcept {
    return value <= static_cast<std::uint8_t>(MatchEndReason::ServerShutdown);
}
// The wire value of a reason the simulation ended a match for.
MatchEndReason end_reason(sim::EndReason reason);

struct PlayerScore {
    std::uint32_t player_id = 0;
    std::string name;
    std::int16_t frags = 0;
    std::int16_t deaths = 0;

    friend bool operator==(const PlayerScore&, const PlayerScore&) = default;
};

struct MatchResults {
    std::uint32_t match_id = 0;
    std::uint32_t room_id = 0;
    MatchEndReason reason = MatchEndReason::FragLimit;
    float duration_s = 0.0f;
    std::vector<PlayerScore> scores; // frags descending, then deaths ascending, then id

    friend bool operator==(const MatchResults&, const MatchResults&) = default;
};

// Sorts scores into scoreboard order (see MatchResults::scores).
void sort_scoreboard(std::vector<PlayerScore>& scores);

} // namespace skirmish::protocol
