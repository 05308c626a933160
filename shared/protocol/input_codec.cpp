// shared/protocol/input_codec.cpp
#include "shared/protocol/input_codec.hpp"

#include "shared/protocol/bitstream.hpp"
#include "shared/sim/quantise.hpp"

#include "schemas/game_generated.h"

#include <algorithm>
#include <limits>

namespace skirmish::protocol {

namespace {

constexpr auto kInputKind = static_cast<std::uint8_t>(Skirmish::Game::FrameKind::InputPacket);
constexpr int kCountBits = 5;
constexpr int kAimBits = 12;
constexpr int kButtonBits = 2;
static_assert(kMaxInputsPerPacket < (1u << kCountBits));
static_assert(sim::kAimSteps == 1u << kAimBits);
static_assert(sim::buttons::kAll < (1u << kButtonBits));

// A 32-bit tick difference, as the signed number the wire carries: the
// difference modulo 2^32 read as two's complement, so any two ticks round-trip.
std::int64_t tick_offset(sim::Tick from, sim::Tick to) noexcept {
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(from - to));
}
bool offset_in_range(std::int64_t offset) noexcept {
    return offset >= std::numeric_limits<std::int32_t>::min() && offset <= std::numeric_limits<std::int32_t>::max();
}
sim::Tick minus_offset(sim::Tick from, std::int64_t offset) noexcept {
    return static_cast<sim::Tick>(from - static_cast<std::uint32_t>(offset));
}

// What the wire can carry of each field: the encoder compares and writes these.
std::uint16_t aim_of(const TickInput& t) noexcept { return static_cast<std::uint16_t>(t.input.aim % sim::kAimSteps); }
std::uint8_t buttons_of(const TickInput& t) noexcept { return t.input.buttons & sim::buttons::kAll; }
std::int8_t axis_of(std::int8_t v) noexcept { return std::max<std::int8_t>(v, -sim::kMoveAxisMax); }

// A move axis: keyboards and bots give 0 or ±127, so those take 2 bits.
enum AxisClass : std::uint8_t { kAxisZero = 0, kAxisFull = 1, kAxisFullNegative = 2, kAxisRaw = 3 };

void write_axis(BitWriter& w, std::int8_t v) {
    v = axis_of(v); // -128 is not on the wire
    if (v == 0) w.write_bits(kAxisZero, 2);
    else if (v == sim::kMoveAxisMax) w.write_bits(kAxisFull, 2);
    else if (v == -sim::kMoveAxisMax) w.write_bits(kAxisFullNegative, 2);
    else {
        w.write_bits(kAxisRaw, 2);
        w.write_bits(static_cast<std::uint8_t>(v), 8);
    }
}

bool read_axis(BitReader& r, std::int8_t& v) {
    switch (r.read_bits(2)) {
    case kAxisZero: v = 0; return true;
    case kAxisFull: v = sim::kMoveAxisMax; return true;
    case kAxisFullNegative: v = -sim::kMoveAxisMax; return true;
    default: {
        const auto raw = static_cast<std::int8_t>(static_cast<std::uint8_t>(r.read_bits(8)));
        v = raw;
        return raw >= -sim::kMoveAxisMax;
    }
    }
}

// The aim's change as the shorter way round the circle: -2048..2047.
std::int64_t aim_step(std::uint16_t from, std::uint16_t to) noexcept {
    const auto d = static_cast<std::int64_t>((to - from) & (sim::kAimSteps - 1));
    return d >= sim::kAimSteps / 2 ? d - sim::kAimSteps : d;
}

bool same_move(const sim::PlayerInput& a, const sim::PlayerInput& b) noexcept {
    return axis_of(a.move_x) == axis_of(b.move_x) && axis_of(a.move_y) == axis_of(b.move_y);
}

// Where the player looked, as an offset from the input's tick in 1/256 of a
// tick: (tick·256 − (view_tick·256 + view_fraction)) modulo 2^40, read as a
// signed 40-bit number. It stays nearly constant from one input to the next
// while the view time advances with the ticks.
constexpr std::int64_t kViewSpan = std::int64_t{1} << 40;
std::int64_t view_offset(const TickInput& t) noexcept {
    const std::int64_t at = static_cast<std::int64_t>(t.tick) << 8;
    const std::int64_t seen = static_cast<std::int64_t>(t.input.view_tick) << 8 | t.input.view_fraction;
    std::int64_t d = (at - seen) & (kViewSpan - 1);
    return d >= kViewSpan / 2 ? d - kViewSpan : d;
}
bool view_offset_in_range(std::int64_t offset) noexcept { return offset >= -kViewSpan / 2 && offset < kViewSpan / 2; }
void set_view(TickInput& t, std::int64_t offset) noexcept {
    const std::int64_t seen = ((static_cast<std::int64_t>(t.tick) << 8) - offset) & (kViewSpan - 1);
    t.input.view_tick = static_cast<sim::Tick>(seen >> 8);
    t.input.view_fraction = static_cast<std::uint8_t>(seen & 0xff);
}
// An older input made in the same frame as the newer one saw the same moment.
bool same_view_time(const TickInput& a, const TickInput& b) noexcept {
    return a.input.view_tick == b.input.view_tick && a.input.view_fraction == b.input.view_fraction;
}

} // namespace

