// shared/protocol/lobby_codec.hpp
//
// Lobby messages as plain C++ values, and the codec that turns them into the
// payload of one lobby frame (schemas/lobby.fbs: an Envelope with identifier
// "SKLB" holding one Message) and back. Fields, ranges and the session state
// machine: docs/PROTOCOL.md, "Lobby messages". Pure: no sockets, no clocks.
//
// IMPORTANT: decode_client_message() and decode_server_message() read untrusted
// bytes. They verify the buffer with flatbuffers::Verifier, check the
// identifier, range-check every field, hold every string to text_rules.hpp and
// cap every count; they never throw or assert on input. Every rejection is a
// DecodeFailure.
// IMPORTANT: server and client code see only these types, never flatbuffers::.
#pragma once

#include "shared/protocol/match_types.hpp"
#include "shared/util/result.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace skirmish::protocol::lobby {

// --- limits (docs/PROTOCOL.md, "Constants"; checked by protocol_doc_test) --------

inline constexpr std::string_view kFileIdentifier = "SKLB";
inline constexpr std::size_t kMaxChatBytes = 200;
inline constexpr std::size_t kMaxErrorTextBytes = 512;
inline constexpr std::size_t kMaxServerNameBytes = 64;
inline constexpr std::size_t kMaxMapNameBytes = protocol::kMaxMapNameBytes;
inline constexpr std::size_t kMaxMaps = 64;
inline constexpr std::size_t kMaxListedRooms = 128;
inline constexpr std::size_t kMaxConnectTokenBytes = 256;
inline constexpr std::size_t kMaxAddressBytes = 255;
inline constexpr std::size_t kMaxPasswordBytes = 64;   // Hello.password
inline constexpr std::size_t kReconnectSecretBytes = 32; // MatchStart.reconnect_secret, Hello.reconnect_secret
inline constexpr std::size_t kMaxMotdLines = 8;        // Welcome.motd
inline constexpr std::size_t kMaxMotdLineBytes = 200;  // each line of Welcome.motd
inline constexpr std::size_t kMaxStatsPage = 50;       // Stats.players; GetStats.count is capped to it
inline constexpr std::size_t kMaxMatchesPage = 20;     // RecentMatches.matches; GetRecentMatches.count likewise
inline constexpr std::size_t kMaxAdminPasswordBytes = 128; // AdminCommand.password
inline constexpr std::size_t kMaxAdminCommandBytes = 512;  // AdminCommand.command: one line
inline constexpr std::size_t kMaxAdminReplyBytes = 4000;   // AdminReply.text
// Verifier bounds: an Envelope nests at most 5 deep (Envelope → RoomState →
// MatchResults → scores → PlayerScore) and holds a few hundred tables.
inline constexpr unsigned kVerifierMaxDepth = 16;
inline constexpr unsigned kVerifierMaxTables = 4096;

// --- enums (mirror schemas/lobby.fbs; static_asserts in lobby_codec.cpp) ----------

// The union tag of each message, as sent in Error.in_reply_to.
enum class MessageKind : std::uint8_t {
    None = 0,
    Hello = 1,
    Welcome = 2,
    Error = 3,
    ListRooms = 4,
    RoomList = 5,
    CreateRoom = 6,
    JoinRoom = 7,
    LeaveRoom = 8,
    QuickPlay = 9,
    RoomState = 10,
    Chat = 11,
    ChatMessage = 12,
    SetReady = 13,
    StartMatch = 14,
    MatchStart = 15,
    MatchEnded = 16,
    Ping = 17,
    Pong = 18,
    LeftRoom = 19,
    GetStats = 20,
    Stats = 21,
    GetRecentMatches = 22,
    RecentMatches = 23,
    AdminCommand = 24,
    AdminReply = 25,
};
std::string_view name(MessageKind kind);

