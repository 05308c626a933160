// shared/protocol/control_codec.cpp
#include "shared/protocol/control_codec.hpp"

#include "shared/protocol/detail/common_fb.hpp"
#include "shared/protocol/detail/map_fb.hpp"
#include "shared/protocol/text_rules.hpp"
#include "shared/sim/rules.hpp"
#include "shared/util/overloaded.hpp"

#include "schemas/game_generated.h"

#include <cmath>

namespace skirmish::protocol {

namespace fb = Skirmish::Game;

namespace {

template <typename T>
std::vector<std::uint8_t> finish(flatbuffers::FlatBufferBuilder& fbb, fb::Message type, flatbuffers::Offset<T> body) {
    fb::FinishEnvelopeBuffer(fbb, fb::CreateEnvelope(fbb, type, body.Union()));
    return {fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize()};
}

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

std::vector<std::uint8_t> encode_control(const ClientControl& message) {
    flatbuffers::FlatBufferBuilder fbb(128);
    return std::visit(
        util::Overloaded{
            [&](const ConnectRequest& m) {
                return finish(fbb, fb::Message::Connect, fb::CreateConnectDirect(fbb, m.protocol_version, &m.token));
            },
            [&](const LeaveRequest&) { return finish(fbb, fb::Message::Leave, fb::CreateLeave(fbb)); },
        },
        message);
}

std::vector<std::uint8_t> encode_control(const ServerControl& message) {
    flatbuffers::FlatBufferBuilder fbb(256);
    return std::visit(
        util::Overloaded{
            [&](const Accepted& m) {
                const auto settings = detail::write_settings(fbb, m.settings);
                const auto map = detail::write_map(fbb, m.map);
                return finish(fbb, fb::Message::Accepted,
                              fb::CreateAccepted(fbb, m.player_id, m.match_id, m.server_tick, m.tick_rate_hz,
                                                 m.snapshot_rate_hz, settings, map, m.spectator));
            },
            [&](const Rejected& m) {
                return finish(fbb, fb::Message::Rejected,
                              fb::CreateRejected(fbb, static_cast<fb::RejectReason>(m.reason), fbb.CreateString(m.text)));
            },
            [&](const PlayerJoined& m) {
                return finish(fbb, fb::Message::PlayerJoined, fb::CreatePlayerJoined(fbb, m.player_id, fbb.CreateString(m.name), m.spectator));
            },
            [&](const PlayerLeft& m) {
                return finish(fbb, fb::Message::PlayerLeft,
                              fb::CreatePlayerLeft(fbb, m.player_id, static_cast<std::uint8_t>(m.reason)));
            },
            [&](const KillFeed& m) {
                return finish(fbb, fb::Message::Kill, fb::CreateKill(fbb, m.tick, m.killer_id, m.victim_id));
            },
            [&](const MatchOver& m) {
                const auto results = detail::write_results(fbb, m.results);
                return finish(fbb, fb::Message::MatchOver, fb::CreateMatchOver(fbb, m.tick, results));
            },
            [&](const ServerStats& m) {
                std::vector<fb::PlayerPing> pings;
                for (const PlayerPing& p : m.pings) {
                    if (pings.size() == kMaxPings) break;
                    pings.emplace_back(p.player_id, p.ping_ms);
                }
                const auto ping_vector = fbb.CreateVectorOfStructs(pings);
                return finish(fbb, fb::Message::ServerStats,
                              fb::CreateServerStats(fbb, m.tick_rate_hz, m.tick_ms_p50, m.tick_ms_p99, m.tick_ms_max,
                                                    m.overruns, m.players, m.matches, m.run_tick_ms_p50,
                                                    m.run_tick_ms_p99, m.run_tick_ms_max, m.run_ticks, ping_vector,
                                                    m.inputs.applied, m.inputs.repeated, m.inputs.before_first,
                                                    m.inputs.late, m.inputs.too_early, m.inputs.redundant));
            },
            [&](const ServerShutdown& m) {
                return finish(fbb, fb::Message::ServerShutdown, fb::CreateServerShutdown(fbb, fbb.CreateString(m.text)));
            },
            [&](const ShotJudged& m) {
                return finish(fbb, fb::Message::ShotJudged,
                              fb::CreateShotJudged(fbb, m.tick, m.target_id, m.target.x, m.target.y, m.rewind_ticks,
                                                   m.hit));
            },
        },
        message);
}

// --- decode ---

util::Result<ClientControl, DecodeError> decode_client_control(std::span<const std::uint8_t> bytes) {
    auto env = open_envelope(bytes);
    if (!env) return util::fail(env.error());
    switch ((*env)->message_type()) {
    case fb::Message::Connect: {
        const auto* m = (*env)->message_as_Connect();
        if (!m->token() || m->token()->size() == 0 || m->token()->size() > kMaxTokenBytes)
            return util::fail(DecodeError::BadField);
        return ClientControl{ConnectRequest{m->protocol_version(), {m->token()->begin(), m->token()->end()}}};
    }
    case fb::Message::Leave: return ClientControl{LeaveRequest{}};
    default: return util::fail(DecodeError::UnknownMessage); // server-only or unknown
    }
}

util::Result<ServerControl, DecodeError> decode_server_control(std::span<const std::uint8_t> bytes,
                                                               float player_radius) {
    auto env = open_envelope(bytes);
    if (!env) return util::fail(env.error());
    const fb::Envelope& e = **env;
    switch (e.message_type()) {
    case fb::Message::Accepted: {
        const auto* m = e.message_as_Accepted();
        Accepted out;
        out.player_id = m->player_id();
        out.match_id = m->match_id();
        out.server_tick = m->server_tick();
        out.tick_rate_hz = m->tick_rate_hz();
        out.snapshot_rate_hz = m->snapshot_rate_hz();
        out.spectator = m->spectator();
        if (out.tick_rate_hz < sim::kMinTickRateHz || out.tick_rate_hz > sim::kMaxTickRateHz ||
            out.snapshot_rate_hz < 1 || out.snapshot_rate_hz > out.tick_rate_hz)
            return util::fail(DecodeError::BadField);
        if (!detail::read_settings(m->settings(), out.settings) || !m->map()) return util::fail(DecodeError::BadField);
        auto map = detail::read_map(*m->map(), "map", player_radius);
        if (!map) return util::fail(DecodeError::BadField);
        out.map = std::move(map).value();
        return ServerControl{std::move(out)};
    }
    case fb::Message::Rejected: {
        const auto* m = e.message_as_Rejected();
        Rejected out;
        if (m->reason() > fb::RejectReason::MAX || !read_text(m->text(), free_text(kMaxControlTextBytes), out.text))
            return util::fail(DecodeError::BadField);
        out.reason = static_cast<RejectReason>(m->reason());
        return ServerControl{std::move(out)};
    }
    case fb::Message::PlayerJoined: {
        const auto* m = e.message_as_PlayerJoined();
        PlayerJoined out{m->player_id(), {}, m->spectator()};
        if (!read_text(m->name(), kPlayerNameText, out.name)) return util::fail(DecodeError::BadField);
        return ServerControl{std::move(out)};
    }
    case fb::Message::PlayerLeft: {
        const auto* m = e.message_as_PlayerLeft();
        if (m->reason() > static_cast<std::uint8_t>(LeaveReason::Rejected)) return util::fail(DecodeError::BadField);
        return ServerControl{PlayerLeft{m->player_id(), static_cast<LeaveReason>(m->reason())}};
    }
    case fb::Message::Kill: {
        const auto* m = e.message_as_Kill();
        return ServerControl{KillFeed{m->tick(), m->killer_id(), m->victim_id()}};
    }
    case fb::Message::MatchOver: {
        const auto* m = e.message_as_MatchOver();
        MatchOver out;
        out.tick = m->tick();
        if (!detail::read_results(m->results(), out.results)) return util::fail(DecodeError::BadField);
        return ServerControl{std::move(out)};
    }
    case fb::Message::ServerStats: {
        const auto* m = e.message_as_ServerStats();
        const auto ok = [](float v) { return std::isfinite(v) && v >= 0.0f && v < 1e6f; };
        if (!ok(m->tick_ms_p50()) || !ok(m->tick_ms_p99()) || !ok(m->tick_ms_max()) || !ok(m->run_tick_ms_p50()) ||
            !ok(m->run_tick_ms_p99()) || !ok(m->run_tick_ms_max()))
            return util::fail(DecodeError::BadField);
        ServerStats out{m->tick_rate_hz(), m->tick_ms_p50(), m->tick_ms_p99(), m->tick_ms_max(),
                        m->overruns(), m->players(), m->matches(), m->run_tick_ms_p50(),
                        m->run_tick_ms_p99(), m->run_tick_ms_max(), m->run_ticks(), {},
                        InputFigures{m->inputs_applied(), m->inputs_repeated(), m->inputs_before_first(),
                                     m->inputs_late(), m->inputs_too_early(), m->inputs_redundant()}};
        if (const auto* pings = m->pings()) {
            if (pings->size() > kMaxPings) return util::fail(DecodeError::BadField);
            for (const fb::PlayerPing* p : *pings) out.pings.push_back({p->player_id(), p->ping_ms()});
        }
        return ServerControl{std::move(out)};
    }
    case fb::Message::ServerShutdown: {
        const auto* m = e.message_as_ServerShutdown();
        ServerShutdown out;
        if (!read_text(m->text(), free_text(kMaxControlTextBytes), out.text)) return util::fail(DecodeError::BadField);
        return ServerControl{std::move(out)};
    }
    case fb::Message::ShotJudged: {
        const auto* m = e.message_as_ShotJudged();
        const auto ok = [](float v) { return std::isfinite(v) && std::fabs(v) <= kMaxJudgedCoordinate; };
        if (!ok(m->target_x()) || !ok(m->target_y()) || m->rewind_ticks() > kMaxJudgedRewindTicks)
            return util::fail(DecodeError::BadField);
        return ServerControl{ShotJudged{m->tick(), m->target_id(), {m->target_x(), m->target_y()}, m->rewind_ticks(),
                                        m->hit()}};
    }
    default: return util::fail(DecodeError::UnknownMessage); // client-only or unknown
    }
}

} // namespace skirmish::protocol
