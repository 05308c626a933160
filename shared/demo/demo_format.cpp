// shared/demo/demo_format.cpp
#include "shared/demo/demo_format.hpp"

#include "shared/demo/player_fields.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <type_traits>

namespace skirmish::demo {

static_assert(kDemoFormatVersion == kPlayerStateFormat, "the demo format writes player_fields.hpp's layout");

namespace {

using util::fail;

constexpr std::uint32_t kMaxHistoryTicks = 1u << 16;

// Tick entry flags (docs/DEMO.md, "Tick").
constexpr std::uint8_t kSourceMask = 0x03;
constexpr std::uint8_t kHasMove = 1u << 2;
constexpr std::uint8_t kHasAim = 1u << 3;
constexpr std::uint8_t kHasButtons = 1u << 4;
constexpr std::uint8_t kHasView = 1u << 5;
constexpr std::uint8_t kReservedFlags = 0xc0;

// The view as a lag behind the tick in 1/256 ticks, modulo 2^40 (the view
// tick is 32 bits, the fraction 8): steady while the client's interpolation
// is, so its change fits a byte most ticks.
constexpr std::uint64_t kViewMask = (std::uint64_t{1} << 40) - 1;
std::uint64_t view_lag(sim::Tick tick, const sim::PlayerInput& in) {
    const std::uint64_t view = (std::uint64_t{in.view_tick} << 8) | in.view_fraction;
    return ((std::uint64_t{tick} << 8) - view) & kViewMask;
}
// The change from `from` to `to` as a signed 40-bit number.
std::int64_t lag_change(std::uint64_t from, std::uint64_t to) {
    const std::uint64_t d = (to - from) & kViewMask;
    return d >= (std::uint64_t{1} << 39) ? static_cast<std::int64_t>(d) - (std::int64_t{1} << 40)
                                         : static_cast<std::int64_t>(d);
}

enum class RulesKind : std::uint8_t { Int32 = 0, Float32 = 1, Bool = 2 };

void write_rules(ByteWriter& out, const sim::Rules& rules) {
    out.u8(static_cast<std::uint8_t>(kRulesFieldCount));
    visit_rules(rules, [&](std::string_view name, const auto& value) {
        using T = std::decay_t<decltype(value)>;
        out.str(name);
        if constexpr (std::is_same_v<T, bool>) {
            out.u8(static_cast<std::uint8_t>(RulesKind::Bool));
            out.u32(value ? 1 : 0);
        } else if constexpr (std::is_same_v<T, float>) {
            out.u8(static_cast<std::uint8_t>(RulesKind::Float32));
            out.f32(value);
        } else {
            out.u8(static_cast<std::uint8_t>(RulesKind::Int32));
            out.i32(value);
        }
    });
}

// Every field of the file's format must be present exactly once, of its kind
// (format 1: all but spawn_protection_s, which is then 0).
util::Result<sim::Rules, std::string> read_rules(ByteReader& in, std::uint16_t format) {
    sim::Rules rules;
    const bool format_1 = format < 2;
    if (format_1) rules.spawn_protection_s = 0.0f;
    const std::size_t expected = format_1 ? kRulesFieldCount - 1 : kRulesFieldCount;
    const std::size_t count = in.u8();
    std::size_t matched = 0;
    std::vector<bool> seen(kRulesFieldCount);
    for (std::size_t i = 0; i < count && !in.failed(); ++i) {
        const std::string name = in.str();
        const auto kind = static_cast<RulesKind>(in.u8());
        const std::uint32_t bits = in.u32();
        bool known = false, right_kind = false, again = false;
        std::size_t index = 0;
        visit_rules(rules, [&](std::string_view field, auto& value) {
            if (field != name || (format_1 && field == kRuleAddedInFormat2)) {
                ++index;
                return;
            }
            known = true;
            again = seen[index];
            seen[index] = true;
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, bool>) {
                right_kind = kind == RulesKind::Bool && bits <= 1;
                value = bits != 0;
            } else if constexpr (std::is_same_v<T, float>) {
                right_kind = kind == RulesKind::Float32;
                value = std::bit_cast<float>(bits);
            } else {
                right_kind = kind == RulesKind::Int32;
                value = static_cast<std::int32_t>(bits);
            }
        });
        if (in.failed()) break;
        if (!known)
            return fail(fmt::format("the rules field '{}' is unknown to this build in format {}", name, format));
        if (!right_kind) return fail(fmt::format("the rules field '{}' has the wrong type", name));
        if (again) return fail(fmt::format("the rules field '{}' appears twice", name));
        ++matched;
    }
    if (in.failed()) return fail(std::string("the header is cut short in its rules"));
    if (matched != expected || count != expected)
        return fail(fmt::format("the header has {} rules fields; format {} has exactly {}", count, format, expected));
    if (auto valid = sim::validate_rules(rules); !valid) return fail("the header's rules: " + valid.error());
    return rules;
}

void write_map(ByteWriter& out, const sim::Map& map) {
    out.str(map.name);
    out.f32(map.width);
    out.f32(map.height);
    out.u16(static_cast<std::uint16_t>(map.walls.size()));
    for (const sim::Rect& r : map.walls) {
        out.f32(r.x);
        out.f32(r.y);
        out.f32(r.w);
        out.f32(r.h);
    }
    out.u16(static_cast<std::uint16_t>(map.spawns.size()));
    for (const sim::Vec2& s : map.spawns) {
        out.f32(s.x);
        out.f32(s.y);
    }
}

util::Result<sim::Map, std::string> read_map(ByteReader& in, float player_radius) {
    sim::Map map;
    map.name = in.str();
    map.width = in.f32();
    map.height = in.f32();
    const std::size_t walls = in.u16();
    if (walls > sim::kMaxWalls) return fail(fmt::format("the map has {} walls, more than {}", walls, sim::kMaxWalls));
    for (std::size_t i = 0; i < walls && !in.failed(); ++i) map.walls.push_back({in.f32(), in.f32(), in.f32(), in.f32()});
    const std::size_t spawns = in.u16();
    if (spawns > sim::kMaxSpawns)
        return fail(fmt::format("the map has {} spawns, more than {}", spawns, sim::kMaxSpawns));
    for (std::size_t i = 0; i < spawns && !in.failed(); ++i) map.spawns.push_back({in.f32(), in.f32()});
    if (in.failed()) return fail(std::string("the header is cut short in its map"));
    if (auto valid = sim::validate_map(map, player_radius); !valid) return fail("the header's map: " + valid.error());
    return map;
}


} // namespace