std::vector<std::uint8_t> encode_input_packet(const InputPacket& packet) {
    const std::size_t count = std::min(packet.inputs.size(), kMaxInputsPerPacket);
    std::vector<std::uint8_t> out;
    out.reserve(16 + count * 2);
    out.push_back(kInputKind);
    BitWriter w(out);
    w.write_bits(count, kCountBits);
    if (count == 0) {
        w.write_bits(packet.ack_snapshot_tick, 32);
        w.finish();
        return out;
    }
    const TickInput& newest = packet.inputs[0];
    w.write_bits(newest.tick, 32);
    w.write_signed_golomb(tick_offset(newest.tick, packet.ack_snapshot_tick), kInputAckGolombK);
    w.write_signed_golomb(view_offset(newest), kInputViewGolombK);
    w.write_bits(aim_of(newest), kAimBits);
    write_axis(w, newest.input.move_x);
    write_axis(w, newest.input.move_y);
    w.write_bits(buttons_of(newest), kButtonBits);

    for (std::size_t i = 1; i < count; ++i) {
        const TickInput& newer = packet.inputs[i - 1];
        const TickInput& t = packet.inputs[i];
        w.write_golomb(newer.tick - t.tick - 1, kInputGapGolombK);
        const std::int64_t view_change = view_offset(t) - view_offset(newer);
        const bool view_same = view_change == 0;
        const bool aim_same = aim_of(t) == aim_of(newer);
        const bool move_same = same_move(t.input, newer.input);
        const bool buttons_same = buttons_of(t) == buttons_of(newer);
        const bool all_same = view_same && aim_same && move_same && buttons_same;
        w.write_bool(all_same);
        if (all_same) continue;
        w.write_bool(!view_same);
        if (!view_same) {
            const bool same_time = same_view_time(t, newer);
            w.write_bool(same_time);
            if (!same_time) w.write_signed_golomb(view_change, kInputViewChangeGolombK);
        }
        w.write_bool(!aim_same);
        if (!aim_same) w.write_signed_golomb(aim_step(aim_of(newer), aim_of(t)), kInputAimGolombK);
        w.write_bool(!move_same);
        if (!move_same) {
            write_axis(w, t.input.move_x);
            write_axis(w, t.input.move_y);
        }
        w.write_bool(!buttons_same);
        if (!buttons_same) w.write_bits(buttons_of(t), kButtonBits);
    }
    w.finish();
    return out;
}

