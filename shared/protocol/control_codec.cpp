// shared/protocol/control_codec.cpp
//
// The game port's control messages (docs/PROTOCOL.md, "Control messages"),
// in the lobby codec's shape (lobby_codec.cpp): one list per direction pairs
// each control value with its table in schemas/game.fbs, and each message has
// one write(builder, value) -> its table and one read(table) -> the value or
// why not; encode and decode dispatch through the lists.
// IMPORTANT: decode reads untrusted bytes: size-capped, verified with depth
// and table caps, a tag of the other direction refused, then every read()
// caps counts, holds strings to text_rules.hpp and range-checks values.
#include "shared/protocol/control_codec.hpp"

#include "shared/protocol/detail/common_fb.hpp"
#include "shared/protocol/detail/map_fb.hpp"
#include "shared/protocol/detail/message_list.hpp"
#include "shared/protocol/text_rules.hpp"
#include "shared/sim/rules.hpp"
#include "shared/util/overloaded.hpp"

#include "schemas/game_generated.h"

#include <cmath>

namespace skirmish::protocol {

namespace fb = Skirmish::Game;

namespace {

using detail::Message;
using ClientControls = detail::MessageList<fb::MessageTraits, Message<ConnectRequest, fb::Connect>,
                                           Message<LeaveRequest, fb::Leave>>;
static_assert(std::is_same_v<ClientControls::Variant, ClientControl>,
              "ClientControl and the list name the same messages in the same order");
using ServerControls =
    detail::MessageList<fb::MessageTraits, Message<Accepted, fb::Accepted>, Message<Rejected, fb::Rejected>,
                        Message<PlayerJoined, fb::PlayerJoined>, Message<PlayerLeft, fb::PlayerLeft>,
                        Message<KillFeed, fb::Kill>, Message<MatchOver, fb::MatchOver>,
                        Message<ServerStats, fb::ServerStats>, Message<ServerShutdown, fb::ServerShutdown>,
                        Message<ShotJudged, fb::ShotJudged>>;
static_assert(std::is_same_v<ServerControls::Variant, ServerControl>,
              "ServerControl and the list name the same messages in the same order");

util::Result<const fb::Envelope*, DecodeError> open_envelope(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < 12) return util::fail(DecodeError::TooShort);
    if (bytes.size() > kMaxControlBytes) return util::fail(DecodeError::TooLong);
    flatbuffers::Verifier verifier(bytes.data(), bytes.size(), kControlVerifierMaxDepth, kControlVerifierMaxTables);
    if (!fb::VerifyEnvelopeBuffer(verifier)) return util::fail(DecodeError::NotVerified);
    const auto* env = fb::GetEnvelope(bytes.data());
    if (!env->message()) return util::fail(DecodeError::UnknownMessage);
    return env;
}

// A string field read as text_rules.hpp says (a missing string reads as empty).
bool read_text(const flatbuffers::String* s, const TextRule& rule, std::string& out) {
    out = detail::read_string(s);
    return is_valid_text(out, rule);
}

// --- client messages ---

flatbuffers::Offset<fb::Connect> write(flatbuffers::FlatBufferBuilder& b, const ConnectRequest& m) {
    return fb::CreateConnectDirect(b, m.protocol_version, &m.token);
}
flatbuffers::Offset<fb::Leave> write(flatbuffers::FlatBufferBuilder& b, const LeaveRequest&) {
    return fb::CreateLeave(b);
}

util::Result<ConnectRequest, DecodeError> read(const fb::Connect& t) {
    if (!t.token() || t.token()->size() == 0 || t.token()->size() > kMaxTokenBytes)
        return util::fail(DecodeError::BadField);
    return ConnectRequest{t.protocol_version(), {t.token()->begin(), t.token()->end()}};
}
util::Result<LeaveRequest, DecodeError> read(const fb::Leave&) { return LeaveRequest{}; }

// --- server messages ---

flatbuffers::Offset<fb::Accepted> write(flatbuffers::FlatBufferBuilder& b, const Accepted& m) {
    const auto settings = detail::write_settings(b, m.settings);
    const auto map = detail::write_map(b, m.map);
    return fb::CreateAccepted(b, m.player_id, m.match_id, m.server_tick, m.tick_rate_hz, m.snapshot_rate_hz, settings,
                              map, m.spectator);
}
flatbuffers::Offset<fb::Rejected> write(flatbuffers::FlatBufferBuilder& b, const Rejected& m) {
    return fb::CreateRejected(b, static_cast<fb::RejectReason>(m.reason), b.CreateString(m.text));
}
flatbuffers::Offset<fb::PlayerJoined> write(flatbuffers::FlatBufferBuilder& b, const PlayerJoined& m) {
    return fb::CreatePlayerJoined(b, m.player_id, b.CreateString(m.name), m.spectator);
}
flatbuffers::Offset<fb::PlayerLeft> write(flatbuffers::FlatBufferBuilder& b, const PlayerLeft& m) {
    return fb::CreatePlayerLeft(b, m.player_id, static_cast<std::uint8_t>(m.reason));
}
flatbuffers::Offset<fb::Kill> write(flatbuffers::FlatBufferBuilder& b, const KillFeed& m) {
    return fb::CreateKill(b, m.tick, m.killer_id, m.victim_id);
}
flatbuffers::Offset<fb::MatchOver> write(flatbuffers::FlatBufferBuilder& b, const MatchOver& m) {
    const auto results = detail::write_results(b, m.results);
    return fb::CreateMatchOver(b, m.tick, results);
}
flatbuffers::Offset<fb::ServerStats> write(flatbuffers::FlatBufferBuilder& b, const ServerStats& m) {
    std::vector<fb::PlayerPing> pings;
    for (const PlayerPing& p : m.pings) {
        if (pings.size() == kMaxPings) break;
        pings.emplace_back(p.player_id, p.ping_ms);
    }
    const auto ping_vector = b.CreateVectorOfStructs(pings);
    return fb::CreateServerStats(b, m.tick_rate_hz, m.tick_ms_p50, m.tick_ms_p99, m.tick_ms_max, m.overruns, m.players,
                                 m.matches, m.run_tick_ms_p50, m.run_tick_ms_p99, m.run_tick_ms_max, m.run_ticks,
                                 ping_vector, m.inputs.applied, m.inputs.repeated, m.inputs.before_first,
                                 m.inputs.late, m.inputs.too_early, m.inputs.redundant);
}
flatbuffers::Offset<fb::ServerShutdown> write(flatbuffers::FlatBufferBuilder& b, const ServerShutdown& m) {
    return fb::CreateServerShutdown(b, b.CreateString(m.text));
}
flatbuffers::Offset<fb::ShotJudged> write(flatbuffers::FlatBufferBuilder& b, const ShotJudged& m) {
    return fb::CreateShotJudged(b, m.tick, m.target_id, m.target.x, m.target.y, m.rewind_ticks, m.hit);
}

// player_radius: the map inside Accepted is validated against it.
util::Result<Accepted, DecodeError> read(const fb::Accepted& t, float player_radius) {
    Accepted out;
    out.player_id = t.player_id();
    out.match_id = t.match_id();
    out.server_tick = t.server_tick();
    out.tick_rate_hz = t.tick_rate_hz();
    out.snapshot_rate_hz = t.snapshot_rate_hz();
    out.spectator = t.spectator();
    if (out.tick_rate_hz < sim::kMinTickRateHz || out.tick_rate_hz > sim::kMaxTickRateHz ||
        out.snapshot_rate_hz < 1 || out.snapshot_rate_hz > out.tick_rate_hz)
        return util::fail(DecodeError::BadField);
    if (!detail::read_settings(t.settings(), out.settings) || !t.map()) return util::fail(DecodeError::BadField);
    auto map = detail::read_map(*t.map(), "map", player_radius);
    if (!map) return util::fail(DecodeError::BadField);
    out.map = std::move(map).value();
    return out;
}
util::Result<Rejected, DecodeError> read(const fb::Rejected& t) {
    Rejected out;
    if (t.reason() > fb::RejectReason::MAX || !read_text(t.text(), free_text(kMaxControlTextBytes), out.text))
        return util::fail(DecodeError::BadField);
    out.reason = static_cast<RejectReason>(t.reason());
    return out;
}
util::Result<PlayerJoined, DecodeError> read(const fb::PlayerJoined& t) {
    PlayerJoined out{t.player_id(), {}, t.spectator()};
    if (!read_text(t.name(), kPlayerNameText, out.name)) return util::fail(DecodeError::BadField);
    return out;
}
util::Result<PlayerLeft, DecodeError> read(const fb::PlayerLeft& t) {
    if (t.reason() > static_cast<std::uint8_t>(LeaveReason::Rejected)) return util::fail(DecodeError::BadField);
    return PlayerLeft{t.player_id(), static_cast<LeaveReason>(t.reason())};
}
util::Result<KillFeed, DecodeError> read(const fb::Kill& t) { return KillFeed{t.tick(), t.killer_id(), t.victim_id()}; }
util::Result<MatchOver, DecodeError> read(const fb::MatchOver& t) {
    MatchOver out;
    out.tick = t.tick();
    if (!detail::read_results(t.results(), out.results)) return util::fail(DecodeError::BadField);
    return out;
}
util::Result<ServerStats, DecodeError> read(const fb::ServerStats& t) {
    const auto ok = [](float v) { return std::isfinite(v) && v >= 0.0f && v < 1e6f; };
    if (!ok(t.tick_ms_p50()) || !ok(t.tick_ms_p99()) || !ok(t.tick_ms_max()) || !ok(t.run_tick_ms_p50()) ||
        !ok(t.run_tick_ms_p99()) || !ok(t.run_tick_ms_max()))
        return util::fail(DecodeError::BadField);
    ServerStats out{t.tick_rate_hz(), t.tick_ms_p50(), t.tick_ms_p99(), t.tick_ms_max(),
                    t.overruns(), t.players(), t.matches(), t.run_tick_ms_p50(),
                    t.run_tick_ms_p99(), t.run_tick_ms_max(), t.run_ticks(), {},
                    InputFigures{t.inputs_applied(), t.inputs_repeated(), t.inputs_before_first(),
                                 t.inputs_late(), t.inputs_too_early(), t.inputs_redundant()}};
    if (const auto* pings = t.pings()) {
        if (pings->size() > kMaxPings) return util::fail(DecodeError::BadField);
        for (const fb::PlayerPing* p : *pings) out.pings.push_back({p->player_id(), p->ping_ms()});
    }
    return out;
}
util::Result<ServerShutdown, DecodeError> read(const fb::ServerShutdown& t) {
    ServerShutdown out;
    if (!read_text(t.text(), free_text(kMaxControlTextBytes), out.text)) return util::fail(DecodeError::BadField);
    return out;
}
util::Result<ShotJudged, DecodeError> read(const fb::ShotJudged& t) {
    const auto ok = [](float v) { return std::isfinite(v) && std::fabs(v) <= kMaxJudgedCoordinate; };
    if (!ok(t.target_x()) || !ok(t.target_y()) || t.rewind_ticks() > kMaxJudgedRewindTicks)
        return util::fail(DecodeError::BadField);
    return ShotJudged{t.tick(), t.target_id(), {t.target_x(), t.target_y()}, t.rewind_ticks(), t.hit()};
}

// --- one envelope per message ---

template <typename List>
std::vector<std::uint8_t> encode(const typename List::Variant& message, std::size_t initial_bytes) {
    flatbuffers::FlatBufferBuilder b(initial_bytes);
    const auto [tag, body] = List::write(message, [&](const auto& m) { return write(b, m); });
    fb::FinishEnvelopeBuffer(b, fb::CreateEnvelope(b, tag, body));
    return {b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize()};
}

// Verifies the envelope, then reads the message with read_table (a tag the
// list does not hold: the other direction's, or unknown).
template <typename List, typename ReadTable>
util::Result<typename List::Variant, DecodeError> decode(std::span<const std::uint8_t> bytes, ReadTable&& read_table) {
    auto env = open_envelope(bytes);
    if (!env) return util::fail(env.error());
    auto message = List::template read<DecodeError>((*env)->message_type(), (*env)->message(), read_table);
    if (!message) return util::fail(DecodeError::UnknownMessage);
    return std::move(*message);
}

} // namespace