std::string_view name(InputSource source) {
    switch (source) {
    case InputSource::Applied: return "applied";
    case InputSource::Repeated: return "repeated";
    case InputSource::Missing: return "missing";
    }
    return "unknown";
}

// --- header -------------------------------------------------------------------------

std::vector<std::uint8_t> encode_header(const DemoHeader& h) {
    ByteWriter out;
    out.u32(h.protocol_version);
    out.u32(h.rules_version);
    out.str(h.server_version);
    out.u32(h.match_id);
    out.u32(h.room_id);
    out.u64(h.started_unix_ms);
    out.u16(h.snapshot_rate_hz);
    out.str(h.settings.map);
    out.u8(h.settings.max_players);
    out.u16(h.settings.frag_limit);
    out.u16(h.settings.time_limit_s);
    out.u8(h.settings.join_in_progress ? 1 : 0);
    out.u32(h.history_ticks);
    out.u64(h.seed);
    out.u32(h.state_interval_ticks);
    write_rules(out, h.rules);
    write_map(out, h.map);
    return out.bytes();
}

util::Result<DemoHeader, std::string> decode_header(std::span<const std::uint8_t> payload, std::uint16_t format) {
    ByteReader in(payload);
    DemoHeader h;
    h.protocol_version = in.u32();
    h.rules_version = in.u32();
    h.server_version = in.str();
    h.match_id = in.u32();
    h.room_id = in.u32();
    h.started_unix_ms = in.u64();
    h.snapshot_rate_hz = in.u16();
    h.settings.map = in.str();
    h.settings.max_players = in.u8();
    h.settings.frag_limit = in.u16();
    h.settings.time_limit_s = in.u16();
    h.settings.join_in_progress = in.u8() != 0;
    h.history_ticks = in.u32();
    h.seed = in.u64();
    h.state_interval_ticks = in.u32();
    if (in.failed()) return fail(std::string("the header is cut short"));
    if (h.history_ticks < 2 || h.history_ticks > kMaxHistoryTicks)
        return fail(fmt::format("history of {} ticks is outside 2..{}", h.history_ticks, kMaxHistoryTicks));
    if (h.state_interval_ticks == 0) return fail(std::string("the state interval is 0 ticks"));
    auto rules = read_rules(in, format);
    if (!rules) return fail(rules.error());
    h.rules = *rules;
    auto map = read_map(in, h.rules.player_radius);
    if (!map) return fail(map.error());
    h.map = std::move(*map);
    if (!in.done()) return fail(fmt::format("the header has {} bytes too many", in.remaining()));
    return h;
}

// --- events ---------------------------------------------------------------------------

