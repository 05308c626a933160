// shared/protocol/lobby_codec.cpp
//
// The lobby's frames (docs/PROTOCOL.md, "Lobby messages"). One write function and one
// read function per message, each with one shape: write(builder, value) ->
// its table, read(table) -> the value or why not. Which table belongs to
// which value is the lists' business (detail/lobby_messages.hpp); encode and
// decode dispatch through them.
// IMPORTANT: decode reads untrusted bytes: identifier-checked, verified with
// depth and table caps, then every read() caps counts, holds strings to
// text_rules.hpp and range-checks values; nothing throws.
#include "shared/protocol/lobby_codec.hpp"

#include "shared/protocol/detail/common_fb.hpp"
#include "shared/protocol/detail/lobby_messages.hpp"
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
static_assert(same_value(MessageKind::Stats, fb::Message::Stats));
static_assert(same_value(MessageKind::GetRecentMatches, fb::Message::GetRecentMatches));
static_assert(same_value(MessageKind::RecentMatches, fb::Message::RecentMatches));
static_assert(same_value(MessageKind::AdminCommand, fb::Message::AdminCommand));
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

flatbuffers::Offset<fb::Hello> write(flatbuffers::FlatBufferBuilder& b, const Hello& m) {
    const auto name = b.CreateString(m.name);
    // Left out when empty, so a Hello without a password is the same bytes as before.
    const auto password = m.password.empty() ? 0 : b.CreateString(m.password);
    // Likewise the reconnect fields: a plain Hello is the bytes it always was.
    const auto secret = m.reconnect_secret.empty() ? 0 : b.CreateVector(m.reconnect_secret);
    return fb::CreateHello(b, m.protocol_version, name, password, m.reconnect_match_id, secret);
}
flatbuffers::Offset<fb::ListRooms> write(flatbuffers::FlatBufferBuilder& b, const ListRooms&) {
    return fb::CreateListRooms(b);
}
flatbuffers::Offset<fb::CreateRoom> write(flatbuffers::FlatBufferBuilder& b, const CreateRoom& m) {
    const auto name = b.CreateString(m.name);
    const auto settings = detail::write_settings(b, m.settings);
    return fb::CreateCreateRoom(b, name, settings);
}
flatbuffers::Offset<fb::JoinRoom> write(flatbuffers::FlatBufferBuilder& b, const JoinRoom& m) {
    return fb::CreateJoinRoom(b, m.room_id, m.spectator);
}
flatbuffers::Offset<fb::LeaveRoom> write(flatbuffers::FlatBufferBuilder& b, const LeaveRoom&) {
    return fb::CreateLeaveRoom(b);
}
flatbuffers::Offset<fb::QuickPlay> write(flatbuffers::FlatBufferBuilder& b, const QuickPlay& m) {
    return fb::CreateQuickPlay(b, m.max_players);
}
flatbuffers::Offset<fb::Chat> write(flatbuffers::FlatBufferBuilder& b, const Chat& m) {
    const auto text = b.CreateString(m.text);
    return fb::CreateChat(b, text);
}
flatbuffers::Offset<fb::SetReady> write(flatbuffers::FlatBufferBuilder& b, const SetReady& m) {
    return fb::CreateSetReady(b, m.ready);
}
flatbuffers::Offset<fb::StartMatch> write(flatbuffers::FlatBufferBuilder& b, const StartMatch&) {
    return fb::CreateStartMatch(b);
}
flatbuffers::Offset<fb::Ping> write(flatbuffers::FlatBufferBuilder& b, const Ping& m) {
    return fb::CreatePing(b, m.nonce);
}

// --- server messages: write --------------------------------------------------------------

