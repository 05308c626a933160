// server/game/game_server.cpp
#include "server/game/game_server.hpp"

#include "shared/protocol/input_codec.hpp"
#include "shared/protocol/version.hpp"
#include "shared/util/overloaded.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace skirmish::server {

using protocol::LeaveReason;
using protocol::RejectReason;

namespace {

void add(InputCounters& total, const InputCounters& c) {
    total.received += c.received;
    total.redundant += c.redundant;
    total.late += c.late;
    total.too_early += c.too_early;
    total.applied += c.applied;
    total.repeated += c.repeated;
    total.lost += c.lost;
}

void add(ShotCounters& total, const ShotCounters& c) {
    total.fired += c.fired;
    total.hit += c.hit;
}

void add(SnapshotCounters& total, const SnapshotCounters& c) {
    total.deltas += c.deltas;
    for (int i = 0; i < static_cast<int>(FullReason::Count); ++i) total.full[i] += c.full[i];
    total.bytes += c.bytes;
}

std::uint32_t disconnect_data(LeaveReason reason) { return static_cast<std::uint32_t>(reason); }

} // namespace

util::Result<util::Ok, std::string> validate_config(const GameConfig& c) {
    if (c.tick_rate_hz < sim::kMinTickRateHz || c.tick_rate_hz > sim::kMaxTickRateHz)
        return util::fail(fmt::format("--tick-rate {} is outside {}..{}", c.tick_rate_hz, sim::kMinTickRateHz,
                                      sim::kMaxTickRateHz));
    if (c.snapshot_rate_hz < 1 || c.snapshot_rate_hz > c.tick_rate_hz)
        return util::fail(fmt::format("--snapshot-rate {} is outside 1..{} (the tick rate)", c.snapshot_rate_hz,
                                      c.tick_rate_hz));
    if (c.max_rewind_ms < 0 || c.max_rewind_ms > 1000)
        return util::fail(fmt::format("--max-rewind-ms {} is outside 0..1000", c.max_rewind_ms));
    if (c.max_peers < 1 || c.max_peers > 4095)
        return util::fail(fmt::format("--max-peers {} is outside 1..4095", c.max_peers));
    if (c.max_input_packets_per_tick < 1) return util::fail(std::string("max input packets per tick must be >= 1"));
    return util::Ok{};
}

// --- construction -----------------------------------------------------------

util::Result<std::unique_ptr<GameServer>, std::string> GameServer::create(const net::EnetLibrary& enet,
                                                                          const GameConfig& config,
                                                                          std::vector<sim::Map> maps,
                                                                          const net::TokenKey& key, util::Logger log,
                                                                          util::Clock& clock, UnixClock unix_ms) {
    if (auto valid = validate_config(config); !valid) return util::fail(valid.error());
    if (maps.empty()) return util::fail(std::string("no maps to play on"));
    net::HostConfig host_config;
    host_config.bind_address = config.bind_address;
    host_config.port = config.port;
    host_config.max_peers = config.max_peers;
    host_config.compression = config.range_coder ? net::Compression::Send : net::Compression::None;
    host_config.timeout_min_ms = config.timeout_min_ms;
    host_config.timeout_max_ms = config.timeout_max_ms;
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
      key_(key),
      log_(std::move(log)),
      clock_(clock),
      unix_ms_(std::move(unix_ms)),
      sessions_(config.max_peers) {
    for (auto& map : maps) {
        const std::string name = map.name;
        maps_.emplace(name, std::make_shared<const sim::Map>(std::move(map)));
    }
    snapshot_interval_ = std::max(1, static_cast<int>(std::lround(static_cast<double>(config_.tick_rate_hz) /
                                                                  config_.snapshot_rate_hz)));
    log_.info("game port listening on UDP {}: {} Hz ticks, a snapshot every {} ticks, delta {}, lag compensation {} "
              "(max rewind {} ms), socket buffer {} KiB",
              port_, config_.tick_rate_hz, snapshot_interval_, config_.delta ? "on" : "off",
              config_.lag_compensation ? "on" : "off", config_.max_rewind_ms, host_->socket_buffer_bytes() / 1024);
}

GameServer::~GameServer() = default;

void GameServer::start_match(MatchOrder order) { orders_.push(std::move(order)); }

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
        metrics_.record(util::to_ms(done - woke), util::to_ms(woke - next), util::to_ms(period));
        // Outside the measured work: the figures are for observers, not players.
        if (done >= next_publish_) {
            next_publish_ = done + std::chrono::milliseconds(100);
            refresh_stats();
        }
        // Absolute schedule: an overrun makes the next tick start late (and be
        // counted); it is never skipped.
        next = start + static_cast<std::int64_t>(++n) * period;
    }
    shutdown("the server is shutting down", clock_.now() + shutdown_grace);
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
        metrics_.record_phase(phase, util::to_ms(t - since));
        since = t;
    };
    util::TimePoint mark = now;
    drain_orders(now);
    net::Event event;
    while (host_->poll(event, 0)) handle(event, now);
    phase_end(TickPhase::Network, mark);
    step_matches(now);
    phase_end(TickPhase::Step, mark);
    send_due_snapshots();
    phase_end(TickPhase::Snapshots, mark);
    const bool new_second = now >= next_second_;
    if (new_second) {
        next_second_ = now + std::chrono::seconds(1);
        metrics_.roll_second();
    }
    send_server_stats();
    reap(now);
    for (auto& s : sessions_) {
        if (!s) continue;
        s->packets_this_tick = 0;
    }
    host_->flush();
    phase_end(TickPhase::Flush, mark);
    ++server_tick_;
}