std::string_view name(RejectReason reason) {
    switch (reason) {
    case RejectReason::BadMessage: return "bad message";
    case RejectReason::WrongProtocolVersion: return "wrong protocol version";
    case RejectReason::BadToken: return "bad token";
    case RejectReason::TokenExpired: return "token expired";
    case RejectReason::TokenReused: return "token already used";
    case RejectReason::MatchNotFound: return "match not found";
    case RejectReason::MatchFull: return "match full";
    case RejectReason::TokenDeadline: return "no token in time";
    case RejectReason::ServerShuttingDown: return "server shutting down";
    case RejectReason::TokenWithdrawn: return "token withdrawn";
    }
    return "unknown";
}

std::string_view name(LeaveReason reason) {
    switch (reason) {
    case LeaveReason::Left: return "left";
    case LeaveReason::TimedOut: return "timed out";
    case LeaveReason::Kicked: return "kicked";
    case LeaveReason::MatchEnded: return "match ended";
    case LeaveReason::ServerShutdown: return "server shut down";
    case LeaveReason::Rejected: return "rejected";
    }
    return "unknown";
}

// --- encode ---

std::vector<std::uint8_t> encode_control(const ClientControl& message) { return encode<ClientControls>(message, 128); }
std::vector<std::uint8_t> encode_control(const ServerControl& message) { return encode<ServerControls>(message, 256); }

// --- decode ---

util::Result<ClientControl, DecodeError> decode_client_control(std::span<const std::uint8_t> bytes) {
    return decode<ClientControls>(bytes, [](const auto& table) { return read(table); });
}

util::Result<ServerControl, DecodeError> decode_server_control(std::span<const std::uint8_t> bytes,
                                                               float player_radius) {
    return decode<ServerControls>(
        bytes, util::Overloaded{[&](const fb::Accepted& table) { return read(table, player_radius); },
                                [](const auto& table) { return read(table); }});
}

} // namespace skirmish::protocol
