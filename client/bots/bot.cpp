// client/bots/bot.cpp
#include "client/bots/bot.hpp"

#include "shared/util/overloaded.hpp"

#include <fmt/format.h>

#include <cmath>

namespace skirmish::bots {

namespace lobby = protocol::lobby;

namespace {
constexpr auto kReadyWhenNotFull = std::chrono::seconds(2); // a room that does not fill starts anyway
constexpr auto kSettleTime = std::chrono::seconds(1);       // clock sync and first snapshots: not counted
constexpr auto kRttSampleEvery = std::chrono::milliseconds(100);

// total += now - since.
void add_smoothness(client::SmoothnessCounts& total, const client::SmoothnessCounts& now,
                    const client::SmoothnessCounts& since) {
    total.frames += now.frames - since.frames;
    total.extrapolated_frames += now.extrapolated_frames - since.extrapolated_frames;
    total.long_extrapolations += now.long_extrapolations - since.long_extrapolations;
    total.snaps += now.snaps - since.snaps;
    total.seconds += now.seconds - since.seconds;
}
} // namespace

void InputTotals::add(const protocol::InputFigures& f) noexcept {
    applied += f.applied;
    repeated += f.repeated;
    before_first += f.before_first;
    late += f.late;
    too_early += f.too_early;
    redundant += f.redundant;
    ++matches;
}

InputTotals& InputTotals::operator+=(const InputTotals& o) noexcept {
    applied += o.applied;
    repeated += o.repeated;
    before_first += o.before_first;
    late += o.late;
    too_early += o.too_early;
    redundant += o.redundant;
    matches += o.matches;
    return *this;
}

double InputTotals::applied_pct() const noexcept {
    const std::uint64_t stepped = applied + repeated;
    return stepped ? 100.0 * static_cast<double>(applied) / static_cast<double>(stepped) : std::nan("");
}

Bot::Bot(const net::EnetLibrary& enet, asio::io_context& io, BotOptions options, util::Logger log)
    : options_(std::move(options)),
      log_(std::move(log)),
      player_(enet, io, client::PlayerSessionOptions{{}, options_.client, options_.route}, log_),
      brain_(options_.seed) {}

void Bot::start() {
    state_ = BotState::Lobby;
    player_.connect(options_.server_host, options_.server_port, options_.name, options_.password);
    player_.send(lobby::QuickPlay{options_.room_size});
}

bool Bot::connected() const noexcept {
    return metrics_.reached_match && (state_ == BotState::Lobby || state_ == BotState::Match);
}

void Bot::stop() {
    if (client::GameClient* game = player_.game()) {
        game->leave();
        end_game(true);
    }
    player_.close();
    state_ = BotState::Stopped;
}

int Bot::game_socket() const noexcept {
    const client::GameClient* game = player_.game();
    return game ? game->socket_fd() : -1;
}

void Bot::update(util::TimePoint now, LiveWindow& window, bool socket_quiet) {
    if (state_ == BotState::Failed || state_ == BotState::Stopped || state_ == BotState::Idle) return;
    handle_lobby(now);
    const client::GameClient* game = player_.game();
    if (!game) return;
    const double dt = std::max(0.0, util::to_seconds(now - last_update_));
    last_update_ = now;
    player_.update_game(now, brain_.think(game->view(), dt), socket_quiet);
    if (game->state() == client::ConnectionState::Disconnected) {
        // The server ends a finished match by letting us go; anything else is a drop.
        const bool expected = game->view().results.has_value();
        if (!expected) {
            metrics_.last_problem = game->view().status;
            log_.warn("{}: game connection lost: {}", options_.name, game->view().status);
        }
        end_game(expected);
        return;
    }
    sample(now, window);
}

void Bot::handle_lobby(util::TimePoint now) {
    while (auto event = player_.next_event(now)) {
        if (auto* gone = std::get_if<client::Disconnected>(&*event)) {
            if (state_ != BotState::Stopped) {
                ++metrics_.disconnects;
                ++metrics_.lobby_disconnects;
                metrics_.last_problem = gone->text;
                log_.warn("{}: lobby connection ended: {}", options_.name, gone->text);
                if (player_.game()) end_game(true); // one drop, counted once: the lobby's
                state_ = BotState::Failed;
            }
            return;
        }
        std::visit(util::Overloaded{
                       [&](const lobby::ServerMessage& message) { handle_message(message, now); },
                       [&](const client::GameStarted& started) {
                           if (!started.warning.empty()) log_.error("{}: {}", options_.name, started.warning);
                           game_started(now);
                       },
                       [&](const client::GameNotStarted& refused) {
                           if (refused.already_playing) return;
                           metrics_.last_problem = refused.text;
                           log_.warn("{}: {}", options_.name, refused.text);
                       },
                       [](const client::Disconnected&) {},
                   },
                   *event);
    }
    // Ready up when the room is full, or after a moment if it does not fill.
    if (room_ && !player_.game() && room_->phase == lobby::RoomPhase::Waiting && !ready_sent_ &&
        (room_->members.size() >= room_->settings.max_players || now - joined_room_at_ >= kReadyWhenNotFull)) {
        player_.send(lobby::SetReady{true});
        ready_sent_ = true;
    }
}

void Bot::handle_message(const lobby::ServerMessage& message, util::TimePoint now) {
    std::visit(util::Overloaded{
                   [&](const lobby::RoomState& room) {
                       if (!room_ || room_->room_id != room.room_id) {
                           joined_room_at_ = now;
                           ready_sent_ = false;
                       }
                       if (room.phase == lobby::RoomPhase::Waiting && room_ && room_->phase == lobby::RoomPhase::InMatch)
                           ready_sent_ = false; // a new round
                       room_ = room;
                   },
                   [&](const lobby::Error& error) {
                       metrics_.last_problem = error.text;
                       log_.warn("{}: lobby error: {}", options_.name, error.text);
                   },
                   [](const auto&) {},
               },
               message);
}

void Bot::game_started(util::TimePoint now) {
    if (!options_.record_view_dir.empty()) {
        const auto unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now().time_since_epoch());
        view_recording_ = std::make_unique<client::ViewRecording>(
            options_.record_view_dir, options_.name, static_cast<std::uint64_t>(unix_ms.count()), log_);
        player_.game()->set_view_tap(view_recording_.get());
    }
    state_ = BotState::Match;
    match_started_at_ = now;
    last_update_ = now;
    next_rtt_sample_ = now;
    next_second_ = now + std::chrono::seconds(1);
    last_bytes_in_ = last_bytes_out_ = last_snapshots_ = last_lost_ = last_corrections_ = last_by_players_ = 0;
    settled_in_ = false;
    second_snapshots_ = second_lost_ = 0;
    second_clean_ = false;
    ++metrics_.matches;
}