util::Result<InputPacket, DecodeError> decode_input_packet(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < 2) return util::fail(DecodeError::TooShort);
    if (bytes.size() > kMaxInputPacketBytes) return util::fail(DecodeError::TooLong);
    if (bytes[0] != kInputKind) return util::fail(DecodeError::UnknownMessage);
    BitReader r(bytes.subspan(1));
    InputPacket packet;
    const auto count = static_cast<std::size_t>(r.read_bits(kCountBits));
    if (r.failed()) return util::fail(DecodeError::TooShort);
    if (count > kMaxInputsPerPacket) return util::fail(DecodeError::TooLong);
    if (count == 0) {
        // No inputs is an acknowledgement alone: what a spectator sends.
        packet.ack_snapshot_tick = static_cast<sim::Tick>(r.read_bits(32));
        if (r.failed()) return util::fail(DecodeError::TooShort);
        if (!r.at_end()) return util::fail(DecodeError::TrailingBits);
        return packet;
    }

    packet.inputs.reserve(count);
    TickInput newest;
    newest.tick = static_cast<sim::Tick>(r.read_bits(32));
    const std::int64_t ack_offset = r.read_signed_golomb(kInputAckGolombK);
    std::int64_t view = r.read_signed_golomb(kInputViewGolombK);
    if (r.failed()) return util::fail(DecodeError::TooShort);
    if (!offset_in_range(ack_offset) || !view_offset_in_range(view)) return util::fail(DecodeError::BadField);
    packet.ack_snapshot_tick = minus_offset(newest.tick, ack_offset);
    set_view(newest, view);
    newest.input.aim = static_cast<std::uint16_t>(r.read_bits(kAimBits));
    if (!read_axis(r, newest.input.move_x) || !read_axis(r, newest.input.move_y))
        return util::fail(DecodeError::BadField);
    newest.input.buttons = static_cast<std::uint8_t>(r.read_bits(kButtonBits));
    if (r.failed()) return util::fail(DecodeError::TooShort);
    packet.inputs.push_back(newest);

    for (std::size_t i = 1; i < count; ++i) {
        const TickInput& newer = packet.inputs.back();
        TickInput t = newer; // every field not written is the newer input's
        const std::uint64_t gap = r.read_golomb(kInputGapGolombK);
        if (r.failed()) return util::fail(DecodeError::TooShort);
        if (gap >= newer.tick) return util::fail(DecodeError::BadField); // ticks strictly decrease, never below 0
        t.tick = newer.tick - static_cast<sim::Tick>(gap) - 1;
        bool same_time = false;
        if (!r.read_bool()) {
            if (r.read_bool()) {
                same_time = r.read_bool();
                if (!same_time) {
                    view += r.read_signed_golomb(kInputViewChangeGolombK);
                    if (!view_offset_in_range(view)) return util::fail(DecodeError::BadField);
                }
            }
            if (r.read_bool()) {
                const std::int64_t step = r.read_signed_golomb(kInputAimGolombK);
                if (step < -static_cast<std::int64_t>(sim::kAimSteps / 2) || step >= sim::kAimSteps / 2)
                    return util::fail(DecodeError::BadField);
                t.input.aim = static_cast<std::uint16_t>((newer.input.aim + step) & (sim::kAimSteps - 1));
            }
            if (r.read_bool() && (!read_axis(r, t.input.move_x) || !read_axis(r, t.input.move_y)))
                return util::fail(DecodeError::BadField);
            if (r.read_bool()) t.input.buttons = static_cast<std::uint8_t>(r.read_bits(kButtonBits));
        }
        if (r.failed()) return util::fail(DecodeError::TooShort);
        if (same_time) view = view_offset(t); // t still holds the newer input's view time
        else set_view(t, view);
        packet.inputs.push_back(t);
    }
    if (!r.at_end()) return util::fail(DecodeError::TrailingBits);
    return packet;
}

} // namespace skirmish::protocol