enum class ErrorCode : std::uint16_t {
    None = 0,
    WrongProtocolVersion = 1,
    BadName = 2,
    NameTaken = 3,
    ServerFull = 4,
    NotWelcomed = 5,
    AlreadyWelcomed = 6,
    RoomNotFound = 7,
    RoomFull = 8,
    AlreadyInRoom = 9,
    NotInRoom = 10,
    NotHost = 11,
    AlreadyInMatch = 12,
    BadRoomSettings = 13,
    NotEnoughPlayers = 14,
    RateLimited = 15,
    ChatTooLong = 16,
    BadFrame = 17,
    UnknownMessage = 18,
    Timeout = 19,
    ServerShuttingDown = 20,
    TooManyConnections = 21,
    UnknownMap = 22,
    Internal = 23,
    BadChat = 24,
    WrongPassword = 25,
    ReconnectRefused = 26,
    ReconnectExpired = 27,
    Replaced = 28,
    Kicked = 29,
    Banned = 30,
    Spectating = 31,
};
inline constexpr ErrorCode kLastErrorCode = ErrorCode::Spectating;
std::string_view name(ErrorCode code);
// Whether the server closes the connection after sending this code.
bool closes_connection(ErrorCode code);

enum class RoomPhase : std::uint8_t { Waiting = 0, InMatch = 1 };

// --- client → server ------------------------------------------------------------

struct Hello {
    std::uint32_t protocol_version = 0;
    std::string name; // 1..24 bytes of UTF-8, no control characters
    std::string password{}; // 0..kMaxPasswordBytes of free text; empty: none
    // Back into a running match (docs/PROTOCOL.md, "Reconnect"): the match and
    // the secret its MatchStart gave; both absent (0 and empty) or both set,
    // the secret exactly kReconnectSecretBytes.
    std::uint32_t reconnect_match_id = 0;
    std::vector<std::uint8_t> reconnect_secret{};
    friend bool operator==(const Hello&, const Hello&) = default;
};
struct ListRooms {
    friend bool operator==(const ListRooms&, const ListRooms&) = default;
};
struct CreateRoom {
    std::string name; // 1..32 bytes of UTF-8, no control characters
    MatchSettings settings;
    friend bool operator==(const CreateRoom&, const CreateRoom&) = default;
};
struct JoinRoom {
    std::uint32_t room_id = 0;
    bool spectator = false; // watch from a spectator seat (docs/PROTOCOL.md, "Spectators")
    friend bool operator==(const JoinRoom&, const JoinRoom&) = default;
};
struct LeaveRoom {
    friend bool operator==(const LeaveRoom&, const LeaveRoom&) = default;
};
struct QuickPlay {
    std::uint8_t max_players = 8; // 2..16, used if a room has to be created
    friend bool operator==(const QuickPlay&, const QuickPlay&) = default;
};
struct Chat {
    std::string text; // 1..200 bytes of UTF-8
    friend bool operator==(const Chat&, const Chat&) = default;
};
struct SetReady {
    bool ready = true;
    friend bool operator==(const SetReady&, const SetReady&) = default;
};
struct StartMatch {
    friend bool operator==(const StartMatch&, const StartMatch&) = default;
};
struct Ping {
    std::uint64_t nonce = 0;
    friend bool operator==(const Ping&, const Ping&) = default;
};

// Results and stats (docs/PROTOCOL.md, "Results and stats"); the answers are below.
// The leaderboard from `first` (0: the top), or one name's line.
struct GetStats {
    std::uint32_t first = 0;
    std::uint8_t count = 10; // 1..kMaxStatsPage (more is read as kMaxStatsPage)
    std::string name{};      // set: only this name's line (first and count ignored)
    friend bool operator==(const GetStats&, const GetStats&) = default;
};
// Finished matches, newest first, from `first` (0: the newest).
struct GetRecentMatches {
    std::uint32_t first = 0;
    std::uint8_t count = 10; // 1..kMaxMatchesPage (more is read as kMaxMatchesPage)
    friend bool operator==(const GetRecentMatches&, const GetRecentMatches&) = default;
};
// The one dispatch point for what a client sends.
// Administration (docs/PROTOCOL.md, "Administration"): one console command
// line, with the admin password (empty once the session has authenticated).
// Taken before Hello: an admin tool need not be a player.
struct AdminCommand {
    std::string password{}; // 0..kMaxAdminPasswordBytes of free text
    std::string command;    // 1..kMaxAdminCommandBytes, one line (no control characters)
    friend bool operator==(const AdminCommand&, const AdminCommand&) = default;
};
using ClientMessage = std::variant<Hello, ListRooms, CreateRoom, JoinRoom, LeaveRoom, QuickPlay, Chat, SetReady,
                                   StartMatch, Ping, GetStats, GetRecentMatches, AdminCommand>;

