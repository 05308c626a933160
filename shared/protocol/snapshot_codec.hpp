// shared/protocol/snapshot_codec.hpp
//
// Snapshot delta codec: server → client, channel 0 (unreliable-sequenced).
// Layout and limits: docs/PROTOCOL.md, "Snapshots" and "Snapshot delta".
// Pure: no sockets, no clocks.
//
//   A lean frame, not a FlatBuffer (schemas/game.fbs, FrameKind):
//   kind u8 = FrameKind.Snapshot ('S'), server_tick u32 little-endian, then
//   one bit stream (least-significant bit first, zero-padded to a byte):
//     golomb1  baseline_age          server_tick - baseline_tick; 0 = full snapshot
//     golomb1  zigzag(server_tick - last_input_tick)
//     golomb1  zigzag(input_lead)
//     golomb1  zigzag(inputs_held_through - server_tick)
//     entity stream: phase, changed/removed baseline entities, new entities
//
// Each player field is described once in a table (snapshot_fields.hpp) that
// drives encode, decode and the bit accounting, the way ioq3's netField_t does.
//
// IMPORTANT: decode_snapshot() reads untrusted bytes. It never throws and never
// asserts on input; every rejection is a DecodeError the caller counts and drops.
#pragma once

#include "shared/protocol/decode_error.hpp"
#include "shared/sim/world.hpp"
#include "shared/util/result.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

namespace skirmish::protocol {

inline constexpr std::size_t kMaxSnapshotEntities = 64;
inline constexpr std::size_t kMaxSnapshotBytes = 4096;
// The frame's byte-aligned start: the kind byte and server_tick (u32, little-endian).
inline constexpr std::size_t kSnapshotFrameHeaderBytes = 5;
// A baseline older than this many ticks is never used: a full snapshot is sent.
inline constexpr sim::Tick kMaxBaselineAgeTicks = 255;
// Header ranges a decoder accepts (docs/PROTOCOL.md, "Snapshots"): the input
// lead, and how far inputs_held_through may lie from server_tick.
inline constexpr std::int64_t kMaxInputLeadTicks = 100000;
inline constexpr std::int64_t kMaxHeldDistanceTicks = 4096;
// Exp-Golomb orders of the stream's structural numbers (docs/PROTOCOL.md,
// "Snapshot delta"); each field's own order is in the field table.
inline constexpr int kSnapshotHeaderGolombK = 1;     // baseline age, input delta, input lead
inline constexpr int kSnapshotCountGolombK = 0;      // touched and new entity counts
inline constexpr int kSnapshotSkipGolombK = 0;       // untouched baseline entities skipped
inline constexpr int kSnapshotIdGolombK = 3;         // new entity id gaps
inline constexpr int kSnapshotFieldCountGolombK = 1; // fields written (0: removed)

// What a snapshot carries: the match's state at one tick, on the sim grid.
struct SnapshotState {
    sim::Tick tick = 0;
    sim::MatchPhase phase = sim::MatchPhase::Running;
    std::vector<sim::Player> players; // sorted by id

    friend bool operator==(const SnapshotState&, const SnapshotState&) = default;
};

SnapshotState capture_snapshot(const sim::World& world);

// Per-client header values, not part of the shared entity stream.
struct SnapshotHeader {
    sim::Tick server_tick = 0;
    sim::Tick baseline_tick = 0;    // 0: full snapshot
    sim::Tick last_input_tick = 0;  // newest of this client's inputs the server applied
    std::int32_t input_lead = 0;    // how many ticks ahead of need this client's newest input arrived (<0: late)
    // The server holds every input of this client up to this tick (applied or
    // waiting): the client stops resending them. At least last_input_tick.
    sim::Tick inputs_held_through = 0;
};


// Where the bits of entity streams went, for measuring the codec (bench/).
struct StreamStats {
    static constexpr std::size_t kFields = 15;
    std::array<std::uint64_t, kFields> field_changes{};
    std::array<std::uint64_t, kFields> field_bits{};
    std::uint64_t streams = 0;
    std::uint64_t entities_written = 0;
    std::uint64_t overhead_bits = 0; // counts, skips, removal flags, ids, change masks, padding
    std::uint64_t total_bits = 0;
};
std::string_view field_name(std::size_t index);

// The field table as plain values, for docs/PROTOCOL.md's check.
struct FieldDescription {
    std::string_view name;
    std::string_view coding; // "delta", "angle", "flag", "tick_offset"
    int golomb_k = 0;
    std::int64_t min = 0;
    std::int64_t max = 0;
};
std::vector<FieldDescription> describe_fields();

// An entity stream: whole bytes, of which the first `bits` are meaningful.
struct EntityStream {
    std::vector<std::uint8_t> bytes;
    std::size_t bits = 0;
};

// The entity stream for `now` against `baseline` (nullptr: full). This part is
// the same for every client with the same baseline, so the server encodes it
// once per match, tick and baseline.
// tick_rate_hz is the match's, used to predict positions from velocities.
EntityStream encode_entity_stream(const SnapshotState& now, const SnapshotState* baseline, int tick_rate_hz,
                                  StreamStats* stats = nullptr);

// The whole datagram: the per-client header, then a stream from encode_entity_stream().
std::vector<std::uint8_t> wrap_snapshot(const SnapshotHeader& header, const EntityStream& entity_stream);

// Convenience: both steps.
std::vector<std::uint8_t> encode_snapshot(const SnapshotHeader& header, const SnapshotState& now,
                                          const SnapshotState* baseline, int tick_rate_hz);

struct DecodedSnapshot {
    SnapshotHeader header;
    SnapshotState state;
};

// Finds a previously decoded snapshot by tick, or nullptr.
using BaselineLookup = std::function<const SnapshotState*(sim::Tick)>;

// Parses a Snapshot datagram: checks the frame, reads the header, and
// applies the entity stream to the baseline it names (found with `lookup`).
util::Result<DecodedSnapshot, DecodeError> decode_snapshot(std::span<const std::uint8_t> bytes,
                                                           const BaselineLookup& lookup, int tick_rate_hz);

// Reads only the header (to learn server_tick and baseline_tick cheaply).
util::Result<SnapshotHeader, DecodeError> peek_snapshot_header(std::span<const std::uint8_t> bytes);

} // namespace skirmish::protocol
