// server/config/config_options.cpp
//
// The one table of skirmish-server's options: key, flag, help, kind, whether a
// reload applies it, and how it is set and read. A new option is one row here
// (and a row in docs/OPERATIONS.md, which config_test compares with this table).
#include "server/config/server_settings.hpp"

#include "server/metrics/metrics_endpoint.hpp"
#include "shared/net/connect_token.hpp"
#include "shared/protocol/lobby_codec.hpp"
#include "shared/sim/rules.hpp"

#include <fmt/format.h>

#include <type_traits>

namespace skirmish::server {

namespace {

using SetResult = util::Result<util::Ok, std::string>;
namespace pl = protocol::lobby;

// The value of an option's member, for the getters (the accessors take a
// mutable settings so one lambda serves both directions).
ServerSettings& mut(const ServerSettings& s) { return const_cast<ServerSettings&>(s); }

template <typename Ref>
Option integer(std::string_view key, std::string_view flag, std::string help, Apply apply, std::int64_t min,
               std::int64_t max, Ref ref) {
    return {key, flag, std::move(help), ValueKind::Integer, apply, false,
            [=](ServerSettings& s, const ConfigValue& v) -> SetResult {
                const auto n = std::get<std::int64_t>(v);
                if (n < min || n > max) return util::fail(fmt::format("{} is outside {}..{}", n, min, max));
                ref(s) = static_cast<std::remove_reference_t<decltype(ref(s))>>(n);
                return util::Ok{};
            },
            [=](const ServerSettings& s) -> ConfigValue { return static_cast<std::int64_t>(ref(mut(s))); }};
}

template <typename Ref>
Option number(std::string_view key, std::string_view flag, std::string help, Apply apply, double min, double max,
              Ref ref) {
    return {key, flag, std::move(help), ValueKind::Number, apply, false,
            [=](ServerSettings& s, const ConfigValue& v) -> SetResult {
                const double n = std::get<double>(v);
                if (!(n >= min && n <= max)) return util::fail(fmt::format("{} is outside {}..{}", n, min, max));
                ref(s) = n;
                return util::Ok{};
            },
            [=](const ServerSettings& s) -> ConfigValue { return ref(mut(s)); }};
}

template <typename Ref>
Option on_off(std::string_view key, std::string_view flag, std::string help, Apply apply, Ref ref) {
    return {key, flag, std::move(help), ValueKind::Switch, apply, false,
            [=](ServerSettings& s, const ConfigValue& v) -> SetResult {
                ref(s) = std::get<bool>(v);
                return util::Ok{};
            },
            [=](const ServerSettings& s) -> ConfigValue { return static_cast<bool>(ref(mut(s))); }};
}

// A text option; `check` returns "" when the text may be used, else why not.
template <typename Ref, typename Check>
Option text(std::string_view key, std::string_view flag, std::string help, Apply apply, bool secret, Ref ref,
            Check check) {
    return {key, flag, std::move(help), ValueKind::Text, apply, secret,
            [=](ServerSettings& s, const ConfigValue& v) -> SetResult {
                const auto& t = std::get<std::string>(v);
                if (std::string why = check(t); !why.empty()) return util::fail(std::move(why));
                ref(s) = t;
                return util::Ok{};
            },
            [=](const ServerSettings& s) -> ConfigValue { return std::string(ref(mut(s))); }};
}

std::string any_text(const std::string&) { return {}; }

std::string free_text_of(const std::string& t, std::size_t max_bytes) {
    if (protocol::is_valid_text(t, protocol::free_text(max_bytes))) return {};
    return fmt::format("must be at most {} bytes of UTF-8 without control characters (it has {} bytes)", max_bytes,
                       t.size());
}

SetResult set_motd(ServerSettings& s, const ConfigValue& v) {
    const auto& t = std::get<std::string>(v);
    std::vector<std::string> lines;
    std::size_t at = 0;
    while (at < t.size()) {
        const std::size_t end = std::min(t.find('\n', at), t.size());
        std::string line = t.substr(at, end - at);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(std::move(line));
        at = end + 1;
    }
    if (lines.size() > pl::kMaxMotdLines)
        return util::fail(fmt::format("has {} lines; at most {}", lines.size(), pl::kMaxMotdLines));
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (!protocol::is_valid_text(lines[i], protocol::free_text(pl::kMaxMotdLineBytes)))
            return util::fail(fmt::format("line {} must be at most {} bytes of UTF-8 without control characters",
                                          i + 1, pl::kMaxMotdLineBytes));
    }
    s.server.hosting.motd = std::move(lines);
    return util::Ok{};
}

ConfigValue get_motd(const ServerSettings& s) {
    std::string out;
    for (const auto& line : s.server.hosting.motd) out += (out.empty() ? "" : "\n") + line;
    return out;
}

SetResult set_rotation(ServerSettings& s, const ConfigValue& v) {
    const auto& maps = std::get<std::vector<std::string>>(v);
    if (maps.size() > pl::kMaxMaps) return util::fail(fmt::format("has {} maps; at most {}", maps.size(), pl::kMaxMaps));
    for (const auto& m : maps) {
        if (!protocol::is_valid_name(m, protocol::kMaxMapNameBytes))
            return util::fail(fmt::format("'{}' is not a map name", m));
    }
    s.server.hosting.map_rotation = maps;
    return util::Ok{};
}

SetResult set_token_key(ServerSettings& s, const ConfigValue& v) {
    const auto& hex = std::get<std::string>(v);
    if (hex.empty()) {
        s.server.token_key.reset();
    } else {
        auto key = net::parse_token_key_hex(hex);
        if (!key) return util::fail(key.error());
        s.server.token_key = *key;
    }
    s.token_key = hex;
    return util::Ok{};
}

SetResult set_log_level(ServerSettings& s, const ConfigValue& v) {
    const auto& t = std::get<std::string>(v);
    if (!util::parse_log_level(t, s.log_level))
        return util::fail(fmt::format("unknown log level '{}': use debug, info, warn, error or off", t));
    return util::Ok{};
}

SetResult set_metrics_address(ServerSettings& s, const ConfigValue& v) {
    const auto& t = std::get<std::string>(v);
    if (t.empty()) {
        s.server.metrics.reset();
    } else {
        auto address = parse_metrics_address(t);
        if (!address) return util::fail(address.error());
        s.server.metrics = *address;
    }
    s.metrics_address = t;
    return util::Ok{};
}

std::string check_admin_password(const std::string& t) {
    if (t.size() > 512) return "is too long (at most 512 bytes)";
    return {};
}

std::vector<Option> make_options() {
    using S = ServerSettings;
    std::vector<Option> o;
    // --- where and what ---
    o.push_back(integer("port", "--port", "TCP lobby port; the UDP game port uses the same number (0: any free)",
                        Apply::Restart, 0, 65535, [](S& s) -> auto& { return s.server.port; }));
    o.push_back(text("bind", "--bind", "Address to listen on", Apply::Restart, false,
                     [](S& s) -> auto& { return s.server.bind_address; },
                     [](const std::string& t) { return t.empty() ? std::string("must not be empty") : std::string(); }));
    o.push_back(text("server_name", "--server-name", "Name shown to players", Apply::Live, false,
                     [](S& s) -> auto& { return s.server.hosting.server_name; },
                     [](const std::string& t) { return free_text_of(t, pl::kMaxServerNameBytes); }));
    o.push_back(text("maps", "--maps", "Directory of *.json maps", Apply::Restart, false,
                     [](S& s) -> auto& { return s.maps_dir; },
                     [](const std::string& t) { return t.empty() ? std::string("must not be empty") : std::string(); }));
    o.push_back({"token_key", "--token-key",
                 "64 hex digits: the connect-token key, to share with a separate lobby or game server (default: a "
                 "fresh random key)",
                 ValueKind::Text, Apply::Restart, true, set_token_key,
                 [](const S& s) -> ConfigValue { return s.token_key; }});
    o.push_back({"log_level", "--log-level", "debug, info, warn, error or off", ValueKind::Text, Apply::Live, false,
                 set_log_level, [](const S& s) -> ConfigValue { return std::string(util::name(s.log_level)); }});
    o.push_back(on_off("discovery", "--discovery",
                       "Answer LAN discovery probes, so clients on the LAN list this server: on or off",
                       Apply::Restart, [](S& s) -> auto& { return s.server.discovery.enabled; }));
    o.push_back(integer("discovery_port", "--discovery-port",
                        "UDP port LAN discovery listens on, on every interface (clients probe it; default 7778)",
                        Apply::Restart, 0, 65535, [](S& s) -> auto& { return s.server.discovery.port; }));
    // --- the simulation and the wire ---
    o.push_back(integer("tick_rate", "--tick-rate",
                        fmt::format("Simulation ticks per second ({}..{})", sim::kMinTickRateHz, sim::kMaxTickRateHz),
                        Apply::Restart, sim::kMinTickRateHz, sim::kMaxTickRateHz,
                        [](S& s) -> auto& { return s.server.game.tick_rate_hz; }));
    o.push_back(integer("snapshot_rate", "--snapshot-rate", "Snapshots per second to each client (at most the tick rate)",
                        Apply::Restart, 1, sim::kMaxTickRateHz,
                        [](S& s) -> auto& { return s.server.game.snapshot_rate_hz; }));
    o.push_back(on_off("delta", "--delta", "Delta-encode snapshots: on, or off to send every snapshot full",
                       Apply::Restart, [](S& s) -> auto& { return s.server.game.delta; }));
    o.push_back(on_off("lag_compensation", "--lag-compensation",
                       "Check shots where the shooter saw targets: on or off", Apply::Restart,
                       [](S& s) -> auto& { return s.server.game.lag_compensation; }));
    o.push_back(integer("max_rewind_ms", "--max-rewind-ms",
                        "Most latency a shot is compensated for (the client's interpolation delay, up to 150 ms, "
                        "comes on top)",
                        Apply::Restart, 0, 1000, [](S& s) -> auto& { return s.server.game.max_rewind_ms; }));
    o.push_back(on_off("range_coder", "--range-coder",
                       "Range-code what the server sends (ENet's compressor): on or off (docs/NETCODE.md)",
                       Apply::Restart, [](S& s) -> auto& { return s.server.game.range_coder; }));
    o.push_back(text("record_dir", "--record-dir",
                     "Write a demo of every match to this directory, as <match id>-<UTC time>.skdemo (docs/DEMO.md; "
                     "skirmish-replay verifies and prints them)",
                     Apply::Restart, false, [](S& s) -> auto& { return s.server.game.record_dir; }, any_text));
    o.push_back(integer("record_state_every", "--record-state-every",
                        "Ticks between the full states a demo records (0: one a second)", Apply::Restart, 0,
                        60 * sim::kMaxTickRateHz,
                        [](S& s) -> auto& { return s.server.game.record_state_interval_ticks; }));
    o.push_back(integer("silence_timeout_ms", "--silence-timeout-ms",
                        "A player from whom nothing arrives for this long is gone (200..120000; docs/OPERATIONS.md)",
                        Apply::Restart, 200, 120'000, [](S& s) -> auto& { return s.server.game.silence_timeout_ms; }));
    // --- limits ---
    o.push_back(integer("max_peers", "--max-peers", "Game-port connections (ENet peers), up to 4095", Apply::Restart,
                        1, 4095, [](S& s) -> auto& { return s.server.game.max_peers; }));
    o.push_back(number("challenges_per_second", "--challenges-per-second",
                       "Game-port Challenges sent per second in total (Hellos beyond it get no answer)",
                       Apply::Restart, 1.0, 1e6,
                       [](S& s) -> auto& { return s.server.game.admission.challenges_per_second; }));
    o.push_back(number("challenges_per_address", "--challenges-per-address",
                       "Game-port Challenges per second toward one IPv4 address (twice as many at once)",
                       Apply::Restart, 1.0, 1e6,
                       [](S& s) -> auto& { return s.server.game.admission.challenges_per_address_per_second; }));
    o.push_back(integer("max_connections", "--max-connections", "Lobby connections in total", Apply::Restart, 1,
                        1'000'000, [](S& s) -> auto& { return s.server.lobby.max_connections; }));
    o.push_back(integer("max_per_address", "--max-per-address", "Lobby connections from one address", Apply::Restart,
                        1, 1'000'000, [](S& s) -> auto& { return s.server.lobby.max_connections_per_address; }));
    // --- observing ---
    o.push_back({"metrics_address", "--metrics-address",
                 "Serve /metrics (Prometheus), /healthz and /readyz over HTTP on HOST:PORT (a bare PORT or :PORT "
                 "listens on 127.0.0.1; default: off)",
                 ValueKind::Text, Apply::Restart, false, set_metrics_address,
                 [](const S& s) -> ConfigValue { return s.metrics_address; }});
    o.push_back(text("event_log", "--event-log",
                     "Append one JSON object per line to this file for every server, lobby and match event "
                     "(docs/OPERATIONS.md; default: none)",
                     Apply::Restart, false, [](S& s) -> auto& { return s.event_log; }, any_text));
    o.push_back(text("db", "--db",
                     "Store every finished match and each player's line in this SQLite file, and answer the lobby's "
                     "stats from it (docs/OPERATIONS.md, \"Results and stats\"; off: keep nothing; default: "
                     "results.sqlite in the server's data folder)",
                     Apply::Restart, false, [](S& s) -> auto& { return s.db; },
                     [](const std::string& t) { return t.empty() ? std::string("must not be empty (off: no database)") : std::string(); }));
    // --- what players see (a reload applies these) ---
    o.push_back({"motd", "--motd",
                 "Message of the day, shown to every player on joining (at most 8 lines of 200 bytes)",
                 ValueKind::Lines, Apply::Live, false, set_motd, get_motd});
    o.push_back(text("password", "", "Players need this password to join (config file only; default: none)",
                     Apply::Live, true, [](S& s) -> auto& { return s.server.hosting.password; },
                     [](const std::string& t) { return free_text_of(t, pl::kMaxPasswordBytes); }));
    o.push_back(text("admin_password", "",
                     "The administrators' password, or its crypto_pwhash hash from --hash-admin-password (config "
                     "file only; default: none)",
                     Apply::Live, true, [](S& s) -> auto& { return s.admin_password; }, check_admin_password));
    o.push_back({"map_rotation", "--map-rotation",
                 "Maps quick-play rooms play in turn (comma-separated on the command line; default: arena every time)",
                 ValueKind::List, Apply::Live, false, set_rotation,
                 [](const S& s) -> ConfigValue { return s.server.hosting.map_rotation; }});
    o.push_back(integer("room_frag_limit", "--room-frag-limit", "Frag limit of quick-play rooms", Apply::Live,
                        protocol::kMinFragLimit, protocol::kMaxFragLimit,
                        [](S& s) -> auto& { return s.server.hosting.room_defaults.frag_limit; }));
    o.push_back(integer("room_time_limit_s", "--room-time-limit-s", "Time limit of quick-play rooms, in seconds",
                        Apply::Live, protocol::kMinTimeLimitS, protocol::kMaxTimeLimitS,
                        [](S& s) -> auto& { return s.server.hosting.room_defaults.time_limit_s; }));
    o.push_back(on_off("room_join_in_progress", "--room-join-in-progress",
                       "Whether players may join a quick-play room's running match: on or off", Apply::Live,
                       [](S& s) -> auto& { return s.server.hosting.room_defaults.join_in_progress; }));
    o.push_back(integer("room_spectator_slots", "--room-spectator-slots",
                        "Spectator seats of quick-play rooms (watchers besides the players)", Apply::Live, 0,
                        protocol::kMaxSpectatorSlots,
                        [](S& s) -> auto& { return s.server.hosting.room_defaults.spectator_slots; }));
    return o;
}

} // namespace

const std::vector<Option>& config_options() {
    static const std::vector<Option> table = make_options();
    return table;
}

const Option* find_option(std::string_view key) {
    for (const Option& o : config_options()) {
        if (o.key == key) return &o;
    }
    return nullptr;
}

} // namespace skirmish::server