flatbuffers::Offset<fb::Welcome> write(flatbuffers::FlatBufferBuilder& b, const Welcome& m) {
    const auto server_name = b.CreateString(m.server_name);
    const auto maps = b.CreateVectorOfStrings(m.maps);
    const auto motd = m.motd.empty() ? 0 : b.CreateVectorOfStrings(m.motd);
    return fb::CreateWelcome(b, m.player_id, server_name, m.protocol_version, maps, m.tick_rate_hz,
                             m.snapshot_rate_hz, m.idle_timeout_s, motd);
}
flatbuffers::Offset<fb::Error> write(flatbuffers::FlatBufferBuilder& b, const Error& m) {
    const auto text = b.CreateString(m.text);
    return fb::CreateError(b, static_cast<fb::ErrorCode>(m.code), text, static_cast<std::uint8_t>(m.in_reply_to));
}
flatbuffers::Offset<fb::RoomList> write(flatbuffers::FlatBufferBuilder& b, const RoomList& m) {
    std::vector<flatbuffers::Offset<fb::RoomSummary>> rooms;
    rooms.reserve(m.rooms.size());
    for (const auto& r : m.rooms) {
        const auto name = b.CreateString(r.name);
        const auto settings = detail::write_settings(b, r.settings);
        rooms.push_back(fb::CreateRoomSummary(b, r.room_id, name, settings, r.players,
                                              static_cast<fb::RoomPhase>(r.phase), r.spectators));
    }
    const auto vec = b.CreateVector(rooms);
    return fb::CreateRoomList(b, vec, m.total_rooms);
}
flatbuffers::Offset<fb::RoomState> write(flatbuffers::FlatBufferBuilder& b, const RoomState& m) {
    std::vector<flatbuffers::Offset<fb::Member>> members;
    members.reserve(m.members.size());
    for (const auto& p : m.members)
        members.push_back(fb::CreateMember(b, p.player_id, b.CreateString(p.name), p.ready, p.in_match, p.spectator));
    const auto members_vec = b.CreateVector(members);
    const auto name = b.CreateString(m.name);
    const auto settings = detail::write_settings(b, m.settings);
    const auto results =
        m.last_results ? detail::write_results(b, *m.last_results) : flatbuffers::Offset<Skirmish::MatchResults>();
    return fb::CreateRoomState(b, m.room_id, name, settings, m.host_id, static_cast<fb::RoomPhase>(m.phase),
                               members_vec, results);
}
flatbuffers::Offset<fb::LeftRoom> write(flatbuffers::FlatBufferBuilder& b, const LeftRoom& m) {
    return fb::CreateLeftRoom(b, m.room_id);
}
flatbuffers::Offset<fb::ChatMessage> write(flatbuffers::FlatBufferBuilder& b, const ChatMessage& m) {
    const auto from_name = b.CreateString(m.from_name);
    const auto text = b.CreateString(m.text);
    return fb::CreateChatMessage(b, m.room_id, m.from_player_id, from_name, text);
}
flatbuffers::Offset<fb::MatchStart> write(flatbuffers::FlatBufferBuilder& b, const MatchStart& m) {
    const auto address = b.CreateString(m.game_address);
    const auto token = b.CreateVector(m.connect_token);
    const auto settings = detail::write_settings(b, m.settings);
    const auto secret = m.reconnect_secret.empty() ? 0 : b.CreateVector(m.reconnect_secret);
    return fb::CreateMatchStart(b, address, m.port, token, m.match_id, m.room_id, settings, m.in_progress, secret,
                                m.spectator);
}
flatbuffers::Offset<fb::MatchEnded> write(flatbuffers::FlatBufferBuilder& b, const MatchEnded& m) {
    const auto results = detail::write_results(b, m.results);
    return fb::CreateMatchEnded(b, results);
}
flatbuffers::Offset<fb::Pong> write(flatbuffers::FlatBufferBuilder& b, const Pong& m) {
    return fb::CreatePong(b, m.nonce);
}

// The results-and-stats and administration messages: lobby_stats_codec.cpp, lobby_admin_codec.cpp.
using tables::write;

template <typename List>
std::vector<std::uint8_t> encode(const typename List::Variant& message) {
    flatbuffers::FlatBufferBuilder b(256);
    const auto [tag, body] = List::write(message, [&](const auto& m) { return write(b, m); });
    fb::FinishEnvelopeBuffer(b, fb::CreateEnvelope(b, tag, body));
    return {b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize()};
}

// --- client messages: read -----------------------------------------------------------------
// Each read() takes a table from a verified buffer and returns the value or
// the reason it is out of range.

template <typename Value>
using Read = util::Result<Value, Reject>;

Read<Hello> read(const fb::Hello& t) {
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
    return m;
}
Read<CreateRoom> read(const fb::CreateRoom& t) {
    CreateRoom m;
    if (!read_text(t.name(), kRoomNameText, m.name)) return util::fail(LobbyDecodeError::BadRoomName);
    if (auto settings = detail::read_settings(t.settings(), m.settings); !settings)
        return util::fail(Reject{LobbyDecodeError::BadSettings, settings.error()});
    return m;
}
Read<QuickPlay> read(const fb::QuickPlay& t) {
    MatchSettings settings; // the room quick play would create
    settings.max_players = t.max_players();
    if (auto valid = validate_settings(settings); !valid)
        return util::fail(Reject{LobbyDecodeError::BadSettings, valid.error()});
    return QuickPlay{t.max_players()};
}
Read<Chat> read(const fb::Chat& t) {
    Chat m{detail::read_string(t.text())};
    if (m.text.size() > kMaxChatBytes) return util::fail(LobbyDecodeError::ChatTooLong);
    if (!is_valid_text(m.text, typed_chat(kMaxChatBytes))) return util::fail(LobbyDecodeError::BadText);
    return m;
}