DemoRecordType DemoCodec::encode(const DemoEvent& event, ByteWriter& out) {
    out.clear();
    if (const auto* e = std::get_if<JoinEvent>(&event)) {
        out.u32(e->tick);
        out.u32(e->player_id);
        out.str(e->name);
        out.i16(e->frags);
        out.i16(e->deaths);
        roster_[e->player_id] = Previous{};
        return DemoRecordType::Join;
    }
    if (const auto* e = std::get_if<LeaveEvent>(&event)) {
        out.u32(e->tick);
        out.u32(e->player_id);
        roster_.erase(e->player_id);
        return DemoRecordType::Leave;
    }
    if (const auto* e = std::get_if<TickEvent>(&event)) {
        encode_tick(*e, out);
        return DemoRecordType::Tick;
    }
    if (const auto* e = std::get_if<StateCheck>(&event)) {
        out.u32(e->tick);
        out.u8(static_cast<std::uint8_t>(e->phase));
        out.u64(e->hash);
        out.u8(static_cast<std::uint8_t>(e->players.size()));
        for (const sim::Player& p : e->players) write_player(out, p);
        return DemoRecordType::State;
    }
    if (const auto* e = std::get_if<EndEvent>(&event)) {
        out.u32(e->tick);
        out.u8(static_cast<std::uint8_t>(e->reason));
        out.u8(e->by_rules ? 1 : 0);
        return DemoRecordType::End;
    }
    const auto& s = std::get<Scoreboard>(event);
    out.u32(s.ticks);
    out.u8(static_cast<std::uint8_t>(s.results.reason));
    // At most 255 rows (the first in scoreboard order): a count of one byte.
    const std::size_t rows = std::min<std::size_t>(s.results.scores.size(), 255);
    out.u8(static_cast<std::uint8_t>(rows));
    for (const protocol::PlayerScore& score : std::span(s.results.scores).first(rows)) {
        out.u32(score.player_id);
        out.str(score.name);
        out.i16(score.frags);
        out.i16(score.deaths);
    }
    return DemoRecordType::Scoreboard;
}

void DemoCodec::encode_tick(const TickEvent& tick, ByteWriter& out) {
    out.u32(tick.tick);
    out.u8(static_cast<std::uint8_t>(tick.inputs.size()));
    for (const RecordedInput& r : tick.inputs) {
        Previous& prev = roster_[sim::to_int(r.input.player)];
        const sim::PlayerInput& in = r.input;
        const std::uint64_t lag = view_lag(tick.tick, in);
        std::uint8_t flags = static_cast<std::uint8_t>(r.source) & kSourceMask;
        if (in.move_x != prev.input.move_x || in.move_y != prev.input.move_y) flags |= kHasMove;
        if (in.aim != prev.input.aim) flags |= kHasAim;
        if (in.buttons != prev.input.buttons) flags |= kHasButtons;
        if (lag != prev.view_lag) flags |= kHasView;
        out.u8(flags);
        if (flags & kHasMove) {
            out.i8(in.move_x);
            out.i8(in.move_y);
        }
        if (flags & kHasAim) out.signed_varint(static_cast<std::int16_t>(static_cast<std::uint16_t>(in.aim - prev.input.aim)));
        if (flags & kHasButtons) out.u8(in.buttons);
        if (flags & kHasView) out.signed_varint(lag_change(prev.view_lag, lag));
        prev.input = in;
        prev.view_lag = lag;
    }
    out.u16(tick.step_hash);
}