void Bot::end_game(bool expected) {
    const client::GameClient* game = player_.game();
    if (!game) return;
    if (!expected) ++metrics_.disconnects;
    metrics_.shots += game->shots_fired();
    metrics_.hits += game->hits_confirmed();
    metrics_.hit_agreement += game->hit_counts();
    // The server's counts of this match, as of its last ServerStats (a second
    // old at most: the match's last ones when it ended, as the server keeps
    // sending them while the scoreboard is up).
    if (game->stats().have_server_stats) metrics_.inputs.add(game->stats().server.inputs);
    metrics_.corrections += game->stats().corrections - last_corrections_;
    metrics_.corrections_by_players += game->stats().corrections_by_players - last_by_players_;
    if (settled_in_) {
        metrics_.correction_units.merge(game->correction_units());
        add_smoothness(metrics_.smoothness, game->smoothness(), smoothness_at_settle_);
    }
    metrics_.snapshot_bytes += game->stats().snapshot_bytes;
    metrics_.snapshots_all += game->stats().snapshots_received;
    if (view_recording_) view_recording_->finish(game->view(), last_update_);
    player_.end_game();
    view_recording_.reset();
    if (state_ == BotState::Match) state_ = BotState::Lobby;
}

void Bot::sample(util::TimePoint now, LiveWindow& window) {
    client::GameClient& game = *player_.game();
    if (game.state() != client::ConnectionState::InMatch) return;
    const client::NetStats& stats = game.stats();
    metrics_.reached_match = true;
    if (stats.have_server_stats) {
        metrics_.server = stats.server;
        window.server = stats.server;
    }
    const bool running = game.view().phase == sim::MatchPhase::Running;
    const bool settled = running && now - match_started_at_ >= kSettleTime;
    if (settled && now >= next_rtt_sample_) {
        next_rtt_sample_ = now + kRttSampleEvery;
        metrics_.rtt_ms.record(stats.rtt_ms);
        window.rtt_ms.record(stats.rtt_ms);
    }
    // Corrections and snapshots count once the bot has settled in, and only
    // over whole seconds spent in a running match (so rates are per second of play).
    if (settled && !settled_in_) {
        // From here on the game's own figures count: sizes, smoothness.
        settled_in_ = true;
        game.restart_correction_units();
        smoothness_at_settle_ = game.smoothness();
    }
    const std::uint64_t corrections = stats.corrections - last_corrections_;
    last_corrections_ = stats.corrections;
    const std::uint64_t by_players = stats.corrections_by_players - last_by_players_;
    last_by_players_ = stats.corrections_by_players;
    const std::uint64_t snapshots = stats.snapshots_received - last_snapshots_;
    last_snapshots_ = stats.snapshots_received;
    const std::uint64_t lost = stats.snapshots_lost - last_lost_;
    last_lost_ = stats.snapshots_lost;
    if (settled) {
        metrics_.corrections += corrections;
        metrics_.corrections_by_players += by_players;
        window.corrections += corrections;
        window.snapshots += snapshots;
        second_snapshots_ += snapshots;
        second_lost_ += lost;
    } else {
        second_clean_ = false;
    }
    if (now >= next_second_) {
        const double span = util::to_seconds(now - (next_second_ - std::chrono::seconds(1)));
        if (second_clean_) {
            metrics_.settled_match_s += span;
            metrics_.snapshots += second_snapshots_;
            metrics_.snapshots_lost += second_lost_;
            window.in_match_s += span;
            metrics_.down_bytes_per_s.record(static_cast<double>(stats.bytes_in - last_bytes_in_) / span);
            metrics_.up_bytes_per_s.record(static_cast<double>(stats.bytes_out - last_bytes_out_) / span);
        }
        window.bytes_down += stats.bytes_in - last_bytes_in_;
        window.bytes_up += stats.bytes_out - last_bytes_out_;
        last_bytes_in_ = stats.bytes_in;
        last_bytes_out_ = stats.bytes_out;
        next_second_ += std::chrono::seconds(1);
        if (now >= next_second_) next_second_ = now + std::chrono::seconds(1); // after a stall
        second_clean_ = settled;
        second_snapshots_ = second_lost_ = 0;
        metrics_.match_s += span;
    }
}

} // namespace skirmish::bots
