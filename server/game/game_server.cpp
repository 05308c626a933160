// server/game/game_server.cpp
#include "server/game/game_server.hpp"

#include "server/game/demo_recording.hpp"
#include "shared/protocol/input_codec.hpp"
#include "shared/protocol/version.hpp"
#include "shared/util/overloaded.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace skirmish::server {

using protocol::LeaveReason;

// --- construction -----------------------------------------------------------

util::Result<std::unique_ptr<GameServer>, std::string> GameServer::create(const net::EnetLibrary& enet,
                                                                          const GameConfig& config,
                                                                          std::vector<sim::Map> maps,
                                                                          const net::TokenKey& key, util::Logger log,
                                                                          util::Clock& clock, UnixClock unix_ms) {
    if (auto valid = validate_config(config); !valid) return util::fail(valid.error());
    if (maps.empty()) return util::fail(std::string("no maps to play on"));
    if (!config.record_dir.empty()) {
        if (auto ready = prepare_record_dir(config.record_dir); !ready) return util::fail(ready.error());
    }
    net::HostConfig host_config;
    host_config.bind_address = config.bind_address;
    host_config.port = config.port;
    host_config.max_peers = config.max_peers;
    host_config.compression = config.range_coder ? net::Compression::Send : net::Compression::None;
    host_config.silence_timeout_ms = config.silence_timeout_ms;
    host_config.reliable_timeout_ms = config.reliable_timeout_ms;
    // Hellos answered, CONNECTs only with their cookie, every datagram MACed
    // and checked before ENet (shared/net/enet_host.hpp).
    host_config.accept_connections = true;
    host_config.protocol_version = protocol::kProtocolVersion;
    host_config.admission = config.admission;
    auto host = net::EnetHost::create(enet, host_config);
    if (!host) return util::fail(host.error());
    return std::unique_ptr<GameServer>(
        new GameServer(config, std::move(host).value(), std::move(maps), key, std::move(log), clock, std::move(unix_ms)));
}

GameServer::GameServer(const GameConfig& config, std::unique_ptr<net::EnetHost> host, std::vector<sim::Map> maps,
                       const net::TokenKey& key, util::Logger log, util::Clock& clock, UnixClock unix_ms)
    : config_(config),
      host_(std::move(host)),
      port_(host_->port()),
      log_(std::move(log)),
      clock_(clock),
      snapshot_interval_(snapshot_interval_ticks(config)),
      sessions_(*host_, config.max_peers),
      figures_(config.tick_rate_hz),
      matches_(config, std::move(maps), sessions_, figures_, log_, unix_ms),
      admission_(config, key, std::move(unix_ms), sessions_, matches_, figures_, log_) {
    host_->set_query_handler([this](const net::Query& query) { return answer_query(query); });
    log_.info("game port listening on UDP {}: {} Hz ticks, a snapshot every {} ticks, delta {}, lag compensation {} "
              "(max rewind {} ms), socket buffer {} KiB",
              port_, config_.tick_rate_hz, snapshot_interval_, config_.delta ? "on" : "off",
              config_.lag_compensation ? "on" : "off", config_.max_rewind_ms, host_->socket_buffer_bytes() / 1024);
}

GameServer::~GameServer() = default;

void GameServer::start_match(MatchOrder order) { matches_.queue(std::move(order)); }

void GameServer::kick_player(sim::PlayerId player_id, std::string why) {
    admin_orders_.push({AdminOrder::Kind::Kick, player_id, protocol::kNoMatch, std::move(why)});
}
void GameServer::end_match(protocol::MatchId match_id) {
    admin_orders_.push({AdminOrder::Kind::EndMatch, sim::kNoPlayer, match_id, {}});
}
void GameServer::stop_watching(protocol::MatchId match_id, sim::PlayerId spectator_id) {
    admin_orders_.push({AdminOrder::Kind::StopWatching, spectator_id, match_id, {}});
}

void GameServer::run_admin_orders(util::TimePoint now) {
    if (admin_orders_.empty()) return;
    admin_orders_.drain(admin_scratch_);
    for (const AdminOrder& order : admin_scratch_) {
        switch (order.kind) {
        case AdminOrder::Kind::EndMatch:
            matches_.end_one(order.match_id, protocol::MatchEndReason::ServerShutdown, now);
            break;
        case AdminOrder::Kind::Kick:
            if (Session* session = sessions_.of_player(order.player_id)) admission_.kick(*session, order.why);
            break;
        case AdminOrder::Kind::StopWatching:
            // Only the spectator's connection to that match: a player with the
            // same id, or a later match, is not the lobby's to end here.
            if (Session* session = sessions_.of_player(order.player_id);
                session && session->spectator && session->match_id == order.match_id &&
                session->state == SessionState::Playing) {
                matches_.leave(*session, LeaveReason::Left, false);
                sessions_.close_now(*session, LeaveReason::Left);
            }
            break;
        }
    }
}

// --- the loop ---------------------------------------------------------------------

