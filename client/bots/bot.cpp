// client/bots/bot.cpp
#include "client/bots/bot.hpp"

#include "shared/util/overloaded.hpp"

#include <fmt/format.h>

namespace skirmish::bots {

namespace lobby = protocol::lobby;

namespace {
constexpr auto kReadyWhenNotFull = std::chrono::seconds(2); // a room that does not fill starts anyway
constexpr auto kSettleTime = std::chrono::seconds(1);       // clock sync and first snapshots: not counted
constexpr auto kRttSampleEvery = std::chrono::milliseconds(100);
} // namespace

Bot::Bot(const net::EnetLibrary& enet, asio::io_context& io, BotOptions options, util::Logger log)
    : enet_(enet),
      options_(std::move(options)),
      log_(std::move(log)),
      lobby_(io, client::LobbyClientConfig{options_.name}),
      brain_(options_.seed) {}

void Bot::start() {
    state_ = BotState::Lobby;
    lobby_.connect(options_.server_host, options_.server_port);
    lobby_.send(lobby::QuickPlay{options_.room_size});
}

bool Bot::connected() const noexcept {
    return metrics_.reached_match && (state_ == BotState::Lobby || state_ == BotState::Match);
}

void Bot::stop() {
    if (game_) {
        game_->leave();
        end_game(true);
    }
    lobby_.close();
    state_ = BotState::Stopped;
}

void Bot::update(util::TimePoint now, LiveWindow& window) {
    if (state_ == BotState::Failed || state_ == BotState::Stopped || state_ == BotState::Idle) return;
    handle_lobby(now);
    if (!game_) return;
    const double dt = std::max(0.0, util::to_seconds(now - last_update_));
    last_update_ = now;
    game_->update(now, brain_.think(game_->view(), dt));
    if (game_->state() == client::ConnectionState::Disconnected) {
        // The server ends a finished match by letting us go; anything else is a drop.
        const bool expected = game_->view().results.has_value();
        if (!expected) {
            metrics_.last_problem = game_->view().status;
            log_.warn("{}: game connection lost: {}", options_.name, game_->view().status);
        }
        end_game(expected);
        return;
    }
    sample(now, window);
}

void Bot::handle_lobby(util::TimePoint now) {
    while (auto event = lobby_.next_event()) {
        if (auto* gone = std::get_if<client::Disconnected>(&*event)) {
            if (state_ != BotState::Stopped) {
                ++metrics_.disconnects;
                metrics_.last_problem = gone->text;
                log_.warn("{}: lobby connection ended: {}", options_.name, gone->text);
                if (game_) end_game(false);
                state_ = BotState::Failed;
            }
            return;
        }
        const auto& message = std::get<lobby::ServerMessage>(*event);
        std::visit(util::Overloaded{
                       [&](const lobby::RoomState& room) {
                           if (!room_ || room_->room_id != room.room_id) {
                               joined_room_at_ = now;
                               ready_sent_ = false;
                           }
                           if (room.phase == lobby::RoomPhase::Waiting && room_ &&
                               room_->phase == lobby::RoomPhase::InMatch)
                               ready_sent_ = false; // a new round
                           room_ = room;
                       },
                       [&](const lobby::MatchStart& start) { start_game(start, now); },
                       [&](const lobby::Error& error) {
                           metrics_.last_problem = error.text;
                           log_.warn("{}: lobby error: {}", options_.name, error.text);
                       },
                       [](const auto&) {},
                   },
                   message);
    }
    // Ready up when the room is full, or after a moment if it does not fill.
    if (room_ && !game_ && room_->phase == lobby::RoomPhase::Waiting && !ready_sent_ &&
        (room_->members.size() >= room_->settings.max_players || now - joined_room_at_ >= kReadyWhenNotFull)) {
        lobby_.send(lobby::SetReady{true});
        ready_sent_ = true;
    }
}

void Bot::start_game(const lobby::MatchStart& start, util::TimePoint now) {
    if (game_) return;
    client::MatchTicket ticket;
    ticket.address = start.game_address.empty() ? options_.server_host : start.game_address;
    ticket.port = start.port;
    ticket.token = start.connect_token;
    if (options_.route) ticket = options_.route(ticket);
    game_ = std::make_unique<client::GameClient>(enet_, options_.client, log_.child("game"));
    if (auto r = game_->connect(ticket, now); !r) {
        metrics_.last_problem = r.error();
        log_.warn("{}: {}", options_.name, r.error());
        game_.reset();
        return;
    }
    state_ = BotState::Match;
    match_started_at_ = now;
    last_update_ = now;
    next_rtt_sample_ = now;
    next_second_ = now + std::chrono::seconds(1);
    last_bytes_in_ = last_bytes_out_ = last_snapshots_ = last_lost_ = last_corrections_ = 0;
    second_snapshots_ = second_lost_ = 0;
    second_clean_ = false;
    ++metrics_.matches;
}

void Bot::end_game(bool expected) {
    if (!game_) return;
    if (!expected) ++metrics_.disconnects;
    metrics_.shots += game_->shots_fired();
    metrics_.hits += game_->hits_confirmed();
    metrics_.corrections += game_->stats().corrections - last_corrections_;
    metrics_.snapshot_bytes += game_->stats().snapshot_bytes;
    metrics_.snapshots_all += game_->stats().snapshots_received;
    game_.reset();
    if (state_ == BotState::Match) state_ = BotState::Lobby;
}

void Bot::sample(util::TimePoint now, LiveWindow& window) {
    if (game_->state() != client::ConnectionState::InMatch) return;
    const client::NetStats& stats = game_->stats();
    metrics_.reached_match = true;
    if (stats.have_server_stats) {
        metrics_.server = stats.server;
        window.server = stats.server;
    }
    const bool running = game_->view().phase == sim::MatchPhase::Running;
    const bool settled = running && now - match_started_at_ >= kSettleTime;
    if (settled && now >= next_rtt_sample_) {
        next_rtt_sample_ = now + kRttSampleEvery;
        metrics_.rtt_ms.record(stats.rtt_ms);
        window.rtt_ms.record(stats.rtt_ms);
    }
    // Corrections and snapshots count once the bot has settled in, and only
    // over whole seconds spent in a running match (so rates are per second of play).
    const std::uint64_t corrections = stats.corrections - last_corrections_;
    last_corrections_ = stats.corrections;
    const std::uint64_t snapshots = stats.snapshots_received - last_snapshots_;
    last_snapshots_ = stats.snapshots_received;
    const std::uint64_t lost = stats.snapshots_lost - last_lost_;
    last_lost_ = stats.snapshots_lost;
    if (settled) {
        metrics_.corrections += corrections;
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