Read<ListRooms> read(const fb::ListRooms&) { return ListRooms{}; }
Read<JoinRoom> read(const fb::JoinRoom& t) { return JoinRoom{t.room_id(), t.spectator()}; }
Read<LeaveRoom> read(const fb::LeaveRoom&) { return LeaveRoom{}; }
Read<SetReady> read(const fb::SetReady& t) { return SetReady{t.ready()}; }
Read<StartMatch> read(const fb::StartMatch&) { return StartMatch{}; }
Read<Ping> read(const fb::Ping& t) { return Ping{t.nonce()}; }

// --- server messages: read -----------------------------------------------------------------

Read<Welcome> read(const fb::Welcome& t) {
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
    return m;
}
Read<Error> read(const fb::Error& t) {
    // Codes and tags beyond ours come from a newer server (codes are only ever
    // added at the end): kept as numbers, name() says "unknown", and
    // closes_connection() is false; the server closes explicitly when it must.
    Error m;
    m.code = static_cast<ErrorCode>(static_cast<std::uint16_t>(t.code()));
    m.in_reply_to = static_cast<MessageKind>(t.in_reply_to());
    if (!read_text(t.text(), free_text(kMaxErrorTextBytes), m.text)) return util::fail(LobbyDecodeError::BadText);
    return m;
}
bool read_phase(fb::RoomPhase phase, RoomPhase& out) {
    const auto value = static_cast<std::uint8_t>(phase);
    if (value > static_cast<std::uint8_t>(fb::RoomPhase::MAX)) return false;
    out = static_cast<RoomPhase>(value);
    return true;
}
Read<RoomList> read(const fb::RoomList& t) {
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
    return m;
}
Read<RoomState> read(const fb::RoomState& t) {
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
    return m;
}
Read<ChatMessage> read(const fb::ChatMessage& t) {
    ChatMessage m;
    m.room_id = t.room_id();
    m.from_player_id = t.from_player_id();
    // The server itself (id 0) may leave its name empty; a player has a name.
    if (!read_text(t.from_name(), m.from_player_id == 0 ? free_text(kMaxNameBytes) : kPlayerNameText, m.from_name))
        return util::fail(LobbyDecodeError::BadName);
    m.text = detail::read_string(t.text());
    if (m.text.size() > kMaxChatBytes) return util::fail(LobbyDecodeError::ChatTooLong);
    if (!is_valid_text(m.text, free_text(kMaxChatBytes, 1))) return util::fail(LobbyDecodeError::BadText);
    return m;
}
Read<MatchStart> read(const fb::MatchStart& t) {
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
    return m;
}
Read<MatchEnded> read(const fb::MatchEnded& t) {
    MatchEnded m;
    if (!detail::read_results(t.results(), m.results)) return util::fail(LobbyDecodeError::OutOfRange);
    return m;
}

Read<LeftRoom> read(const fb::LeftRoom& t) { return LeftRoom{t.room_id()}; }
Read<Pong> read(const fb::Pong& t) { return Pong{t.nonce()}; }

// --- verify, then read ------------------------------------------------------------------

// The results-and-stats and administration messages: lobby_stats_codec.cpp, lobby_admin_codec.cpp.
using tables::read;

template <typename List>
util::Result<typename List::Variant, DecodeFailure> decode(std::span<const std::uint8_t> payload) {
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
    // NONE, the other direction's messages, and tags from a newer schema are not on the list.
    auto message = List::template read<Reject>(env.message_type(), env.message(),
                                               [](const auto& table) { return read(table); });
    if (!message) return util::fail(DecodeFailure{LobbyDecodeError::UnknownMessage, kind});
    if (!*message) return util::fail(DecodeFailure{message->error().error, kind, message->error().detail});
    return std::move(*message).value();
}

} // namespace

// --- encode / decode --------------------------------------------------------------------------

std::vector<std::uint8_t> encode_client_message(const ClientMessage& message) {
    return encode<tables::ClientMessages>(message);
}
std::vector<std::uint8_t> encode_server_message(const ServerMessage& message) {
    return encode<tables::ServerMessages>(message);
}

util::Result<ClientMessage, DecodeFailure> decode_client_message(std::span<const std::uint8_t> payload) {
    return decode<tables::ClientMessages>(payload);
}
util::Result<ServerMessage, DecodeFailure> decode_server_message(std::span<const std::uint8_t> payload) {
    return decode<tables::ServerMessages>(payload);
}

} // namespace skirmish::protocol::lobby
