// client/bots/bot.hpp
//
// One headless player: the real lobby flow (Hello, quick play, ready), then
// the match with Brain's inputs, then back to the room for the next match,
// until stopped. The flow is client::PlayerSession's, as for a person; what
// is the bot's own is when to get ready, what to play, and its figures. It keeps its own figures as histograms
// so a fleet's report aggregates distributions, not averages of averages.
//
// IMPORTANT: every Bot of a fleet runs on the fleet's one thread, which also
// polls the shared asio::io_context. Time comes in as values.
#pragma once

#include "client/bots/brain.hpp"
#include "client/core/player_session.hpp"
#include "client/core/view_recording.hpp"
#include "shared/util/stats.hpp"

#include <memory>
#include <optional>
#include <string>

namespace skirmish::bots {

struct BotOptions {
    std::string server_host = "127.0.0.1";
    std::uint16_t server_port = 7777;
    std::string name;
    std::string password; // the server's, if it has one
    std::uint8_t room_size = 8;
    std::uint64_t seed = 1;
    client::ClientOptions client;
    // Game traffic through the fleet's conditioner relays; null: straight to the server.
    std::shared_ptr<client::ConditionedRoute> route;
    // Not empty: each match this bot plays is recorded as it saw it, into
    // this directory (client/core/view_recording.hpp, docs/DEMO.md).
    std::string record_view_dir;
};

// What every bot adds to the fleet's one-second live line.
struct LiveWindow {
    util::Histogram rtt_ms;
    std::uint64_t snapshots = 0;
    double in_match_s = 0;          // bot-seconds spent settled in a running match
    std::uint64_t bytes_down = 0;
    std::uint64_t bytes_up = 0;
    std::uint64_t corrections = 0;
    std::optional<protocol::ServerStats> server;
};

// A player's inputs as the server counted them (ServerStats), added up over matches.
struct InputTotals {
    std::uint64_t applied = 0, repeated = 0, before_first = 0, late = 0, too_early = 0, redundant = 0;
    std::uint64_t matches = 0; // matches whose counts the server sent at least once

    void add(const protocol::InputFigures& f) noexcept;
    InputTotals& operator+=(const InputTotals& other) noexcept;
    // Of the ticks stepped since each player's first input, the share stepped
    // with the player's own input (NaN: none).
    double applied_pct() const noexcept;
};

struct BotMetrics {
    util::Histogram rtt_ms;           // sampled ten times a second while in a match
    util::Histogram down_bytes_per_s; // one sample per whole second in a match
    util::Histogram up_bytes_per_s;
    std::uint64_t snapshots = 0;      // while settled in a running match
    std::uint64_t snapshots_lost = 0;
    std::uint64_t snapshot_bytes = 0; // over every snapshot received, settled or not
    std::uint64_t snapshots_all = 0;
    double settled_match_s = 0;       // time those snapshots were counted over
    std::uint64_t corrections = 0;
    std::uint64_t corrections_by_players = 0;
    util::Histogram correction_units;      // sizes of those corrections, world units
    client::SmoothnessCounts smoothness;   // remote players as drawn, once settled
    double match_s = 0;
    std::uint64_t matches = 0;
    std::uint64_t shots = 0;
    std::uint64_t hits = 0;
    client::HitCounts hit_agreement;  // every match's, added up
    InputTotals inputs;               // every match's last ServerStats counts, added up
    std::uint64_t disconnects = 0;    // connections lost that nobody asked to end, game or lobby
    std::uint64_t lobby_disconnects = 0; // the part of `disconnects` that was the lobby connection
    bool reached_match = false;
    std::optional<protocol::ServerStats> server; // the latest the server sent
    std::string last_problem;
};

enum class BotState : std::uint8_t { Idle, Lobby, Match, Failed, Stopped };

class Bot {
public:
    Bot(const net::EnetLibrary& enet, asio::io_context& io, BotOptions options, util::Logger log);

    void start();
    // `socket_quiet`: a readiness poll said nothing waits on game_socket().
    void update(util::TimePoint now, LiveWindow& window, bool socket_quiet = false);
    // The game connection's socket (-1: none) and which game it belongs to
    // (a socket number is reused by the next game).
    int game_socket() const noexcept;
    std::uint64_t game_serial() const noexcept { return metrics_.matches; }
    // Leaves the match and the lobby politely.
    void stop();

    BotState state() const noexcept { return state_; }
    // Connected: its lobby session is alive and it has played.
    bool connected() const noexcept;
    const BotMetrics& metrics() const noexcept { return metrics_; }

private:
    void handle_lobby(util::TimePoint now);
    void handle_message(const protocol::lobby::ServerMessage& message, util::TimePoint now);
    void game_started(util::TimePoint now);
    void end_game(bool expected);
    void sample(util::TimePoint now, LiveWindow& window);

    BotOptions options_;
    util::Logger log_;
    // Declared before player_ so it outlives the GameClient that points to it.
    std::unique_ptr<client::ViewRecording> view_recording_;
    client::PlayerSession player_;
    Brain brain_;
    BotState state_ = BotState::Idle;

    // Room state, for deciding when to get ready.
    std::optional<protocol::lobby::RoomState> room_;
    util::TimePoint joined_room_at_{};
    bool ready_sent_ = false;

    // Game figures: last totals seen and the sampling clocks.
    util::TimePoint match_started_at_{};
    util::TimePoint last_update_{};
    util::TimePoint next_rtt_sample_{};
    util::TimePoint next_second_{};
    std::uint64_t last_bytes_in_ = 0, last_bytes_out_ = 0;
    std::uint64_t last_snapshots_ = 0, last_lost_ = 0, last_corrections_ = 0, last_by_players_ = 0;
    // This game's figures counted from the moment it settled in.
    bool settled_in_ = false;
    client::SmoothnessCounts smoothness_at_settle_;
    bool second_clean_ = false; // the whole current second was spent in a running match
    std::uint64_t second_snapshots_ = 0, second_lost_ = 0;

    BotMetrics metrics_;
};

} // namespace skirmish::bots
