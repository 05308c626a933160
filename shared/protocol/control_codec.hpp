// shared/protocol/control_codec.hpp
//
// The game port's reliable channel (channel 1, reliable-ordered): one
// Envelope per ENet packet, both directions. docs/PROTOCOL.md, "Control
// messages". A client's first message must be Connect with its token; the
// server answers Accepted or Rejected, then sends events as they happen.
//
// IMPORTANT: the decoders read untrusted bytes: verified, identifier-checked,
// direction-checked (a client may not send Accepted), range-checked, every
// string held to text_rules.hpp; they never throw.
#pragma once

#include "shared/protocol/decode_error.hpp"
#include "shared/protocol/match_types.hpp"
#include "shared/sim/map.hpp"
#include "shared/sim/types.hpp"
#include "shared/util/result.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace skirmish::protocol {

inline constexpr std::size_t kMaxControlBytes = 64 * 1024;
inline constexpr std::size_t kMaxTokenBytes = 256;
inline constexpr std::size_t kMaxControlTextBytes = 256;
// FlatBuffers verifier bounds for an Envelope (docs/PROTOCOL.md, "Rejection rules").
inline constexpr unsigned kControlVerifierMaxDepth = 16;
inline constexpr unsigned kControlVerifierMaxTables = 4096;

// --- client → server ---

struct ConnectRequest {
    std::uint32_t protocol_version = 0;
    std::vector<std::uint8_t> token;
    friend bool operator==(const ConnectRequest&, const ConnectRequest&) = default;
};

struct LeaveRequest {
    friend bool operator==(const LeaveRequest&, const LeaveRequest&) = default;
};

using ClientControl = std::variant<ConnectRequest, LeaveRequest>;

// --- server → client ---

enum class RejectReason : std::uint8_t {
    BadMessage = 0,
    WrongProtocolVersion = 1,
    BadToken = 2,
    TokenExpired = 3,
    TokenReused = 4,
    MatchNotFound = 5,
    MatchFull = 6,
    TokenDeadline = 7,
    ServerShuttingDown = 8,
    TokenWithdrawn = 9,
};
std::string_view name(RejectReason reason);

// Why a player left a match (PlayerLeft.reason; also the ENet disconnect data).
enum class LeaveReason : std::uint8_t {
    Left = 0,           // asked to leave
    TimedOut = 1,       // ENet timeout
    Kicked = 2,         // misbehaved (flood, bad messages)
    MatchEnded = 3,
    ServerShutdown = 4,
    Rejected = 5,       // never got in: see Rejected
};
std::string_view name(LeaveReason reason);

struct Accepted {
    std::uint32_t player_id = 0;
    std::uint32_t match_id = 0;
    sim::Tick server_tick = 0;
    std::uint16_t tick_rate_hz = 0;
    std::uint16_t snapshot_rate_hz = 0;
    MatchSettings settings;
    sim::Map map;
    // Watching (docs/PROTOCOL.md, "Spectators"): player_id has no entity and
    // the client sends InputPackets without inputs, to acknowledge snapshots.
    bool spectator = false;
    friend bool operator==(const Accepted&, const Accepted&) = default;
};

struct Rejected {
    RejectReason reason = RejectReason::BadMessage;
    std::string text;
    friend bool operator==(const Rejected&, const Rejected&) = default;
};

struct PlayerJoined {
    std::uint32_t player_id = 0;
    std::string name;
    bool spectator = false; // watching: on the scoreboard, never in a snapshot
    friend bool operator==(const PlayerJoined&, const PlayerJoined&) = default;
};

struct PlayerLeft {
    std::uint32_t player_id = 0;
    LeaveReason reason = LeaveReason::Left;
    friend bool operator==(const PlayerLeft&, const PlayerLeft&) = default;
};

struct KillFeed {
    sim::Tick tick = 0;
    std::uint32_t killer_id = 0;
    std::uint32_t victim_id = 0;
    friend bool operator==(const KillFeed&, const KillFeed&) = default;
};

// To the shooter: the target of one of its shots as the server checked it.
inline constexpr float kMaxJudgedCoordinate = 65536.0f; // |target_x|, |target_y|, finite
inline constexpr std::uint16_t kMaxJudgedRewindTicks = 1024;
struct ShotJudged {
    sim::Tick tick = 0;
    std::uint32_t target_id = 0;
    sim::Vec2 target;
    std::uint16_t rewind_ticks = 0;
    bool hit = false;
    friend bool operator==(const ShotJudged&, const ShotJudged&) = default;
};

struct MatchOver {
    sim::Tick tick = 0;
    MatchResults results;
    friend bool operator==(const MatchOver&, const MatchOver&) = default;
};

struct PlayerPing {
    std::uint32_t player_id = 0;
    std::uint16_t ping_ms = 0;
    friend bool operator==(const PlayerPing&, const PlayerPing&) = default;
};
inline constexpr std::size_t kMaxPings = 64;

// One player's inputs in its match as the server counted them, capped at 2^32 - 1.
struct InputFigures {
    std::uint32_t applied = 0;      // ticks stepped with an input it sent in time
    std::uint32_t repeated = 0;     // ticks stepped with its last input again, that tick's missing,
                                    // since its first input was applied
    std::uint32_t before_first = 0; // ticks stepped before its first input was applied
    std::uint32_t late = 0;         // inputs that arrived for a tick already stepped (no copy in time)
    std::uint32_t too_early = 0;    // inputs beyond the server's window: dropped
    std::uint32_t redundant = 0;    // copies of inputs already held or applied
    friend bool operator==(const InputFigures&, const InputFigures&) = default;
};

struct ServerStats {
    std::uint16_t tick_rate_hz = 0;
    float tick_ms_p50 = 0;
    float tick_ms_p99 = 0;
    float tick_ms_max = 0;
    std::uint32_t overruns = 0;
    std::uint32_t players = 0;
    std::uint32_t matches = 0;
    float run_tick_ms_p50 = 0; // since the first player joined
    float run_tick_ms_p99 = 0;
    float run_tick_ms_max = 0;
    std::uint64_t run_ticks = 0;
    // The round trip of every player in the recipient's match, as the server
    // measures it (the scoreboard shows them); at most kMaxPings.
    std::vector<PlayerPing> pings;
    // The recipient's own inputs in its current match (server/game/input_buffer.hpp).
    InputFigures inputs;
    friend bool operator==(const ServerStats&, const ServerStats&) = default;
};

struct ServerShutdown {
    std::string text;
    friend bool operator==(const ServerShutdown&, const ServerShutdown&) = default;
};

using ServerControl =
    std::variant<Accepted, Rejected, PlayerJoined, PlayerLeft, KillFeed, MatchOver, ServerStats, ServerShutdown,
                 ShotJudged>;

std::vector<std::uint8_t> encode_control(const ClientControl& message);
std::vector<std::uint8_t> encode_control(const ServerControl& message);

util::Result<ClientControl, DecodeError> decode_client_control(std::span<const std::uint8_t> bytes);
// player_radius: the map inside Accepted is validated against it.
util::Result<ServerControl, DecodeError> decode_server_control(std::span<const std::uint8_t> bytes,
                                                               float player_radius);

} // namespace skirmish::protocol