void GameServer::run(const std::atomic<bool>& stop, std::chrono::milliseconds shutdown_grace) {
    const util::Duration period = std::chrono::nanoseconds(1'000'000'000LL / config_.tick_rate_hz);
    const util::TimePoint start = clock_.now();
    std::uint64_t n = 0;
    util::TimePoint next = start;
    while (!stop.load(std::memory_order_relaxed)) {
        service_until(next);
        const util::TimePoint woke = clock_.now();
        tick(woke);
        const util::TimePoint done = clock_.now();
        figures_.ticks().record(util::to_ms(done - woke), util::to_ms(woke - next), util::to_ms(period));
        last_tick_ns_.store(std::chrono::duration_cast<std::chrono::nanoseconds>(done.time_since_epoch()).count(),
                            std::memory_order_relaxed);
        behind_ns_.store(std::chrono::duration_cast<std::chrono::nanoseconds>(woke - next).count(),
                         std::memory_order_relaxed);
        running_.store(true, std::memory_order_release);
        // Outside the measured work: the figures are for observers, not players.
        if (done >= next_publish_) {
            next_publish_ = done + std::chrono::milliseconds(100);
            refresh_stats();
        }
        // Absolute schedule: an overrun makes the next tick start late (and be
        // counted); it is never skipped.
        next = start + static_cast<std::int64_t>(++n) * period;
    }
    running_.store(false, std::memory_order_release);
    shutdown("the server is shutting down", clock_.now() + shutdown_grace);
}

GameServer::Heartbeat GameServer::heartbeat() const {
    Heartbeat h;
    h.running = running_.load(std::memory_order_acquire);
    h.last_tick = util::TimePoint(
        std::chrono::duration_cast<util::Duration>(std::chrono::nanoseconds(last_tick_ns_.load(std::memory_order_relaxed))));
    h.behind_schedule =
        std::chrono::duration_cast<util::Duration>(std::chrono::nanoseconds(behind_ns_.load(std::memory_order_relaxed)));
    return h;
}

void GameServer::service_until(util::TimePoint deadline) {
    // Every ENet service call walks all peer slots; calling it for each
    // datagram as it arrives cost more than everything else at 1,000 peers.
    // So between ticks the loop wakes every service_interval, drains all that
    // arrived in one go (acks go out with it), and sleeps again.
    net::Event event;
    for (;;) {
        while (host_->poll(event, 0)) handle(event, clock_.now());
        const util::TimePoint now = clock_.now();
        if (now >= deadline) return;
        clock_.sleep_until(std::min(deadline, now + config_.service_interval));
    }
}

void GameServer::tick(util::TimePoint now) {
    const auto phase_end = [this](TickPhase phase, util::TimePoint& since) {
        const util::TimePoint t = clock_.now();
        figures_.ticks().record_phase(phase, util::to_ms(t - since));
        since = t;
    };
    util::TimePoint mark = now;
    matches_.start_ordered(now); // the lobby's orders
    run_admin_orders(now);       // kicks and ended matches from an administrator
    drain_network(now);          // inputs into the matches' buffers, connects, leaves
    phase_end(TickPhase::Network, mark);
    matches_.step_all(now);      // sim::step once per match; kill feed; ends
    phase_end(TickPhase::Step, mark);
    send_due_snapshots();
    phase_end(TickPhase::Snapshots, mark);
    if (now >= next_second_) {
        next_second_ = now + std::chrono::seconds(1);
        figures_.ticks().roll_second();
    }
    figures_.send_server_stats(server_tick_, sessions_, matches_);
    admission_.expire_pending(now); // deadlines: tokens not presented,
    matches_.reap(now);             // empty matches, finished matches' linger
    reset_tick_budgets();
    host_->flush();
    phase_end(TickPhase::Flush, mark);
    ++server_tick_;
}

void GameServer::send_due_snapshots() {
    matches_.for_each([&](protocol::MatchId id, Match& match) {
        // Matches take turns: each sends on its own phase of the snapshot
        // interval, so not every client's snapshot lands on the same tick.
        if ((server_tick_ + protocol::to_int(id)) % static_cast<std::uint64_t>(snapshot_interval_) != 0) return;
        match.for_each_viewer([&](sim::PlayerId player_id) {
            const Session* session = sessions_.of_player(player_id);
            if (!session) return;
            const auto bytes = match.snapshot_for(player_id, config_.delta);
            if (!bytes.empty()) host_->send(session->peer, net::kUnreliableChannel, bytes);
        });
    });
}

void GameServer::reset_tick_budgets() {
    sessions_.for_each([](Session& s) { s.packets_this_tick = 0; });
}

void GameServer::refresh_stats() {
    figures_.publish(matches_.live(), sessions_, host_->counters(), host_->admission_counters());
}

void GameServer::shutdown(std::string_view text, util::TimePoint deadline) {
    admission_.close_doors();
    matches_.end_all(protocol::MatchEndReason::ServerShutdown, clock_.now());
    const auto bytes = protocol::encode_control(protocol::ServerControl{protocol::ServerShutdown{std::string(text)}});
    sessions_.for_each([&](Session& s) {
        sessions_.send_reliable(s.peer, bytes);
        sessions_.close(s, LeaveReason::ServerShutdown);
    });
    host_->flush();
    net::Event event;
    while (host_->connected_peers() > 0 && clock_.now() < deadline) {
        if (host_->poll(event, 10) && event.type == net::EventType::Disconnected) sessions_.forget(event.peer);
    }
    host_->flush();
    refresh_stats();
    log_.info("game port closed ({} peers still connected at the deadline)", host_->connected_peers());
}

// --- network events ---------------------------------------------------------------

void GameServer::drain_network(util::TimePoint now) {
    net::Event event;
    while (host_->poll(event, 0)) handle(event, now);
}

void GameServer::handle(const net::Event& event, util::TimePoint now) {
    switch (event.type) {
    case net::EventType::Connected: on_connected(event.peer, now); break;
    case net::EventType::Disconnected: on_disconnected(event.peer); break;
    case net::EventType::Received:
        if (Session* session = sessions_.find(event.peer)) on_received(*session, event.channel, event.bytes, now);
        break;
    case net::EventType::None: break;
    }
}

void GameServer::on_connected(net::PeerHandle peer, util::TimePoint now) {
    Session* session = sessions_.open(peer, now);
    if (!session) return host_->reset(peer);
    const auto bad_per_second = static_cast<double>(config_.kick_after_bad_packets_per_second);
    session->bad_packets = util::RateLimiter(bad_per_second, bad_per_second, now);
    admission_.on_connected(*session);
}

void GameServer::on_received(Session& session, std::uint8_t channel, std::span<const std::uint8_t> bytes,
                             util::TimePoint now) {
    if (session.state == SessionState::Closing) return;
    if (channel == net::kUnreliableChannel) {
        if (session.state != SessionState::Playing) {
            count_bad(session, "input before the token");
            return;
        }
        // A flood costs the flooder, not the others: beyond the cap, packets
        // are dropped without being decoded.
        if (++session.packets_this_tick > config_.max_input_packets_per_tick) {
            figures_.count(PeerEvent::FloodDropped);
            if (!session.bad_packets.allow(now)) admission_.kick(session, "flooding the game port with input packets");
            return;
        }
        on_input(session, bytes);
        return;
    }
    auto message = protocol::decode_client_control(bytes);
    if (!message) {
        if (session.state == SessionState::AwaitingToken) admission_.on_undecodable(session, message.error());
        else count_bad(session, protocol::name(message.error()));
        return;
    }
    std::visit(util::Overloaded{
                   [&](const protocol::ConnectRequest& request) {
                       if (session.state == SessionState::AwaitingToken)
                           admission_.on_connect_request(session, request, now);
                       else count_bad(session, "a second Connect");
                   },
                   [&](const protocol::LeaveRequest&) {
                       session.leaving_on_purpose = true;
                       if (session.state == SessionState::Playing) matches_.leave(session, LeaveReason::Left);
                       sessions_.close_now(session, LeaveReason::Left);
                   },
               },
               *message);
}

void GameServer::on_input(Session& session, std::span<const std::uint8_t> bytes) {
    auto packet = protocol::decode_input_packet(bytes);
    if (!packet) {
        count_bad(session, protocol::name(packet.error()));
        return;
    }
    Match* match = matches_.find(session.match_id);
    if (!match) return;
    match->acknowledge(session.player_id, packet->ack_snapshot_tick);
    // A spectator acts on nothing: only its acknowledgement counts.
    if (session.spectator) {
        if (!packet->inputs.empty()) figures_.count(PeerEvent::SpectatorInput);
        return;
    }
    for (const protocol::TickInput& in : packet->inputs) match->offer_input(session.player_id, in);
}

void GameServer::count_bad(Session& session, std::string_view what) {
    figures_.count(PeerEvent::BadPacket);
    const util::TimePoint now = clock_.now();
    if (bad_log_.allow(now)) {
        const std::uint64_t suppressed = bad_log_.take_refused();
        log_.debug("dropped a packet from {}: {}{}", sessions_.address(session), what,
                   suppressed ? fmt::format(" ({} more suppressed)", suppressed) : std::string());
    }
    if (!session.bad_packets.allow(now)) admission_.kick(session, "too many bad packets");
}

void GameServer::on_disconnected(net::PeerHandle peer) {
    Session* session = sessions_.find(peer);
    if (!session) return;
    if (session->state == SessionState::Playing) {
        const LeaveReason reason = session->leaving_on_purpose ? LeaveReason::Left : LeaveReason::TimedOut;
        if (reason == LeaveReason::TimedOut) figures_.count(PeerEvent::TimedOut);
        matches_.leave(*session, reason);
    }
    sessions_.forget(peer);
}

} // namespace skirmish::server
