// tests/fuzz/snapshot_fuzz.cpp: two snapshot datagrams as a client reads them.
// The first is decoded with no baselines (a full snapshot); the second against
// the first when it names its tick, as a client's baseline store would. Each
// decoded snapshot is encoded again against the same baseline and must decode
// to the same header and state; the header keeps its documented invariants.
//
//   input: u8 tick rate (10 + n % 119) | u16 LE length of the first | first | second
#include "fuzz_support.hpp"

#include "shared/protocol/snapshot_codec.hpp"

#include <vector>

using namespace skirmish;
using protocol::DecodedSnapshot;
using protocol::SnapshotHeader;
using protocol::SnapshotState;

namespace {

bool same_header(const SnapshotHeader& a, const SnapshotHeader& b) {
    return a.server_tick == b.server_tick && a.baseline_tick == b.baseline_tick &&
           a.last_input_tick == b.last_input_tick && a.input_lead == b.input_lead &&
           a.inputs_held_through == b.inputs_held_through;
}

// What any accepted snapshot promises (docs/PROTOCOL.md, "Snapshots").
void check_invariants(const DecodedSnapshot& s, fuzz::Bytes bytes) {
    SKIRMISH_FUZZ_CHECK(s.state.tick == s.header.server_tick);
    SKIRMISH_FUZZ_CHECK(s.state.players.size() <= protocol::kMaxSnapshotEntities);
    for (std::size_t i = 1; i < s.state.players.size(); ++i)
        SKIRMISH_FUZZ_CHECK(s.state.players[i - 1].id < s.state.players[i].id);
    SKIRMISH_FUZZ_CHECK(s.header.baseline_tick == 0 ||
                        (s.header.baseline_tick < s.header.server_tick &&
                         s.header.server_tick - s.header.baseline_tick <= protocol::kMaxBaselineAgeTicks));
    // "at least last_input_tick" (issue 10 item 11: it wrapped near tick 2^32)
    SKIRMISH_FUZZ_CHECK(s.header.inputs_held_through >= s.header.last_input_tick);
    auto peeked = protocol::peek_snapshot_header(bytes);
    SKIRMISH_FUZZ_CHECK(peeked.has_value() && same_header(*peeked, s.header));
}

void check_round_trip(const DecodedSnapshot& s, const SnapshotState* baseline, const protocol::BaselineLookup& lookup,
                      int tick_rate_hz) {
    const auto encoded = protocol::encode_snapshot(s.header, s.state, baseline, tick_rate_hz);
    auto again = protocol::decode_snapshot(encoded, lookup, tick_rate_hz);
    SKIRMISH_FUZZ_CHECK(again.has_value());
    SKIRMISH_FUZZ_CHECK(same_header(again->header, s.header));
    SKIRMISH_FUZZ_CHECK(again->state == s.state);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 3) return 0;
    const int tick_rate_hz = 10 + data[0] % 119;
    const std::size_t first_size = std::min<std::size_t>(data[1] | (data[2] << 8), size - 3);
    // Each datagram in a buffer of its own, aligned as ENet's packet data is.
    const std::vector<std::uint8_t> first_copy(data + 3, data + 3 + first_size);
    const std::vector<std::uint8_t> second_copy(data + 3 + first_size, data + size);
    const fuzz::Bytes first(first_copy.data(), first_copy.size());
    const fuzz::Bytes second(second_copy.data(), second_copy.size());

    const protocol::BaselineLookup none;
    auto full = protocol::decode_snapshot(first, none, tick_rate_hz);
    if (full) {
        check_invariants(*full, first);
        SKIRMISH_FUZZ_CHECK(full->header.baseline_tick == 0); // there was nothing to delta against
        check_round_trip(*full, nullptr, none, tick_rate_hz);
    } else {
        SKIRMISH_FUZZ_CHECK(!protocol::name(full.error()).empty());
    }

    const protocol::BaselineLookup lookup = [&](sim::Tick tick) -> const SnapshotState* {
        return full && full->state.tick == tick ? &full->state : nullptr;
    };
    auto delta = protocol::decode_snapshot(second, lookup, tick_rate_hz);
    if (!delta) return 0;
    check_invariants(*delta, second);
    const SnapshotState* baseline = delta->header.baseline_tick == 0 ? nullptr : &full->state;
    SKIRMISH_FUZZ_CHECK(baseline == nullptr || baseline->tick == delta->header.baseline_tick);
    check_round_trip(*delta, baseline, lookup, tick_rate_hz);
    return 0;
}
