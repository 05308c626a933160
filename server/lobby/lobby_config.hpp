// server/lobby/lobby_config.hpp
//
// What a LobbyServer is told at construction: where to listen, what to put in
// Welcome and MatchStart, how tokens are sealed, and the limits that keep one
// client from hurting the others (docs/PROTOCOL.md, "Limits").
//
// IMPORTANT: now_unix_ms is the only clock the lobby reads for token expiry; it
// is called on the lobby thread and must be thread-safe if shared.
// IMPORTANT: `events` must outlive the lobby; it is written from the lobby thread.
#pragma once

#include "server/bans/ban_list.hpp"
#include "server/admin_link.hpp"
#include "server/events/event_log.hpp"
#include "server/results_link.hpp"
#include "shared/net/connect_token.hpp"
#include "shared/protocol/match_types.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace skirmish::server {

struct LobbyLimits {
    // Players: welcomed connections (docs/OPERATIONS.md, "Security: the lobby").
    std::size_t max_connections = 1000;              // in total; beyond: Error ServerFull, close
    std::size_t max_connections_per_address = 512;   // beyond: Error TooManyConnections, close
    // Handshakes: connections that have not been welcomed yet, a separate and
    // smaller pool. When it is full a newcomer still gets in: the oldest
    // handshake of the address with the most is closed instead.
    std::size_t max_handshakes = 256;                // in total
    std::size_t max_handshakes_per_address = 32;     // beyond: that address's oldest handshake is closed
    std::chrono::milliseconds handshake_timeout{5'000}; // connect → Welcome, else Error Timeout
    std::chrono::milliseconds idle_timeout{60'000};     // no complete frame for this long → Error Timeout
    std::chrono::milliseconds frame_timeout{10'000};    // first byte of a frame → its last, else Error Timeout
    std::chrono::milliseconds close_linger{2'000};      // how long a closing connection may take to flush
    // What the server holds for one client in total: its own queue plus the
    // socket's kernel send buffer (SO_SNDBUF, which Linux books at twice the size asked for).
    std::size_t max_output_bytes = 256 * 1024;
    int socket_send_buffer_bytes = 32 * 1024;        // SO_SNDBUF for client sockets; 0 = the OS's (not counted)
    std::size_t max_chat_bytes = 200;                // ≤ protocol::lobby::kMaxChatBytes
    double chat_burst = 5;                           // chat lines at once ...
    double chat_per_second = 1;                      // ... then this many per second
    double message_burst = 50;                       // any messages at once ...
    double messages_per_second = 20;                 // ... then this many per second
    double wrong_password_burst = 5;                 // wrong passwords from one address at once ...
    double wrong_passwords_per_second = 0.5;         // ... then this many per second; beyond, no password is tried
    // Admin passwords checked (AdminCommand): each check costs ~0.1 s of CPU
    // and 64 MiB, so every check spends, right or wrong, per address and in all.
    double admin_attempt_burst = 5;                  // checks from one address at once ...
    double admin_attempts_per_second = 0.2;          // ... then one every 5 s
    double admin_attempt_burst_total = 10;           // checks from everyone at once ...
    double admin_attempts_per_second_total = 1;      // ... then one a second
};

// What a host may change while the server runs (skirmish-server's config
// file, reloaded on SIGHUP: LobbyServer::reconfigure()). docs/OPERATIONS.md,
// "Configuration", names the keys.
struct LobbyHosting {
    std::string server_name = "Skirmish";
    std::vector<std::string> motd;   // Welcome.motd: ≤ kMaxMotdLines lines of ≤ kMaxMotdLineBytes
    std::string password;            // "" = none; else Hello.password must equal it (WrongPassword)
    // crypto_pwhash_str of the admin password, for remote administration
    // (AdminCommand; server/admin/); "" = none. Never the password itself.
    std::string admin_password_hash;
    // Maps that quick-play rooms play in turn: a new quick-play room takes the
    // next, and a quick-play room moves on to the next after each match.
    // Empty: "arena" if the server has it, else its first map, every time.
    std::vector<std::string> map_rotation;
    // Quick-play rooms' frag limit, time limit and join-in-progress (their map
    // comes from the rotation, their size from QuickPlay.max_players).
    protocol::MatchSettings room_defaults;
};

struct LobbyConfig {
    std::string bind_address = "0.0.0.0";
    std::uint16_t port = 7777;       // TCP; 0 = an ephemeral port (start() returns it)
    std::string game_address;        // in MatchStart; "" = the address the client reached the lobby on
    std::uint16_t game_port = 0;     // UDP, in MatchStart; 0 = the lobby's own port number
    LobbyHosting hosting;
    std::vector<std::string> maps;   // names a room may use; the first is the quick-play default unless "arena" is present
    net::TokenKey token_key{};
    std::uint64_t token_lifetime_ms = net::kDefaultTokenLifetimeMs;
    std::uint16_t tick_rate_hz = 60;
    std::uint16_t snapshot_rate_hz = 30;
    LobbyLimits limits;
    std::function<std::uint64_t()> now_unix_ms; // required: wall-clock Unix time in ms, for token expiry
    EventLog* events = nullptr;      // lobby_join/leave, room_created/removed; may be null
    ResultsSource* results = nullptr; // answers GetStats and GetRecentMatches; null: Stats{available = false}
    BanList* bans = nullptr;          // checked at every Hello; null: no bans
    AdminGate* admin = nullptr;       // runs AdminCommands; null: remote administration is off
};

} // namespace skirmish::server
