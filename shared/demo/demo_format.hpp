// shared/demo/demo_format.hpp
//
// What a match demo (.skdemo) holds, as plain values, and the codec between
// those values and the records of the container (record_file.hpp). Layout of
// every record, byte by byte: docs/DEMO.md, "Match demos".
//
//   Header       once, first: versions, match, settings, every Rules value, map
//   Join/Leave   a player entered or left the world before the tick given
//   Tick         the input each player's simulation consumed at that tick, and
//                16 bits of the state hash after the step
//   State        every state_interval ticks: the state hash and every player
//   End          the match ended (by the rules in a step, or by the server)
//   Scoreboard   last: the final scoreboard
//
// Tick records list players in increasing id order, everyone in the world
// (joined and not left), and store each input as what changed since that
// player's previous one: the codec keeps that roster on both sides.
//
// IMPORTANT: DemoCodec::decode() reads untrusted bytes: every count capped,
// every enum and roster reference checked; an error is text, never a crash.
#pragma once

#include "shared/demo/byte_io.hpp"
#include "shared/protocol/match_types.hpp"
#include "shared/sim/input.hpp"
#include "shared/sim/map.hpp"
#include "shared/sim/rules.hpp"
#include "shared/sim/world.hpp"
#include "shared/util/result.hpp"

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace skirmish::demo {

// 2: protected_until_tick in the player state, spawn_protection_s in the rules
// (player_fields.hpp); files of format 1 still read.
inline constexpr std::uint16_t kDemoFormatVersion = 2;
inline constexpr std::size_t kMaxDemoPlayers = 64; // in the world at once, and on the scoreboard

enum class DemoRecordType : std::uint8_t { Header = 1, Join = 2, Leave = 3, Tick = 4, State = 5, End = 6, Scoreboard = 7 };

// How the server came by the input a player's simulation consumed.
enum class InputSource : std::uint8_t {
    Applied = 0,  // the player's own input for that tick
    Repeated = 1, // none had arrived in time: the previous one, repeated
    Missing = 2,  // none had ever arrived: the idle input (zeros)
};
std::string_view name(InputSource source);

struct DemoHeader {
    std::uint32_t protocol_version = 0;
    std::uint32_t rules_version = 0;
    std::string server_version;
    std::uint32_t match_id = 0;
    std::uint32_t room_id = 0;
    std::uint64_t started_unix_ms = 0;
    std::uint16_t snapshot_rate_hz = 0;
    protocol::MatchSettings settings;
    sim::Rules rules;                     // what the match's step() ran with, every field
    std::uint32_t history_ticks = 0;      // the position history's capacity (lag compensation)
    // The simulation's random seed. The rules (kRulesVersion 1 and 2) draw no
    // random numbers (spawns are chosen by distance), so it is 0.
    std::uint64_t seed = 0;
    std::uint32_t state_interval_ticks = 0; // a State record every this many ticks
    sim::Map map;
};

struct JoinEvent {
    sim::Tick tick = 0; // the world's tick when the player was added (before that tick's step)
    std::uint32_t player_id = 0;
    std::string name;
    std::int16_t frags = 0; // a returning player's score, carried over
    std::int16_t deaths = 0;
};

struct LeaveEvent {
    sim::Tick tick = 0;
    std::uint32_t player_id = 0;
};

struct RecordedInput {
    sim::PlayerInput input; // input.player is the player's id
    InputSource source = InputSource::Applied;
};

struct TickEvent {
    sim::Tick tick = 0;                // the tick these inputs were stepped at (World::tick before the step)
    std::vector<RecordedInput> inputs; // one per player in the world, by increasing id
    // The low 16 bits of sim::state_hash of the world after the step: finds the
    // first tick that differs; the next State record then names the field.
    std::uint16_t step_hash = 0;
};

struct StateCheck {
    sim::Tick tick = 0; // World::tick after the step
    sim::MatchPhase phase = sim::MatchPhase::Running;
    std::uint64_t hash = 0;           // sim::state_hash of the world
    std::vector<sim::Player> players; // by increasing id
};

struct EndEvent {
    sim::Tick tick = 0;
    protocol::MatchEndReason reason = protocol::MatchEndReason::FragLimit;
    bool by_rules = false; // the step ended it (frag or time limit); else the server did (World phase set to Over)
};

struct Scoreboard {
    sim::Tick ticks = 0; // the match's length in ticks
    protocol::MatchResults results;
};

using DemoEvent = std::variant<JoinEvent, LeaveEvent, TickEvent, StateCheck, EndEvent, Scoreboard>;

std::vector<std::uint8_t> encode_header(const DemoHeader& header);
// `format`: the file's format version (encode_header writes kDemoFormatVersion's).
util::Result<DemoHeader, std::string> decode_header(std::span<const std::uint8_t> payload,
                                                    std::uint16_t format = kDemoFormatVersion);

// Both directions of the event records, keeping the roster and each player's
// previous input (what Tick records are coded against). Encodes format
// kDemoFormatVersion; decodes the format it is made for.
class DemoCodec {
public:
    explicit DemoCodec(std::uint16_t format = kDemoFormatVersion) : format_(format) {}

    // Appends the event's payload to `out` (cleared first) and returns its record type.
    DemoRecordType encode(const DemoEvent& event, ByteWriter& out);
    util::Result<DemoEvent, std::string> decode(std::uint8_t type, std::span<const std::uint8_t> payload);

    std::size_t roster_size() const noexcept { return roster_.size(); }

private:
    struct Previous {
        sim::PlayerInput input;
        std::uint64_t view_lag = 0; // (tick - view) in 1/256 ticks, modulo 2^40
    };
    void encode_tick(const TickEvent& tick, ByteWriter& out);
    util::Result<DemoEvent, std::string> decode_tick(ByteReader& in);

    std::uint16_t format_;
    std::map<std::uint32_t, Previous> roster_; // by id: the players in the world
};

} // namespace skirmish::demo
