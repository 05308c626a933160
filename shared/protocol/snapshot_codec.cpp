// shared/protocol/snapshot_codec.cpp
#include "shared/protocol/snapshot_codec.hpp"

#include "shared/protocol/bitstream.hpp"
#include "shared/protocol/snapshot_fields.hpp"

#include "schemas/game_generated.h"

#include <algorithm>
#include <limits>
#include <optional>

namespace skirmish::protocol {

using detail::Coding;
using detail::FieldContext;
using detail::kPlayerFields;


namespace {

constexpr int kCountGolombK = kSnapshotCountGolombK;
constexpr int kSkipGolombK = kSnapshotSkipGolombK;
constexpr int kIdGolombK = kSnapshotIdGolombK;
constexpr int kHeaderGolombK = kSnapshotHeaderGolombK;
constexpr int kFieldCountGolombK = kSnapshotFieldCountGolombK;
constexpr auto kSnapshotKind = static_cast<std::uint8_t>(Skirmish::Game::FrameKind::Snapshot);

std::int64_t wrap_angle(std::int64_t delta) {
    const auto steps = static_cast<std::int64_t>(sim::kAimSteps);
    delta %= steps;
    if (delta < -steps / 2) delta += steps;
    if (delta >= steps / 2) delta -= steps;
    return delta;
}

// --- encode ---

struct Residual {
    bool changed = false;
    std::int64_t value = 0;
};

Residual residual_of(std::size_t f, const sim::Player& now, const sim::Player& base, const FieldContext& ctx) {
    const auto& field = kPlayerFields[f];
    const std::int64_t value = field.get(now);
    switch (field.coding) {
    case Coding::Delta: {
        const std::int64_t r = value - field.predict(base, ctx);
        return {r != 0, r};
    }
    case Coding::Angle: {
        const std::int64_t r = wrap_angle(value - field.get(base));
        return {r != 0, r};
    }
    case Coding::Flag: return {value != field.get(base), 0};
    case Coding::TickOffset: return {value != field.get(base), value - ctx.server_tick};
    }
    return {};
}

// Writes one entity's fields against `base`. Returns false (writing nothing) if
// every residual is zero: the decoder then predicts it exactly.
bool write_fields(BitWriter& w, const sim::Player& now, const sim::Player& base, const FieldContext& ctx,
                  bool force, StreamStats* stats) {
    std::array<Residual, kPlayerFields.size()> residuals;
    std::size_t last_changed = 0;
    for (std::size_t f = 0; f < kPlayerFields.size(); ++f) {
        residuals[f] = residual_of(f, now, base, ctx);
        if (residuals[f].changed) last_changed = f + 1;
    }
    if (last_changed == 0 && !force) return false;
    w.write_golomb(last_changed, kFieldCountGolombK);
    for (std::size_t f = 0; f < last_changed; ++f) {
        // The last changed field is changed by definition: no bit for it.
        if (f + 1 < last_changed) w.write_bool(residuals[f].changed);
        if (!residuals[f].changed) continue;
        const std::size_t before = w.bit_count();
        if (kPlayerFields[f].coding != Coding::Flag) w.write_signed_golomb(residuals[f].value, kPlayerFields[f].golomb_k);
        if (stats) {
            ++stats->field_changes[f];
            stats->field_bits[f] += w.bit_count() - before;
        }
    }
    if (stats) ++stats->entities_written;
    return true;
}

bool entity_changed(const sim::Player& now, const sim::Player& base, const FieldContext& ctx) {
    for (std::size_t f = 0; f < kPlayerFields.size(); ++f) {
        if (residual_of(f, now, base, ctx).changed) return true;
    }
    return false;
}

// --- decode ---

// `last_changed` has been read by the caller (it doubles as the removal mark).
bool read_fields(BitReader& r, std::size_t last_changed, sim::Player& out, const sim::Player& base,
                 const FieldContext& ctx) {
    if (last_changed > kPlayerFields.size()) return false;
    for (std::size_t f = 0; f < kPlayerFields.size(); ++f) {
        const auto& field = kPlayerFields[f];
        const bool changed = f < last_changed && (f + 1 == last_changed || r.read_bool());
        std::int64_t value = 0;
        switch (field.coding) {
        case Coding::Delta: value = field.predict(base, ctx) + (changed ? r.read_signed_golomb(field.golomb_k) : 0); break;
        case Coding::Angle: {
            const std::int64_t d = changed ? r.read_signed_golomb(field.golomb_k) : 0;
            if (d < -static_cast<std::int64_t>(sim::kAimSteps) / 2 || d >= static_cast<std::int64_t>(sim::kAimSteps) / 2)
                return false;
            const auto steps = static_cast<std::int64_t>(sim::kAimSteps);
            value = ((field.get(base) + d) % steps + steps) % steps;
            break;
        }
        case Coding::Flag: value = changed ? 1 - field.get(base) : field.get(base); break;
        case Coding::TickOffset:
            value = changed ? ctx.server_tick + r.read_signed_golomb(field.golomb_k) : field.get(base);
            break;
        }
        if (r.failed() || value < field.min || value > field.max) return false;
        field.set(out, value);
    }
    return !r.failed();
}

// The state an entity is predicted to have with no bits written.
sim::Player predicted(const sim::Player& base, const FieldContext& ctx) {
    sim::Player p = base;
    for (const auto& field : kPlayerFields) {
        if (field.coding == Coding::Delta) field.set(p, field.predict(base, ctx));
    }
    return p;
}

} // namespace

SnapshotState capture_snapshot(const sim::World& world) {
    return SnapshotState{world.tick, world.phase, world.players};
}

std::vector<FieldDescription> describe_fields() {
    std::vector<FieldDescription> out;
    for (const auto& f : kPlayerFields) {
        std::string_view coding = "delta";
        if (f.coding == Coding::Angle) coding = "angle";
        if (f.coding == Coding::Flag) coding = "flag";
        if (f.coding == Coding::TickOffset) coding = "tick_offset";
        out.push_back({f.name, coding, f.golomb_k, f.min, f.max});
    }
    return out;
}

std::string_view field_name(std::size_t index) {
    return index < kPlayerFields.size() ? kPlayerFields[index].name : "?";
}

EntityStream encode_entity_stream(const SnapshotState& now, const SnapshotState* baseline, int tick_rate_hz,
                                  StreamStats* stats) {
    EntityStream result;
    std::vector<std::uint8_t>& out = result.bytes;
    out.reserve(16 + now.players.size() * 6);
    BitWriter w(out);
    FieldContext ctx;
    ctx.server_tick = now.tick;
    ctx.tick_rate_hz = tick_rate_hz;
    ctx.ticks_since_baseline = baseline ? static_cast<std::int64_t>(now.tick) - baseline->tick : 0;
    w.write_bits(now.phase == sim::MatchPhase::Over ? 1 : 0, 1);

    // Merge walk over the two sorted lists: touched baseline entities first
    // (changed or removed, as skips over the untouched), then the new ones.
    struct Touch {
        std::size_t base_index;
        const sim::Player* now; // nullptr: removed
    };
    std::vector<Touch> touched;
    std::vector<const sim::Player*> added;
    const std::vector<sim::Player> none;
    const auto& base_players = baseline ? baseline->players : none;
    std::size_t i = 0, j = 0;
    while (i < base_players.size() || j < now.players.size()) {
        if (j == now.players.size() || (i < base_players.size() && base_players[i].id < now.players[j].id)) {
            touched.push_back({i++, nullptr});
        } else if (i == base_players.size() || now.players[j].id < base_players[i].id) {
            added.push_back(&now.players[j++]);
        } else {
            if (entity_changed(now.players[j], base_players[i], ctx)) touched.push_back({i, &now.players[j]});
            ++i;
            ++j;
        }
    }

    w.write_golomb(touched.size(), kCountGolombK);
    std::size_t next_index = 0;
    for (const Touch& t : touched) {
        w.write_golomb(t.base_index - next_index, kSkipGolombK);
        next_index = t.base_index + 1;
        if (t.now) write_fields(w, *t.now, base_players[t.base_index], ctx, true, stats);
        else w.write_golomb(0, kFieldCountGolombK); // removed
    }

    w.write_golomb(added.size(), kCountGolombK);
    std::uint64_t previous_id = 0;
    const sim::Player blank{};
    FieldContext fresh = ctx;
    fresh.ticks_since_baseline = 0;
    for (std::size_t k = 0; k < added.size(); ++k) {
        const std::uint64_t id = sim::to_int(added[k]->id);
        w.write_golomb(k == 0 ? id : id - previous_id - 1, kIdGolombK);
        previous_id = id;
        write_fields(w, *added[k], blank, fresh, true, stats);
    }
    result.bits = w.bit_count();
    if (stats) {
        ++stats->streams;
        std::uint64_t field_bits = 0;
        for (auto b : stats->field_bits) field_bits += b;
        stats->total_bits += result.bits;
        stats->overhead_bits = stats->total_bits - field_bits;
    }
    return result;
}

std::vector<std::uint8_t> wrap_snapshot(const SnapshotHeader& header, const EntityStream& entity_stream) {
    std::vector<std::uint8_t> payload;
    payload.reserve(entity_stream.bytes.size() + 4);
    BitWriter w(payload);
    w.write_golomb(header.baseline_tick == 0 ? 0 : header.server_tick - header.baseline_tick, kHeaderGolombK);
    w.write_signed_golomb(static_cast<std::int64_t>(header.server_tick) - header.last_input_tick, kHeaderGolombK);
    w.write_signed_golomb(header.input_lead, kHeaderGolombK);
    // Relative to server_tick, not to last_input_tick: a player who has not
    // had an input applied for a long time (a newcomer, a stalled client) has
    // a last_input_tick far behind while the server holds its inputs through
    // about server_tick, and the difference must stay small.
    w.write_signed_golomb(static_cast<std::int64_t>(std::max(header.inputs_held_through, header.last_input_tick)) -
                              static_cast<std::int64_t>(header.server_tick),
                          kHeaderGolombK);
    w.append(entity_stream.bytes, entity_stream.bits);
    w.finish();

    std::vector<std::uint8_t> frame;
    frame.reserve(kSnapshotFrameHeaderBytes + payload.size());
    frame.push_back(kSnapshotKind);
    for (int shift = 0; shift < 32; shift += 8) frame.push_back(static_cast<std::uint8_t>(header.server_tick >> shift));
    frame.insert(frame.end(), payload.begin(), payload.end());
    return frame;
}

std::vector<std::uint8_t> encode_snapshot(const SnapshotHeader& header, const SnapshotState& now,
                                          const SnapshotState* baseline, int tick_rate_hz) {
    return wrap_snapshot(header, encode_entity_stream(now, baseline, tick_rate_hz, nullptr));
}

namespace {

struct Parsed {
    SnapshotHeader header;
    std::span<const std::uint8_t> payload;
};

// Checks the frame and reads the header bits with `r`, which is left at
// the start of the entity stream.
util::Result<Parsed, DecodeError> parse(std::span<const std::uint8_t> bytes, std::optional<BitReader>& r) {
    if (bytes.size() <= kSnapshotFrameHeaderBytes) return util::fail(DecodeError::TooShort);
    if (bytes.size() > kMaxSnapshotBytes) return util::fail(DecodeError::TooLong);
    if (bytes[0] != kSnapshotKind) return util::fail(DecodeError::UnknownMessage);
    Parsed parsed;
    parsed.payload = bytes.subspan(kSnapshotFrameHeaderBytes);
    parsed.header.server_tick = static_cast<sim::Tick>(bytes[1]) | static_cast<sim::Tick>(bytes[2]) << 8 |
                                static_cast<sim::Tick>(bytes[3]) << 16 | static_cast<sim::Tick>(bytes[4]) << 24;
    r.emplace(parsed.payload);
    const std::uint64_t age = r->read_golomb(kHeaderGolombK);
    const std::int64_t input_delta = r->read_signed_golomb(kHeaderGolombK);
    const std::int64_t lead = r->read_signed_golomb(kHeaderGolombK);
    const std::int64_t held_delta = r->read_signed_golomb(kHeaderGolombK);
    constexpr std::int64_t kMaxTick = std::numeric_limits<std::uint32_t>::max();
    const std::int64_t server_tick = parsed.header.server_tick;
    const std::int64_t last_input = server_tick - input_delta;
    const std::int64_t held = server_tick + held_delta;
    // At least last_input_tick, as documented; computed in 64 bits so it cannot
    // wrap, and as far from server_tick as the encoder can write (else a header
    // with last_input_tick far ahead would decode but not encode back).
    const std::int64_t held_through = std::max(held, last_input);
    if (r->failed() || age > kMaxBaselineAgeTicks || age > parsed.header.server_tick || last_input < 0 ||
        last_input > kMaxTick || lead < -kMaxInputLeadTicks || lead > kMaxInputLeadTicks ||
        held_delta < -kMaxHeldDistanceTicks || held_delta > kMaxHeldDistanceTicks || held < 0 || held > kMaxTick ||
        held_through - server_tick > kMaxHeldDistanceTicks)
        return util::fail(DecodeError::BadHeader);
    parsed.header.baseline_tick = age == 0 ? 0 : parsed.header.server_tick - static_cast<sim::Tick>(age);
    parsed.header.last_input_tick = static_cast<sim::Tick>(last_input);
    parsed.header.input_lead = static_cast<std::int32_t>(lead);
    parsed.header.inputs_held_through = static_cast<sim::Tick>(held_through);
    return parsed;
}

} // namespace

util::Result<SnapshotHeader, DecodeError> peek_snapshot_header(std::span<const std::uint8_t> bytes) {
    std::optional<BitReader> reader;
    auto parsed = parse(bytes, reader);
    if (!parsed) return util::fail(parsed.error());
    return parsed->header;
}

util::Result<DecodedSnapshot, DecodeError> decode_snapshot(std::span<const std::uint8_t> bytes,
                                                           const BaselineLookup& lookup, int tick_rate_hz) {
    std::optional<BitReader> reader;
    auto parsed = parse(bytes, reader);
    if (!parsed) return util::fail(parsed.error());
    BitReader& r = *reader;
    const SnapshotHeader& header = parsed->header;

    const SnapshotState* baseline = nullptr;
    if (header.baseline_tick != 0) {
        baseline = lookup ? lookup(header.baseline_tick) : nullptr;
        if (!baseline || baseline->tick != header.baseline_tick) return util::fail(DecodeError::UnknownBaseline);
    }
    const std::vector<sim::Player> none;
    const auto& base_players = baseline ? baseline->players : none;

    FieldContext ctx;
    ctx.server_tick = header.server_tick;
    ctx.tick_rate_hz = tick_rate_hz;
    ctx.ticks_since_baseline = baseline ? static_cast<std::int64_t>(header.server_tick) - baseline->tick : 0;

    DecodedSnapshot out;
    out.header = header;
    out.state.tick = header.server_tick;
    out.state.phase = r.read_bits(1) ? sim::MatchPhase::Over : sim::MatchPhase::Running;

    // Touched baseline entities; everything between them is predicted unchanged.
    const std::uint64_t touched = r.read_golomb(kCountGolombK);
    if (r.failed() || touched > base_players.size()) return util::fail(DecodeError::EntityOutOfRange);
    out.state.players.reserve(base_players.size() + 4);
    std::size_t next_index = 0;
    for (std::uint64_t t = 0; t < touched; ++t) {
        const std::uint64_t skip = r.read_golomb(kSkipGolombK);
        if (r.failed() || skip > base_players.size() - next_index) return util::fail(DecodeError::EntityOutOfRange);
        for (std::uint64_t s = 0; s < skip; ++s) out.state.players.push_back(predicted(base_players[next_index++], ctx));
        if (next_index >= base_players.size()) return util::fail(DecodeError::EntityOutOfRange);
        const sim::Player& base = base_players[next_index++];
        const auto fields = static_cast<std::size_t>(r.read_golomb(kFieldCountGolombK));
        if (r.failed()) return util::fail(DecodeError::BadField);
        if (fields == 0) continue; // removed
        sim::Player p = base;
        if (!read_fields(r, fields, p, base, ctx)) return util::fail(DecodeError::BadField);
        out.state.players.push_back(p);
    }
    while (next_index < base_players.size()) out.state.players.push_back(predicted(base_players[next_index++], ctx));

    // New entities, in increasing id order.
    const std::uint64_t added = r.read_golomb(kCountGolombK);
    if (r.failed() || added > kMaxSnapshotEntities || out.state.players.size() + added > kMaxSnapshotEntities)
        return util::fail(DecodeError::TooManyEntities);
    std::uint64_t previous_id = 0;
    const sim::Player blank{};
    FieldContext fresh = ctx;
    fresh.ticks_since_baseline = 0;
    const std::size_t kept = out.state.players.size();
    for (std::uint64_t k = 0; k < added; ++k) {
        const std::uint64_t gap = r.read_golomb(kIdGolombK);
        const std::uint64_t id = k == 0 ? gap : previous_id + gap + 1;
        if (r.failed() || id > std::numeric_limits<std::uint32_t>::max()) return util::fail(DecodeError::EntityOutOfRange);
        previous_id = id;
        sim::Player p = blank;
        p.id = sim::PlayerId{static_cast<std::uint32_t>(id)};
        const auto fields = static_cast<std::size_t>(r.read_golomb(kFieldCountGolombK));
        if (!read_fields(r, fields, p, blank, fresh)) return util::fail(DecodeError::BadField);
        out.state.players.push_back(p);
    }
    if (!r.at_end()) return util::fail(DecodeError::TrailingBits);
    // New ids must not collide with kept ones; restore id order.
    std::inplace_merge(out.state.players.begin(), out.state.players.begin() + static_cast<std::ptrdiff_t>(kept),
                       out.state.players.end(), [](const sim::Player& a, const sim::Player& b) { return a.id < b.id; });
    for (std::size_t k = 1; k < out.state.players.size(); ++k) {
        if (!(out.state.players[k - 1].id < out.state.players[k].id)) return util::fail(DecodeError::EntityOutOfRange);
    }
    return out;
}

} // namespace skirmish::protocol