util::Result<DemoEvent, std::string> DemoCodec::decode(std::uint8_t type, std::span<const std::uint8_t> payload) {
    ByteReader in(payload);
    const auto finished = [&](DemoEvent event, std::string_view what) -> util::Result<DemoEvent, std::string> {
        if (in.failed()) return fail(fmt::format("a {} record is cut short", what));
        if (!in.done()) return fail(fmt::format("a {} record has {} bytes too many", what, in.remaining()));
        return event;
    };
    switch (static_cast<DemoRecordType>(type)) {
    case DemoRecordType::Join: {
        JoinEvent e{in.u32(), in.u32(), in.str(), in.i16(), in.i16()};
        if (in.failed()) return fail(std::string("a join record is cut short"));
        if (roster_.contains(e.player_id)) return fail(fmt::format("player {} joins twice", e.player_id));
        if (roster_.size() >= kMaxDemoPlayers)
            return fail(fmt::format("more than {} players in the world", kMaxDemoPlayers));
        auto result = finished(std::move(e), "join");
        if (result) roster_[std::get<JoinEvent>(*result).player_id] = Previous{};
        return result;
    }
    case DemoRecordType::Leave: {
        LeaveEvent e{in.u32(), in.u32()};
        if (!in.failed() && !roster_.contains(e.player_id))
            return fail(fmt::format("player {} leaves without having joined", e.player_id));
        roster_.erase(e.player_id);
        return finished(e, "leave");
    }
    case DemoRecordType::Tick: return decode_tick(in);
    case DemoRecordType::State: {
        StateCheck e;
        e.tick = in.u32();
        const std::uint8_t phase = in.u8();
        e.hash = in.u64();
        const std::size_t count = in.u8();
        if (phase > static_cast<std::uint8_t>(sim::MatchPhase::Over)) return fail(fmt::format("unknown phase {}", phase));
        e.phase = static_cast<sim::MatchPhase>(phase);
        if (count > kMaxDemoPlayers) return fail(fmt::format("a state record of {} players", count));
        for (std::size_t i = 0; i < count && !in.failed(); ++i) e.players.push_back(read_player(in, format_));
        return finished(std::move(e), "state");
    }
    case DemoRecordType::End: {
        EndEvent e;
        e.tick = in.u32();
        const std::uint8_t reason = in.u8();
        const std::uint8_t by_rules = in.u8();
        if (!protocol::is_match_end_reason(reason) || by_rules > 1)
            return fail(std::string("an end record with an unknown reason"));
        e.reason = static_cast<protocol::MatchEndReason>(reason);
        e.by_rules = by_rules == 1;
        return finished(e, "end");
    }
    case DemoRecordType::Scoreboard: {
        Scoreboard s;
        s.ticks = in.u32();
        const std::uint8_t reason = in.u8();
        const std::size_t count = in.u8();
        if (!protocol::is_match_end_reason(reason))
            return fail(std::string("a scoreboard with an unknown end reason"));
        s.results.reason = static_cast<protocol::MatchEndReason>(reason);
        for (std::size_t i = 0; i < count && !in.failed(); ++i)
            s.results.scores.push_back({in.u32(), in.str(), in.i16(), in.i16()});
        return finished(std::move(s), "scoreboard");
    }
    case DemoRecordType::Header: return fail(std::string("a second header record"));
    }
    return fail(fmt::format("unknown record type {}", type));
}

util::Result<DemoEvent, std::string> DemoCodec::decode_tick(ByteReader& in) {
    TickEvent e;
    e.tick = in.u32();
    const std::size_t count = in.u8();
    if (in.failed()) return fail(std::string("a tick record is cut short"));
    if (count != roster_.size())
        return fail(fmt::format("the tick {} record has inputs for {} players; {} are in the world", e.tick, count,
                                roster_.size()));
    e.inputs.reserve(count);
    for (auto& [id, prev] : roster_) {
        const std::uint8_t flags = in.u8();
        const std::uint8_t source = flags & kSourceMask;
        if ((flags & kReservedFlags) || source > static_cast<std::uint8_t>(InputSource::Missing))
            return fail(fmt::format("the tick {} record has bad flags {:#04x} for player {}", e.tick, flags, id));
        sim::PlayerInput input = prev.input;
        input.player = sim::PlayerId{id};
        if (flags & kHasMove) {
            input.move_x = in.i8();
            input.move_y = in.i8();
        }
        if (flags & kHasAim) {
            const std::int64_t change = in.signed_varint();
            if (change < std::numeric_limits<std::int16_t>::min() || change > std::numeric_limits<std::int16_t>::max())
                return fail(fmt::format("the tick {} record has an aim change of {} for player {}", e.tick, change, id));
            input.aim = static_cast<std::uint16_t>(input.aim + static_cast<std::uint16_t>(change));
        }
        if (flags & kHasButtons) input.buttons = in.u8();
        if (flags & kHasView) {
            const std::int64_t change = in.signed_varint();
            if (change < -(std::int64_t{1} << 39) || change >= (std::int64_t{1} << 39))
                return fail(fmt::format("the tick {} record has a view change of {} for player {}", e.tick, change, id));
            prev.view_lag = (prev.view_lag + static_cast<std::uint64_t>(change)) & kViewMask;
        }
        const std::uint64_t view = ((std::uint64_t{e.tick} << 8) - prev.view_lag) & kViewMask;
        input.view_tick = static_cast<sim::Tick>(view >> 8);
        input.view_fraction = static_cast<std::uint8_t>(view & 0xff);
        prev.input = input;
        e.inputs.push_back({input, static_cast<InputSource>(source)});
    }
    e.step_hash = in.u16();
    if (in.failed()) return fail(fmt::format("the tick {} record is cut short", e.tick));
    if (!in.done()) return fail(fmt::format("the tick {} record has {} bytes too many", e.tick, in.remaining()));
    return DemoEvent{std::move(e)};
}

} // namespace skirmish::demo