// --- server → client ------------------------------------------------------------

struct Welcome {
    std::uint32_t player_id = 0;
    std::string server_name;
    std::uint32_t protocol_version = 0;
    std::vector<std::string> maps;
    std::uint16_t tick_rate_hz = 0;
    std::uint16_t snapshot_rate_hz = 0;
    std::uint16_t idle_timeout_s = 0;
    std::vector<std::string> motd{}; // the message of the day: ≤ kMaxMotdLines of ≤ kMaxMotdLineBytes
    friend bool operator==(const Welcome&, const Welcome&) = default;
};
struct Error {
    ErrorCode code = ErrorCode::None;
    std::string text;
    MessageKind in_reply_to = MessageKind::None;
    friend bool operator==(const Error&, const Error&) = default;
};
struct RoomSummary {
    std::uint32_t room_id = 0;
    std::string name;
    MatchSettings settings;
    std::uint8_t players = 0; // players only
    RoomPhase phase = RoomPhase::Waiting;
    std::uint8_t spectators = 0; // 0..kMaxSpectatorSlots
    friend bool operator==(const RoomSummary&, const RoomSummary&) = default;
};
struct RoomList {
    std::vector<RoomSummary> rooms; // at most kMaxListedRooms
    std::uint32_t total_rooms = 0;
    friend bool operator==(const RoomList&, const RoomList&) = default;
};
struct Member {
    std::uint32_t player_id = 0;
    std::string name;
    bool ready = false;
    bool in_match = false;  // a spectator: watching the running match
    bool spectator = false; // in a spectator seat: not a player, never ready
    friend bool operator==(const Member&, const Member&) = default;
};
struct RoomState {
    std::uint32_t room_id = 0;
    std::string name;
    MatchSettings settings;
    std::uint32_t host_id = 0;
    RoomPhase phase = RoomPhase::Waiting;
    std::vector<Member> members; // join order, at most kMaxRoomMembers (players and spectators)
    std::optional<MatchResults> last_results;
    friend bool operator==(const RoomState&, const RoomState&) = default;
};
struct LeftRoom {
    std::uint32_t room_id = 0;
    friend bool operator==(const LeftRoom&, const LeftRoom&) = default;
};
struct ChatMessage {
    std::uint32_t room_id = 0;
    std::uint32_t from_player_id = 0; // 0: the server
    std::string from_name;
    std::string text;
    friend bool operator==(const ChatMessage&, const ChatMessage&) = default;
};
struct MatchStart {
    std::string game_address; // empty: the address of the lobby connection
    std::uint16_t port = 0;
    std::vector<std::uint8_t> connect_token;
    std::uint32_t match_id = 0;
    std::uint32_t room_id = 0;
    MatchSettings settings;
    bool in_progress = false;
    std::vector<std::uint8_t> reconnect_secret{}; // empty (always for a spectator), or kReconnectSecretBytes random bytes
    bool spectator = false; // a spectator's token: snapshots, no entity, no inputs
    friend bool operator==(const MatchStart&, const MatchStart&) = default;
};
struct MatchEnded {
    MatchResults results;
    friend bool operator==(const MatchEnded&, const MatchEnded&) = default;
};
struct Pong {
    std::uint64_t nonce = 0;
    friend bool operator==(const Pong&, const Pong&) = default;
};

