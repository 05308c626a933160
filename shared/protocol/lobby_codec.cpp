// shared/protocol/lobby_codec.cpp
//
// One write function and one read function per message; encode and decode
// each dispatch once, on the variant and on the union tag.
#include "shared/protocol/lobby_codec.hpp"

#include "shared/protocol/detail/common_fb.hpp"
#include "shared/protocol/detail/lobby_stats_fb.hpp"
#include "shared/protocol/version.hpp"
#include "shared/util/utf8.hpp"

#include <algorithm>
#include <cstring>
#include <type_traits>

namespace skirmish::protocol::lobby {

namespace fb = Skirmish::Lobby;

namespace {

// --- the mirrors agree with the schema -----------------------------------------------

template <typename A, typename B>
constexpr bool same_value(A a, B b) {
    return static_cast<std::uint32_t>(a) == static_cast<std::uint32_t>(b);
}
static_assert(same_value(MessageKind::Hello, fb::Message::Hello));
static_assert(same_value(MessageKind::Welcome, fb::Message::Welcome));
static_assert(same_value(MessageKind::Error, fb::Message::Error));
static_assert(same_value(MessageKind::ListRooms, fb::Message::ListRooms));
static_assert(same_value(MessageKind::RoomList, fb::Message::RoomList));
static_assert(same_value(MessageKind::CreateRoom, fb::Message::CreateRoom));
static_assert(same_value(MessageKind::JoinRoom, fb::Message::JoinRoom));
static_assert(same_value(MessageKind::LeaveRoom, fb::Message::LeaveRoom));
static_assert(same_value(MessageKind::QuickPlay, fb::Message::QuickPlay));
static_assert(same_value(MessageKind::RoomState, fb::Message::RoomState));
static_assert(same_value(MessageKind::Chat, fb::Message::Chat));
static_assert(same_value(MessageKind::ChatMessage, fb::Message::ChatMessage));
static_assert(same_value(MessageKind::SetReady, fb::Message::SetReady));
static_assert(same_value(MessageKind::StartMatch, fb::Message::StartMatch));
static_assert(same_value(MessageKind::MatchStart, fb::Message::MatchStart));
static_assert(same_value(MessageKind::MatchEnded, fb::Message::MatchEnded));
static_assert(same_value(MessageKind::Ping, fb::Message::Ping));
static_assert(same_value(MessageKind::Pong, fb::Message::Pong));
static_assert(same_value(MessageKind::LeftRoom, fb::Message::LeftRoom));
static_assert(same_value(MessageKind::GetStats, fb::Message::GetStats));
static_assert(same_value(MessageKind::RecentMatches, fb::Message::RecentMatches));
static_assert(same_value(MessageKind::AdminReply, fb::Message::MAX), "a new message needs a MessageKind");
static_assert(same_value(kLastErrorCode, fb::ErrorCode::MAX), "a new error code needs an ErrorCode");
static_assert(same_value(ErrorCode::Internal, fb::ErrorCode::Internal));
static_assert(same_value(ErrorCode::TooManyConnections, fb::ErrorCode::TooManyConnections));
static_assert(same_value(ErrorCode::BadFrame, fb::ErrorCode::BadFrame));
static_assert(same_value(ErrorCode::WrongProtocolVersion, fb::ErrorCode::WrongProtocolVersion));
static_assert(same_value(RoomPhase::InMatch, fb::RoomPhase::MAX));

// --- reading helpers ------------------------------------------------------------------

// What a read() refuses: the error and, for settings, validate_settings' words
// (DecodeFailure::detail). Made from a bare LobbyDecodeError too.
struct Reject {
    Reject(LobbyDecodeError e, std::string why = {}) : error(e), detail(std::move(why)) {}
    LobbyDecodeError error;
    std::string detail;
};

// A string field read as text_rules.hpp says (a missing string reads as empty).
bool read_text(const flatbuffers::String* s, const TextRule& rule, std::string& out) {
    out = detail::read_string(s);
    return is_valid_text(out, rule);
}

// --- client messages: write --------------------------------------------------------------

using Written = std::pair<fb::Message, flatbuffers::Offset<void>>;

Written write(flatbuffers::FlatBufferBuilder& b, const Hello& m) {
    const auto name = b.CreateString(m.name);
    // Left out when empty, so a Hello without a password is the same bytes as before.
    const auto password = m.password.empty() ? 0 : b.CreateString(m.password);
    // Likewise the reconnect fields: a plain Hello is the bytes it always was.
    const auto secret = m.reconnect_secret.empty() ? 0 : b.CreateVector(m.reconnect_secret);
    return {fb::Message::Hello,
            fb::CreateHello(b, m.protocol_version, name, password, m.reconnect_match_id, secret).Union()};
}
Written write(flatbuffers::FlatBufferBuilder& b, const ListRooms&) {
    return {fb::Message::ListRooms, fb::CreateListRooms(b).Union()};
}
Written write(flatbuffers::FlatBufferBuilder& b, const CreateRoom& m) {
    const auto name = b.CreateString(m.name);
    const auto settings = detail::write_settings(b, m.settings);
    return {fb::Message::CreateRoom, fb::CreateCreateRoom(b, name, settings).Union()};
}
Written write(flatbuffers::FlatBufferBuilder& b, const JoinRoom& m) {
    return {fb::Message::JoinRoom, fb::CreateJoinRoom(b, m.room_id, m.spectator).Union()};
}
Written write(flatbuffers::FlatBufferBuilder& b, const LeaveRoom&) {
    return {fb::Message::LeaveRoom, fb::CreateLeaveRoom(b).Union()};
}
Written write(flatbuffers::FlatBufferBuilder& b, const QuickPlay& m) {
    return {fb::Message::QuickPlay, fb::CreateQuickPlay(b, m.max_players).Union()};
}
Written write(flatbuffers::FlatBufferBuilder& b, const Chat& m) {
    const auto text = b.CreateString(m.text);
    return {fb::Message::Chat, fb::CreateChat(b, text).Union()};
}
Written write(flatbuffers::FlatBufferBuilder& b, const SetReady& m) {
    return {fb::Message::SetReady, fb::CreateSetReady(b, m.ready).Union()};
}
Written write(flatbuffers::FlatBufferBuilder& b, const StartMatch&) {
    return {fb::Message::StartMatch, fb::CreateStartMatch(b).Union()};
}
Written write(flatbuffers::FlatBufferBuilder& b, const Ping& m) {
    return {fb::Message::Ping, fb::CreatePing(b, m.nonce).Union()};
}

// --- server messages: write --------------------------------------------------------------

Written write(flatbuffers::FlatBufferBuilder& b, const Welcome& m) {
    const auto server_name = b.CreateString(m.server_name);
    const auto maps = b.CreateVectorOfStrings(m.maps);
    const auto motd = m.motd.empty() ? 0 : b.CreateVectorOfStrings(m.motd);
    return {fb::Message::Welcome, fb::CreateWelcome(b, m.player_id, server_name, m.protocol_version, maps,
                                                    m.tick_rate_hz, m.snapshot_rate_hz, m.idle_timeout_s, motd)
                                      .Union()};
}
Written write(flatbuffers::FlatBufferBuilder& b, const Error& m) {
    const auto text = b.CreateString(m.text);
    return {fb::Message::Error, fb::CreateError(b, static_cast<fb::ErrorCode>(m.code), text,
                                                static_cast<std::uint8_t>(m.in_reply_to))
                                    .Union()};
}
Written write(flatbuffers::FlatBufferBuilder& b, const RoomList& m) {
    std::vector<flatbuffers::Offset<fb::RoomSummary>> rooms;
    rooms.reserve(m.rooms.size());
    for (const auto& r : m.rooms) {
        const auto name = b.CreateString(r.name);
        const auto settings = detail::write_settings(b, r.settings);
        rooms.push_back(fb::CreateRoomSummary(b, r.room_id, name, settings, r.players,
                                              static_cast<fb::RoomPhase>(r.phase), r.spectators));
    }
    const auto vec = b.CreateVector(rooms);
    return {fb::Message::RoomList, fb::CreateRoomList(b, vec, m.total_rooms).Union()};
}
Written write(flatbuffers::FlatBufferBuilder& b, const RoomState& m) {
    std::vector<flatbuffers::Offset<fb::Member>> members;
    members.reserve(m.members.size());
    for (const auto& p : m.members)
        members.push_back(fb::CreateMember(b, p.player_id, b.CreateString(p.name), p.ready, p.in_match, p.spectator));
    const auto members_vec = b.CreateVector(members);
    const auto name = b.CreateString(m.name);
    const auto settings = detail::write_settings(b, m.settings);
    const auto results =
        m.last_results ? detail::write_results(b, *m.last_results) : flatbuffers::Offset<Skirmish::MatchResults>();
    return {fb::Message::RoomState, fb::CreateRoomState(b, m.room_id, name, settings, m.host_id,
                                                        static_cast<fb::RoomPhase>(m.phase), members_vec, results)
                                        .Union()};
}
Written write(flatbuffers::FlatBufferBuilder& b, const LeftRoom& m) {
    return {fb::Message::LeftRoom, fb::CreateLeftRoom(b, m.room_id).Union()};
}
Written write(flatbuffers::FlatBufferBuilder& b, const ChatMessage& m) {
    const auto from_name = b.CreateString(m.from_name);
    const auto text = b.CreateString(m.text);
    return {fb::Message::ChatMessage,
            fb::CreateChatMessage(b, m.room_id, m.from_player_id, from_name, text).Union()};
}
Written write(flatbuffers::FlatBufferBuilder& b, const MatchStart& m) {
    const auto address = b.CreateString(m.game_address);
    const auto token = b.CreateVector(m.connect_token);
    const auto settings = detail::write_settings(b, m.settings);
    const auto secret = m.reconnect_secret.empty() ? 0 : b.CreateVector(m.reconnect_secret);
    return {fb::Message::MatchStart, fb::CreateMatchStart(b, address, m.port, token, m.match_id, m.room_id, settings,
                                                          m.in_progress, secret, m.spectator)
                                         .Union()};
}
Written write(flatbuffers::FlatBufferBuilder& b, const MatchEnded& m) {
    const auto results = detail::write_results(b, m.results);
    return {fb::Message::MatchEnded, fb::CreateMatchEnded(b, results).Union()};
}
Written write(flatbuffers::FlatBufferBuilder& b, const Pong& m) {
    return {fb::Message::Pong, fb::CreatePong(b, m.nonce).Union()};
}

// The results-and-stats messages: lobby_stats_codec.cpp.
template <typename M>
Written write(flatbuffers::FlatBufferBuilder& b, const M& m) { return stats_fb::write_message(b, m); }
template <typename Message, typename Table>
util::Result<Message, Reject> read_other(const Table* t) {
    auto m = stats_fb::read_message(*t);
    if (!m) return util::fail(m.error());
    return Message{std::move(m).value()};
}

template <typename Variant>
std::vector<std::uint8_t> encode(const Variant& message) {
    flatbuffers::FlatBufferBuilder b(256);
    const auto [type, offset] = std::visit([&](const auto& m) { return write(b, m); }, message);
    fb::FinishEnvelopeBuffer(b, fb::CreateEnvelope(b, type, offset));
    return {b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize()};
}

// --- client messages: read -----------------------------------------------------------------
// Each read() takes a table from a verified buffer and returns the value or
// the reason it is out of range.

using ClientRead = util::Result<ClientMessage, Reject>;
using ServerRead = util::Result<ServerMessage, Reject>;

ClientRead read(const fb::Hello& t) {
    Hello m{t.protocol_version(), {}};
    if (!read_text(t.name(), kPlayerNameText, m.name)) return util::fail(LobbyDecodeError::BadName);
    if (!read_text(t.password(), free_text(kMaxPasswordBytes), m.password))
        return util::fail(LobbyDecodeError::OutOfRange);
    // A reconnect names its match and carries the whole secret, or neither.
    m.reconnect_match_id = t.reconnect_match_id();
    if (const auto* secret = t.reconnect_secret()) {
        if (secret->size() != kReconnectSecretBytes || m.reconnect_match_id == 0)
            return util::fail(Reject{LobbyDecodeError::OutOfRange, "reconnect secret"});
        m.reconnect_secret.assign(secret->begin(), secret->end());
    } else if (m.reconnect_match_id != 0) {
        return util::fail(Reject{LobbyDecodeError::OutOfRange, "reconnect match without a secret"});
    }
    return ClientMessage{std::move(m)};
}
ClientRead read(const fb::CreateRoom& t) {
    CreateRoom m;
    if (!read_text(t.name(), kRoomNameText, m.name)) return util::fail(LobbyDecodeError::BadRoomName);
    if (auto settings = detail::read_settings(t.settings(), m.settings); !settings)
        return util::fail(Reject{LobbyDecodeError::BadSettings, settings.error()});
    return ClientMessage{std::move(m)};
}
ClientRead read(const fb::QuickPlay& t) {
    MatchSettings settings; // the room quick play would create
    settings.max_players = t.max_players();
    if (auto valid = validate_settings(settings); !valid)
        return util::fail(Reject{LobbyDecodeError::BadSettings, valid.error()});
    return ClientMessage{QuickPlay{t.max_players()}};
}
ClientRead read(const fb::Chat& t) {
    Chat m{detail::read_string(t.text())};
    if (m.text.size() > kMaxChatBytes) return util::fail(LobbyDecodeError::ChatTooLong);
    if (!is_valid_text(m.text, typed_chat(kMaxChatBytes))) return util::fail(LobbyDecodeError::BadText);
    return ClientMessage{std::move(m)};
}

ClientRead read_client(const fb::Envelope& env) {
    switch (env.message_type()) {
    case fb::Message::Hello: return read(*env.message_as_Hello());
    case fb::Message::ListRooms: return ClientMessage{ListRooms{}};
    case fb::Message::CreateRoom: return read(*env.message_as_CreateRoom());
    case fb::Message::JoinRoom: {
        const auto* join = env.message_as_JoinRoom();
        return ClientMessage{JoinRoom{join->room_id(), join->spectator()}};
    }
    case fb::Message::LeaveRoom: return ClientMessage{LeaveRoom{}};
    case fb::Message::QuickPlay: return read(*env.message_as_QuickPlay());
    case fb::Message::Chat: return read(*env.message_as_Chat());
    case fb::Message::SetReady: return ClientMessage{SetReady{env.message_as_SetReady()->ready()}};
    case fb::Message::StartMatch: return ClientMessage{StartMatch{}};
    case fb::Message::Ping: return ClientMessage{Ping{env.message_as_Ping()->nonce()}};
    case fb::Message::GetStats: return read_other<ClientMessage>(env.message_as_GetStats());
    case fb::Message::GetRecentMatches: return read_other<ClientMessage>(env.message_as_GetRecentMatches());
    case fb::Message::AdminCommand: return read_other<ClientMessage>(env.message_as_AdminCommand());
    default: return util::fail(LobbyDecodeError::UnknownMessage); // NONE, server-only, or newer than us
    }
}

// --- server messages: read -----------------------------------------------------------------

ServerRead read(const fb::Welcome& t) {
    Welcome m;
    m.player_id = t.player_id();
    m.protocol_version = t.protocol_version();
    m.tick_rate_hz = t.tick_rate_hz();
    m.snapshot_rate_hz = t.snapshot_rate_hz();
    m.idle_timeout_s = t.idle_timeout_s();
    if (!read_text(t.server_name(), free_text(kMaxServerNameBytes), m.server_name))
        return util::fail(LobbyDecodeError::BadText);
    if (t.maps()) {
        if (t.maps()->size() > kMaxMaps) return util::fail(LobbyDecodeError::OutOfRange);
        for (const auto* s : *t.maps()) {
            if (!read_text(s, kMapNameText, m.maps.emplace_back())) return util::fail(LobbyDecodeError::OutOfRange);
        }
    }
    if (t.motd()) {
        if (t.motd()->size() > kMaxMotdLines) return util::fail(LobbyDecodeError::OutOfRange);
        for (const auto* s : *t.motd()) {
            if (!read_text(s, free_text(kMaxMotdLineBytes), m.motd.emplace_back()))
                return util::fail(LobbyDecodeError::BadText);
        }
    }
    return ServerMessage{std::move(m)};
}
ServerRead read(const fb::Error& t) {
    // Codes and tags beyond ours come from a newer server (codes are only ever
    // added at the end): kept as numbers, name() says "unknown", and
    // closes_connection() is false; the server closes explicitly when it must.
    Error m;
    m.code = static_cast<ErrorCode>(static_cast<std::uint16_t>(t.code()));
    m.in_reply_to = static_cast<MessageKind>(t.in_reply_to());
    if (!read_text(t.text(), free_text(kMaxErrorTextBytes), m.text)) return util::fail(LobbyDecodeError::BadText);
    return ServerMessage{std::move(m)};
}
bool read_phase(fb::RoomPhase phase, RoomPhase& out) {
    const auto value = static_cast<std::uint8_t>(phase);
    if (value > static_cast<std::uint8_t>(fb::RoomPhase::MAX)) return false;
    out = static_cast<RoomPhase>(value);
    return true;
}
ServerRead read(const fb::RoomList& t) {
    RoomList m;
    m.total_rooms = t.total_rooms();
    if (t.rooms()) {
        if (t.rooms()->size() > kMaxListedRooms) return util::fail(LobbyDecodeError::OutOfRange);
        for (const auto* r : *t.rooms()) {
            RoomSummary& s = m.rooms.emplace_back();
            s.room_id = r->room_id();
            s.players = r->players();
            s.spectators = r->spectators();
            if (!read_text(r->name(), kRoomNameText, s.name)) return util::fail(LobbyDecodeError::BadRoomName);
            if (!detail::read_settings(r->settings(), s.settings)) return util::fail(LobbyDecodeError::BadSettings);
            if (s.players > kMaxRoomPlayers || s.spectators > kMaxSpectatorSlots || !read_phase(r->phase(), s.phase))
                return util::fail(LobbyDecodeError::OutOfRange);
        }
    }
    return ServerMessage{std::move(m)};
}
ServerRead read(const fb::RoomState& t) {
    RoomState m;
    m.room_id = t.room_id();
    m.host_id = t.host_id();
    if (!read_text(t.name(), kRoomNameText, m.name)) return util::fail(LobbyDecodeError::BadRoomName);
    if (!detail::read_settings(t.settings(), m.settings)) return util::fail(LobbyDecodeError::BadSettings);
    if (!read_phase(t.phase(), m.phase)) return util::fail(LobbyDecodeError::OutOfRange);
    if (t.members()) {
        if (t.members()->size() > static_cast<std::size_t>(kMaxRoomMembers))
            return util::fail(LobbyDecodeError::OutOfRange);
        for (const auto* p : *t.members()) {
            Member& member = m.members.emplace_back();
            member.player_id = p->player_id();
            member.ready = p->ready();
            member.in_match = p->in_match();
            member.spectator = p->spectator();
            if (!read_text(p->name(), kPlayerNameText, member.name)) return util::fail(LobbyDecodeError::BadName);
        }
    }
    if (t.last_results()) {
        if (!detail::read_results(t.last_results(), m.last_results.emplace()))
            return util::fail(LobbyDecodeError::OutOfRange);
    }
    return ServerMessage{std::move(m)};
}
ServerRead read(const fb::ChatMessage& t) {
    ChatMessage m;
    m.room_id = t.room_id();
    m.from_player_id = t.from_player_id();
    // The server itself (id 0) may leave its name empty; a player has a name.
    if (!read_text(t.from_name(), m.from_player_id == 0 ? free_text(kMaxNameBytes) : kPlayerNameText, m.from_name))
        return util::fail(LobbyDecodeError::BadName);
    m.text = detail::read_string(t.text());
    if (m.text.size() > kMaxChatBytes) return util::fail(LobbyDecodeError::ChatTooLong);
    if (!is_valid_text(m.text, free_text(kMaxChatBytes, 1))) return util::fail(LobbyDecodeError::BadText);
    return ServerMessage{std::move(m)};
}
ServerRead read(const fb::MatchStart& t) {
    MatchStart m;
    m.port = t.port();
    m.match_id = t.match_id();
    m.room_id = t.room_id();
    m.in_progress = t.in_progress();
    m.spectator = t.spectator();
    if (!read_text(t.game_address(), free_text(kMaxAddressBytes), m.game_address))
        return util::fail(LobbyDecodeError::BadText);
    if (!t.connect_token() || t.connect_token()->size() == 0 || t.connect_token()->size() > kMaxConnectTokenBytes)
        return util::fail(LobbyDecodeError::OutOfRange);
    m.connect_token.assign(t.connect_token()->begin(), t.connect_token()->end());
    if (const auto* secret = t.reconnect_secret()) {
        if (secret->size() != kReconnectSecretBytes) return util::fail(LobbyDecodeError::OutOfRange);
        m.reconnect_secret.assign(secret->begin(), secret->end());
    }
    if (!detail::read_settings(t.settings(), m.settings)) return util::fail(LobbyDecodeError::BadSettings);
    return ServerMessage{std::move(m)};
}
ServerRead read(const fb::MatchEnded& t) {
    MatchEnded m;
    if (!detail::read_results(t.results(), m.results)) return util::fail(LobbyDecodeError::OutOfRange);
    return ServerMessage{std::move(m)};
}

ServerRead read_server(const fb::Envelope& env) {
    switch (env.message_type()) {
    case fb::Message::Welcome: return read(*env.message_as_Welcome());
    case fb::Message::Error: return read(*env.message_as_Error());
    case fb::Message::RoomList: return read(*env.message_as_RoomList());
    case fb::Message::RoomState: return read(*env.message_as_RoomState());
    case fb::Message::LeftRoom: return ServerMessage{LeftRoom{env.message_as_LeftRoom()->room_id()}};
    case fb::Message::ChatMessage: return read(*env.message_as_ChatMessage());
    case fb::Message::MatchStart: return read(*env.message_as_MatchStart());
    case fb::Message::MatchEnded: return read(*env.message_as_MatchEnded());
    case fb::Message::Pong: return ServerMessage{Pong{env.message_as_Pong()->nonce()}};
    case fb::Message::Stats: return read_other<ServerMessage>(env.message_as_Stats());
    case fb::Message::RecentMatches: return read_other<ServerMessage>(env.message_as_RecentMatches());
    case fb::Message::AdminReply: return read_other<ServerMessage>(env.message_as_AdminReply());
    default: return util::fail(LobbyDecodeError::UnknownMessage); // NONE, client-only, or newer than us
    }
}

// --- verify, then read ------------------------------------------------------------------

template <typename Message, typename ReadFn>
util::Result<Message, DecodeFailure> decode(std::span<const std::uint8_t> payload, ReadFn read_fn) {
    if (payload.empty()) return util::fail(DecodeFailure{LobbyDecodeError::Empty});
    if (payload.size() < 8) return util::fail(DecodeFailure{LobbyDecodeError::NotVerified});
    if (std::memcmp(payload.data() + 4, kFileIdentifier.data(), 4) != 0)
        return util::fail(DecodeFailure{LobbyDecodeError::WrongIdentifier});
    // FlatBuffers reads scalars in place, so the buffer must start 8-byte
    // aligned; a frame inside a receive buffer rarely does.
    std::vector<std::uint8_t> aligned;
    const std::uint8_t* data = payload.data();
    if (reinterpret_cast<std::uintptr_t>(data) % 8 != 0) {
        aligned.assign(payload.begin(), payload.end());
        data = aligned.data();
    }
    flatbuffers::Verifier::Options options;
    options.max_depth = kVerifierMaxDepth;
    options.max_tables = kVerifierMaxTables;
    flatbuffers::Verifier verifier(data, payload.size(), options);
    if (!fb::VerifyEnvelopeBuffer(verifier)) return util::fail(DecodeFailure{LobbyDecodeError::NotVerified});
    const fb::Envelope& env = *fb::GetEnvelope(data);
    const auto tag = static_cast<std::uint8_t>(env.message_type());
    const MessageKind kind =
        tag <= static_cast<std::uint8_t>(fb::Message::MAX) ? static_cast<MessageKind>(tag) : MessageKind::None;
    if (tag != 0 && tag <= static_cast<std::uint8_t>(fb::Message::MAX) && env.message() == nullptr)
        return util::fail(DecodeFailure{LobbyDecodeError::NotVerified, kind});
    auto result = read_fn(env);
    if (!result) return util::fail(DecodeFailure{result.error().error, kind, result.error().detail});
    return std::move(result).value();
}

} // namespace

// --- encode / decode --------------------------------------------------------------------------

std::vector<std::uint8_t> encode_client_message(const ClientMessage& message) { return encode(message); }
std::vector<std::uint8_t> encode_server_message(const ServerMessage& message) { return encode(message); }

util::Result<ClientMessage, DecodeFailure> decode_client_message(std::span<const std::uint8_t> payload) {
    return decode<ClientMessage>(payload, read_client);
}
util::Result<ServerMessage, DecodeFailure> decode_server_message(std::span<const std::uint8_t> payload) {
    return decode<ServerMessage>(payload, read_server);
}

} // namespace skirmish::protocol::lobby