// --- network events ---------------------------------------------------------------

GameServer::Session* GameServer::session_of(net::PeerHandle peer) {
    if (peer.slot >= sessions_.size()) return nullptr;
    auto& s = sessions_[peer.slot];
    return (s && s->peer == peer) ? &*s : nullptr;
}

void GameServer::handle(const net::Event& event, util::TimePoint now) {
    switch (event.type) {
    case net::EventType::Connected: on_connected(event.peer, now); break;
    case net::EventType::Disconnected: on_disconnected(event.peer); break;
    case net::EventType::Received:
        if (Session* session = session_of(event.peer)) on_received(*session, event.channel, event.bytes, now);
        break;
    case net::EventType::None: break;
    }
}

void GameServer::on_connected(net::PeerHandle peer, util::TimePoint now) {
    if (peer.slot >= sessions_.size()) {
        host_->reset(peer);
        return;
    }
    Session session;
    session.peer = peer;
    session.connected_at = now;
    const auto bad_per_second = static_cast<double>(config_.kick_after_bad_packets_per_second);
    session.bad_packets = util::RateLimiter(bad_per_second, bad_per_second, now);
    sessions_[peer.slot] = session;
    if (shutting_down_) reject(*sessions_[peer.slot], RejectReason::ServerShuttingDown, "the server is shutting down");
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
            ++flood_dropped_;
            if (!session.bad_packets.allow(now)) kick(session, "flooding the game port with input packets");
            return;
        }
        on_input(session, bytes);
        return;
    }
    auto message = protocol::decode_client_control(bytes);
    if (!message) {
        if (session.state == SessionState::AwaitingToken) {
            ++bad_packets_;
            reject(session, RejectReason::BadMessage,
                   fmt::format("the first message must be a Connect with a token ({})", protocol::name(message.error())));
        } else {
            count_bad(session, protocol::name(message.error()));
        }
        return;
    }
    std::visit(util::Overloaded{
                   [&](const protocol::ConnectRequest& request) {
                       if (session.state == SessionState::AwaitingToken) on_connect_request(session, request, now);
                       else count_bad(session, "a second Connect");
                   },
                   [&](const protocol::LeaveRequest&) {
                       session.leaving_on_purpose = true;
                       if (session.state == SessionState::Playing) leave_match(session, LeaveReason::Left);
                       session.state = SessionState::Closing;
                       host_->disconnect(session.peer, disconnect_data(LeaveReason::Left));
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
    Match* match = find_match(session.match_id);
    if (!match) return;
    match->acknowledge(session.player_id, packet->ack_snapshot_tick);
    for (const protocol::TickInput& in : packet->inputs) match->offer_input(session.player_id, in);
}

void GameServer::count_bad(Session& session, std::string_view what) {
    ++bad_packets_;
    const util::TimePoint now = clock_.now();
    if (bad_log_.allow(now)) {
        const std::uint64_t suppressed = bad_log_.take_refused();
        log_.debug("dropped a packet from {}: {}{}", host_->peer_stats(session.peer).address, what,
                   suppressed ? fmt::format(" ({} more suppressed)", suppressed) : std::string());
    }
    if (!session.bad_packets.allow(now)) kick(session, "too many bad packets");
}

void GameServer::on_connect_request(Session& session, const protocol::ConnectRequest& request, util::TimePoint now) {
    if (shutting_down_) return reject(session, RejectReason::ServerShuttingDown, "the server is shutting down");
    if (request.protocol_version != protocol::kProtocolVersion)
        return reject(session, RejectReason::WrongProtocolVersion,
                      fmt::format("this server speaks protocol {} and the client {}: use matching versions",
                                  protocol::kProtocolVersion, request.protocol_version));
    const std::uint64_t unix_now = unix_ms_();
    auto claims = net::open_token(request.token, key_, protocol::kProtocolVersion, unix_now);
    if (!claims) {
        switch (claims.error()) {
        case net::TokenError::Expired:
            return reject(session, RejectReason::TokenExpired,
                          "the connect token expired: ask the lobby for a new one (join the room again)");
        case net::TokenError::Reused:
            return reject(session, RejectReason::TokenReused, "that connect token was already used");
        default:
            return reject(session, RejectReason::BadToken,
                          fmt::format("the connect token is not valid here ({})", net::name(claims.error())));
        }
    }
    if (lobby_ && !lobby_->token_live(claims->player_id, claims->token_id))
        return reject(session, RejectReason::TokenWithdrawn,
                      "that connect token was withdrawn: you left the room or the lobby since it was given (or a "
                      "newer one was): join the room again for a new one");
    if (!replay_guard_.first_use(*claims, unix_now))
        return reject(session, RejectReason::TokenReused, "that connect token was already used");
    Match* match = find_match(claims->match_id);
    if (!match) {
        drain_orders(now); // the lobby may have queued it a moment ago
        match = find_match(claims->match_id);
    }
    if (!match || match->over()) return reject(session, RejectReason::MatchNotFound, "that match is not running");
    // The same player again (a reconnect): the old connection gives way.
    if (auto it = slot_of_player_.find(claims->player_id); it != slot_of_player_.end()) {
        if (auto& old = sessions_[it->second]; old && old->state == SessionState::Playing && &*old != &session)
            kick(*old, "replaced by a new connection of the same player");
    }
    if (match->full()) return reject(session, RejectReason::MatchFull, "the match is full");
    if (!match->add_player(claims->player_id, claims->player_name))
        return reject(session, RejectReason::MatchFull, "already in that match");

    session.state = SessionState::Playing;
    session.player_id = claims->player_id;
    session.match_id = claims->match_id;
    if (!first_player_joined_) {
        first_player_joined_ = true;
        metrics_.restart_run();
    }
    slot_of_player_[claims->player_id] = session.peer.slot;
    matches_[match->id()].last_member_seen = now;

    protocol::Accepted accepted;
    accepted.player_id = claims->player_id;
    accepted.match_id = match->id();
    accepted.server_tick = match->world().tick;
    accepted.tick_rate_hz = static_cast<std::uint16_t>(config_.tick_rate_hz);
    accepted.snapshot_rate_hz = static_cast<std::uint16_t>(config_.tick_rate_hz / snapshot_interval_);
    accepted.settings = match->settings();
    accepted.map = *match->world().map;
    send_control(session.peer, accepted);
    for (const auto& [id, name] : match->roster()) {
        if (id != claims->player_id) send_control(session.peer, protocol::PlayerJoined{id, name});
    }
    broadcast(*match, protocol::PlayerJoined{claims->player_id, claims->player_name}, claims->player_id);
    log_.info("player {} '{}' joined match {} from {} ({} players)", claims->player_id, claims->player_name,
              match->id(), host_->peer_stats(session.peer).address, match->player_count());
}

void GameServer::reject(Session& session, RejectReason reason, std::string text) {
    ++rejected_;
    log_.info("rejected {}: {}", host_->peer_stats(session.peer).address, text);
    send_control(session.peer, protocol::Rejected{reason, std::move(text)});
    session.state = SessionState::Closing;
    host_->disconnect_later(session.peer, disconnect_data(LeaveReason::Rejected));
}

void GameServer::kick(Session& session, std::string_view why) {
    if (session.state == SessionState::Closing) return;
    ++kicked_;
    log_.warn("kicked {} (player {}): {}", host_->peer_stats(session.peer).address, session.player_id, why);
    if (session.state == SessionState::Playing) leave_match(session, LeaveReason::Kicked);
    session.state = SessionState::Closing;
    host_->disconnect(session.peer, disconnect_data(LeaveReason::Kicked));
}

void GameServer::on_disconnected(net::PeerHandle peer) {
    Session* session = session_of(peer);
    if (!session) return;
    if (session->state == SessionState::Playing) {
        const LeaveReason reason = session->leaving_on_purpose ? LeaveReason::Left : LeaveReason::TimedOut;
        if (reason == LeaveReason::TimedOut) ++timed_out_;
        leave_match(*session, reason);
    }
    sessions_[peer.slot].reset();
}

void GameServer::send_control(net::PeerHandle peer, const protocol::ServerControl& message) {
    const auto bytes = protocol::encode_control(message);
    host_->send(peer, net::kReliableChannel, bytes);
}

void GameServer::send_to_player(std::uint32_t player_id, const protocol::ServerControl& message) {
    auto it = slot_of_player_.find(player_id);
    if (it != slot_of_player_.end() && sessions_[it->second]) send_control(sessions_[it->second]->peer, message);
}

void GameServer::broadcast(const Match& match, const protocol::ServerControl& message, std::uint32_t except_player) {
    const auto bytes = protocol::encode_control(message);
    match.for_each_player([&](std::uint32_t id) {
        if (id == except_player) return;
        if (auto it = slot_of_player_.find(id); it != slot_of_player_.end() && sessions_[it->second])
            host_->send(sessions_[it->second]->peer, net::kReliableChannel, bytes);
    });
}

// --- matches ------------------------------------------------------------------------

void GameServer::drain_orders(util::TimePoint now) {
    orders_.drain(orders_scratch_);
    for (MatchOrder& order : orders_scratch_) {
        auto map = maps_.find(order.settings.map);
        if (map == maps_.end() || matches_.count(order.match_id)) {
            log_.error("lobby asked for match {} on unknown map '{}' (or a duplicate id): not started", order.match_id,
                       order.settings.map);
            if (lobby_) {
                protocol::MatchResults results;
                results.match_id = order.match_id;
                results.room_id = order.room_id;
                results.reason = protocol::MatchEndReason::NotEnoughPlayers;
                lobby_->match_ended(results);
            }
            continue;
        }
        sim::Rules base = config_.base_rules;
        base.lag_compensation = config_.lag_compensation;
        base.max_rewind_ms = config_.max_rewind_ms;
        const sim::Rules rules = protocol::match_rules(order.settings, config_.tick_rate_hz, base);
        MatchEntry entry;
        entry.match = std::make_unique<Match>(order, map->second, rules);
        entry.created = now;
        entry.last_member_seen = now;
        log_.info("match {} (room {}) started on '{}': frag limit {}, time limit {} s, up to {} players",
                  order.match_id, order.room_id, order.settings.map, order.settings.frag_limit,
                  order.settings.time_limit_s, order.settings.max_players);
        matches_.emplace(order.match_id, std::move(entry));
    }
}

Match* GameServer::find_match(std::uint32_t match_id) {
    auto it = matches_.find(match_id);
    return it == matches_.end() ? nullptr : it->second.match.get();
}

void GameServer::leave_match(Session& session, LeaveReason reason) {
    Match* match = find_match(session.match_id);
    if (match && match->has_player(session.player_id)) {
        retire_player_counters(*match, session.player_id);
        match->remove_player(session.player_id);
        broadcast(*match, protocol::PlayerLeft{session.player_id, reason});
        if (lobby_ && !match->over()) lobby_->player_left_match(match->id(), session.player_id);
        log_.info("player {} left match {} ({})", session.player_id, match->id(), protocol::name(reason));
    }
    slot_of_player_.erase(session.player_id);
    session.state = SessionState::Closing;
}

void GameServer::retire_player_counters(const Match& match, std::uint32_t player_id) {
    if (const InputCounters* c = match.input_counters(player_id)) {
        add(retired_inputs_, *c);
        add(retired_by_player_[player_id], *c);
    }
    if (const ShotCounters* c = match.shot_counters(player_id)) add(retired_shots_[player_id], *c);
}

void GameServer::step_matches(util::TimePoint now) {
    for (auto& [id, entry] : matches_) {
        Match& match = *entry.match;
        if (match.over()) continue;
        const sim::StepEvents events = match.step();
        for (const sim::KillEvent& kill : events.kills)
            broadcast(match, protocol::KillFeed{match.world().tick - 1, sim::to_int(kill.killer), sim::to_int(kill.victim)});
        if (events.match_over) finish_match(match, now);
    }
}

void GameServer::finish_match(Match& match, util::TimePoint now) {
    MatchEntry& entry = matches_.at(match.id());
    if (entry.ended_at) return;
    entry.ended_at = now;
    const protocol::MatchResults results = match.results();
    broadcast(match, protocol::MatchOver{match.world().tick, results});
    if (lobby_) lobby_->match_ended(results);
    log_.info("match {} over ({}): {} players, winner {}", match.id(), protocol::name(results.reason),
              results.scores.size(), results.scores.empty() ? std::string("nobody") : results.scores.front().name);
}

void GameServer::send_due_snapshots() {
    for (auto& [id, entry] : matches_) {
        Match& match = *entry.match;
        // Matches take turns: each sends on its own phase of the snapshot
        // interval, so not every client's snapshot lands on the same tick.
        if ((server_tick_ + id) % static_cast<std::uint64_t>(snapshot_interval_) != 0) continue;
        match.for_each_player([&](std::uint32_t player_id) {
            auto it = slot_of_player_.find(player_id);
            if (it == slot_of_player_.end() || !sessions_[it->second]) return;
            const auto bytes = match.snapshot_for(player_id, config_.delta);
            host_->send(sessions_[it->second]->peer, net::kUnreliableChannel, bytes);
        });
    }
}

void GameServer::reap(util::TimePoint now) {
    // Peers that never presented a token.
    for (auto& s : sessions_) {
        if (s && s->state == SessionState::AwaitingToken && now - s->connected_at > config_.token_deadline)
            reject(*s, RejectReason::TokenDeadline, "no connect token was presented in time");
    }
    for (auto it = matches_.begin(); it != matches_.end();) {
        MatchEntry& entry = it->second;
        Match& match = *entry.match;
        if (match.player_count() > 0) entry.last_member_seen = now;
        // A match nobody is in any more ends (its room goes back to waiting).
        if (!entry.ended_at && now - entry.last_member_seen > config_.empty_match_timeout) {
            match.end(protocol::MatchEndReason::NotEnoughPlayers);
            finish_match(match, now);
        }
        // After the scoreboard has been up a while, let everyone go.
        if (entry.ended_at && now - *entry.ended_at >= config_.match_linger) {
            for (const auto& [player_id, name] : match.roster()) {
                auto slot = slot_of_player_.find(player_id);
                if (slot == slot_of_player_.end() || !sessions_[slot->second]) continue;
                Session& session = *sessions_[slot->second];
                retire_player_counters(match, player_id);
                slot_of_player_.erase(slot);
                session.state = SessionState::Closing;
                host_->disconnect_later(session.peer, disconnect_data(LeaveReason::MatchEnded));
            }
            add(retired_snapshots_, match.snapshot_counters());
            it = matches_.erase(it);
            continue;
        }
        ++it;
    }
}

void GameServer::shutdown(std::string_view text, util::TimePoint deadline) {
    shutting_down_ = true;
    const auto now = clock_.now();
    for (auto& [id, entry] : matches_) {
        if (!entry.ended_at) {
            entry.match->end(protocol::MatchEndReason::ServerShutdown);
            finish_match(*entry.match, now);
        }
    }
    const auto bytes = protocol::encode_control(protocol::ServerControl{protocol::ServerShutdown{std::string(text)}});
    for (auto& s : sessions_) {
        if (!s) continue;
        host_->send(s->peer, net::kReliableChannel, bytes);
        s->state = SessionState::Closing;
        host_->disconnect_later(s->peer, disconnect_data(LeaveReason::ServerShutdown));
    }
    host_->flush();
    net::Event event;
    while (host_->connected_peers() > 0 && clock_.now() < deadline) {
        if (host_->poll(event, 10) && event.type == net::EventType::Disconnected) sessions_[event.peer.slot].reset();
    }
    host_->flush();
    refresh_stats();
    log_.info("game port closed ({} peers still connected at the deadline)", host_->connected_peers());
}

// --- figures -----------------------------------------------------------------------

void GameServer::send_server_stats() {
    // Once a second per client, spread over the second by peer slot so no
    // single tick pays for everyone.
    const auto period = static_cast<std::uint64_t>(config_.tick_rate_hz);
    bool any_due = false;
    for (std::size_t slot = server_tick_ % period; slot < sessions_.size(); slot += period) {
        if (sessions_[slot] && sessions_[slot]->state == SessionState::Playing) any_due = true;
    }
    if (!any_due) return;
    const TickFigures f = metrics_.last_second();
    const TickFigures run = metrics_.whole_run();
    protocol::ServerStats stats;
    stats.tick_rate_hz = static_cast<std::uint16_t>(config_.tick_rate_hz);
    stats.tick_ms_p50 = static_cast<float>(f.work_ms_p50);
    stats.tick_ms_p99 = static_cast<float>(f.work_ms_p99);
    stats.tick_ms_max = static_cast<float>(f.work_ms_max);
    stats.overruns = static_cast<std::uint32_t>(f.overruns);
    stats.players = static_cast<std::uint32_t>(slot_of_player_.size());
    stats.matches = static_cast<std::uint32_t>(matches_.size());
    stats.run_tick_ms_p50 = static_cast<float>(run.work_ms_p50);
    stats.run_tick_ms_p99 = static_cast<float>(run.work_ms_p99);
    stats.run_tick_ms_max = static_cast<float>(run.work_ms_max);
    stats.run_ticks = run.ticks;
    const auto bytes = protocol::encode_control(protocol::ServerControl{stats});
    for (std::size_t slot = server_tick_ % period; slot < sessions_.size(); slot += period) {
        auto& s = sessions_[slot];
        if (s && s->state == SessionState::Playing) host_->send(s->peer, net::kReliableChannel, bytes);
    }
}

void GameServer::refresh_stats() {
    GameStats stats;
    stats.last_second = metrics_.last_second();
    stats.whole_run = metrics_.whole_run();
    stats.players = slot_of_player_.size();
    stats.matches = matches_.size();
    stats.inputs = retired_inputs_;
    stats.inputs_by_player = retired_by_player_;
    stats.shots_by_player = retired_shots_;
    stats.snapshots = retired_snapshots_;
    for (const auto& [id, entry] : matches_) {
        add(stats.snapshots, entry.match->snapshot_counters());
        for (const auto& [player_id, name] : entry.match->roster()) {
            if (const InputCounters* c = entry.match->input_counters(player_id)) {
                add(stats.inputs, *c);
                add(stats.inputs_by_player[player_id], *c);
            }
            if (const ShotCounters* c = entry.match->shot_counters(player_id)) add(stats.shots_by_player[player_id], *c);
        }
    }
    for (const auto& s : sessions_) {
        if (s && s->state == SessionState::AwaitingToken) ++stats.pending_peers;
    }
    stats.bad_packets = bad_packets_;
    stats.flood_dropped = flood_dropped_;
    stats.kicked = kicked_;
    stats.rejected = rejected_;
    stats.timed_out = timed_out_;
    stats.host = host_->counters();
    const std::lock_guard lock(stats_mutex_);
    published_ = std::move(stats);
}

GameStats GameServer::stats() const {
    const std::lock_guard lock(stats_mutex_);
    return published_;
}

} // namespace skirmish::server