// --- results and stats: the answers to GetStats and GetRecentMatches ----------------
struct PlayerStats {
    std::string name;
    std::uint32_t rank = 0; // 1-based place on the leaderboard
    std::uint32_t matches = 0;
    std::uint32_t wins = 0;
    std::uint32_t frags = 0;
    std::uint32_t deaths = 0;
    std::uint32_t shots = 0;
    std::uint32_t hits = 0; // accuracy = hits / shots
    friend bool operator==(const PlayerStats&, const PlayerStats&) = default;
};
struct Stats {
    bool available = false; // false: the server keeps no results (--db off)
    std::vector<PlayerStats> players; // at most kMaxStatsPage: most wins, then most frags, then name
    std::uint32_t total_players = 0;  // names on the leaderboard
    friend bool operator==(const Stats&, const Stats&) = default;
};
struct MatchLine {
    std::string name;
    std::int16_t frags = 0;
    std::int16_t deaths = 0;
    std::uint32_t shots = 0;
    std::uint32_t hits = 0;
    bool won = false;
    friend bool operator==(const MatchLine&, const MatchLine&) = default;
};
struct MatchSummary {
    std::uint64_t id = 0; // the database's id, unique across restarts
    std::string map;
    MatchEndReason reason = MatchEndReason::FragLimit;
    std::uint64_t ended_unix_s = 0;
    float duration_s = 0;
    std::vector<MatchLine> players; // scoreboard order, at most kMaxRoomPlayers
    friend bool operator==(const MatchSummary&, const MatchSummary&) = default;
};
struct RecentMatches {
    bool available = false;
    std::vector<MatchSummary> matches; // at most kMaxMatchesPage, newest first
    std::uint32_t total_matches = 0;
    friend bool operator==(const RecentMatches&, const RecentMatches&) = default;
};

// The answer to an AdminCommand: what the console would have printed.
struct AdminReply {
    bool ok = false;  // false: refused (wrong password, too many tries) or the command failed
    std::string text; // 0..kMaxAdminReplyBytes; lines separated by '\n' (no other control characters)
    friend bool operator==(const AdminReply&, const AdminReply&) = default;
};

// The one dispatch point for what the server sends.
using ServerMessage =
    std::variant<Welcome, Error, RoomList, RoomState, LeftRoom, ChatMessage, MatchStart, MatchEnded, Pong, Stats,
                 RecentMatches, AdminReply>;

MessageKind kind_of(const ClientMessage& message);
MessageKind kind_of(const ServerMessage& message);

// --- field rules, shared by the codec and by code that builds messages --------------
// One text rule for every string field: shared/protocol/text_rules.hpp.

using protocol::is_valid_name;
using protocol::is_valid_text;
using protocol::is_valid_utf8;
using protocol::remove_control_characters;

// --- encode ---------------------------------------------------------------------

// The payload of one frame (no length prefix). The caller keeps values within
// the ranges above; the result is then at most net::kMaxLobbyFrameBytes.
std::vector<std::uint8_t> encode_client_message(const ClientMessage& message);
std::vector<std::uint8_t> encode_server_message(const ServerMessage& message);

// --- decode ---------------------------------------------------------------------

enum class LobbyDecodeError : std::uint8_t {
    Empty,           // no bytes
    WrongIdentifier, // not "SKLB" at bytes 4..7
    NotVerified,     // flatbuffers::Verifier refused the buffer
    UnknownMessage,  // no message, a tag this side does not take, or one from a newer schema
    BadName,         // Hello.name breaks the name rules
    BadRoomName,     // CreateRoom.name breaks the room-name rules
    BadSettings,     // MatchSettings or QuickPlay.max_players out of range
    ChatTooLong,     // Chat.text longer than kMaxChatBytes
    BadText,         // a string that breaks text_rules.hpp (not UTF-8, a control character), or an empty chat line
    OutOfRange,      // any other field or count out of range
};
std::string_view name(LobbyDecodeError error);

struct DecodeFailure {
    LobbyDecodeError error = LobbyDecodeError::NotVerified;
    MessageKind kind = MessageKind::None; // the message's tag if it got that far
    // BadSettings from a client: which field is out of which range, in
    // validate_settings()' words, for the lobby's answer to a person.
    std::string detail{};
};

util::Result<ClientMessage, DecodeFailure> decode_client_message(std::span<const std::uint8_t> payload);
util::Result<ServerMessage, DecodeFailure> decode_server_message(std::span<const std::uint8_t> payload);

} // namespace skirmish::protocol::lobby
