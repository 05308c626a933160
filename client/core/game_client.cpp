// client/core/game_client.cpp
#include "client/core/game_client.hpp"

#include "shared/protocol/version.hpp"
#include "shared/sim/collision.hpp"
#include "shared/sim/quantise.hpp"
#include "shared/util/overloaded.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace skirmish::client {

namespace {
constexpr double kTracerLifetimeS = 0.25;
constexpr double kKillFeedLifetimeS = 6.0;
constexpr std::size_t kKillFeedMax = 5;
constexpr std::size_t kArrivalHistory = 256;
constexpr sim::Tick kMaxInputsPerUpdate = 8;   // after a stall, skip ahead rather than burst
constexpr std::size_t kMaxUnacked = protocol::kMaxInputsPerPacket;

std::string leave_text(protocol::LeaveReason reason, const std::string& address) {
    switch (reason) {
    case protocol::LeaveReason::Left: return "you left the match";
    case protocol::LeaveReason::TimedOut:
        return fmt::format("lost the connection to the game server at {} (timed out): check the network and "
                           "rejoin from the lobby",
                           address);
    case protocol::LeaveReason::Kicked: return "the server disconnected you for misbehaving (kicked)";
    case protocol::LeaveReason::MatchEnded: return "the match is over";
    case protocol::LeaveReason::ServerShutdown: return "the server shut down";
    case protocol::LeaveReason::Rejected: return "the game server refused the connection";
    }
    return "disconnected";
}
} // namespace

GameClient::GameClient(const net::EnetLibrary& enet, ClientOptions options, util::Logger log)
    : enet_(enet), options_(options), log_(std::move(log)) {}

GameClient::~GameClient() = default;

util::Result<util::Ok, std::string> GameClient::connect(const MatchTicket& ticket, util::TimePoint now) {
    net::HostConfig config;
    config.bind_address = "0.0.0.0";
    config.port = 0;
    config.max_peers = 1;
    config.socket_buffer_bytes = 256 * 1024; // one connection: ENet's default is plenty
    config.timeout_min_ms = options_.timeout_min_ms;
    config.timeout_max_ms = options_.timeout_max_ms;
    config.compression = options_.range_coder ? net::Compression::Receive : net::Compression::None;
    auto host = net::EnetHost::create(enet_, config);
    if (!host) return util::fail(host.error());
    host_ = std::move(host).value();
    auto peer = host_->connect(ticket.address, ticket.port);
    if (!peer) return util::fail(peer.error());
    peer_ = *peer;
    ticket_ = ticket;
    connect_started_ = now;
    next_second_ = now + std::chrono::seconds(1);
    view_ = ClientView{};
    view_.state = ConnectionState::Connecting;
    view_.status = fmt::format("connecting to the game server at {}:{}", ticket.address, ticket.port);
    return util::Ok{};
}

void GameClient::set_prediction(const PredictionOptions& options) {
    options_.prediction = options;
    if (predictor_) predictor_->set_options(options);
}

void GameClient::set_interpolation(const InterpolationOptions& options) {
    options_.interpolation = options;
    if (interpolator_) interpolator_->set_options(options);
}

const protocol::SnapshotState* GameClient::latest_snapshot() const noexcept {
    return newest_snapshot_ ? baselines_.find(newest_snapshot_) : nullptr;
}

void GameClient::disconnected(std::string status) {
    if (view_.state == ConnectionState::Disconnected) return;
    view_.state = ConnectionState::Disconnected;
    view_.status = std::move(status);
    log_.info("{}", view_.status);
}

std::string GameClient::name_of(std::uint32_t id) const {
    auto it = names_.find(id);
    return it == names_.end() ? fmt::format("player {}", id) : it->second;
}

// --- update -----------------------------------------------------------------------

void GameClient::update(util::TimePoint now, const InputIntent& intent) {
    if (!host_) return;
    const double frame_s = have_last_update_ ? std::max(0.0, util::to_seconds(now - last_update_)) : 0.0;
    last_update_ = now;
    have_last_update_ = true;

    net::Event event;
    while (host_->poll(event, 0)) {
        switch (event.type) {
        case net::EventType::Connected:
            // The handshake took one round trip: a first RTT figure long
            // before ENet's smoothed estimate (which starts at 500 ms) settles.
            handshake_rtt_ms_ = util::to_ms(now - connect_started_);
            view_.state = ConnectionState::AwaitingAccept;
            view_.status = "presenting the connect token";
            host_->send(peer_, net::kReliableChannel,
                        protocol::encode_control(
                            protocol::ClientControl{protocol::ConnectRequest{protocol::kProtocolVersion, ticket_.token}}));
            break;
        case net::EventType::Received:
            if (event.channel == net::kReliableChannel) handle_control(event.bytes, now);
            else if (view_.state == ConnectionState::InMatch) handle_snapshot(event.bytes, now);
            break;
        case net::EventType::Disconnected: {
            const std::string address = fmt::format("{}:{}", ticket_.address, ticket_.port);
            if (!rejection_.empty()) disconnected(rejection_);
            else if (!shutdown_text_.empty()) disconnected(shutdown_text_);
            else if (view_.state == ConnectionState::Connecting)
                disconnected(fmt::format("no answer from the game port at {} (UDP): is the server running and "
                                         "reachable?",
                                         address));
            else disconnected(leave_text(static_cast<protocol::LeaveReason>(std::min<std::uint32_t>(event.data, 5)), address));
            break;
        }
        case net::EventType::None: break;
        }
    }
    if (view_.state == ConnectionState::Connecting && now - connect_started_ > options_.connect_timeout) {
        host_->reset(peer_);
        disconnected(fmt::format("no answer from the game port at {}:{} (UDP) within {} s: is the server running "
                                 "and reachable?",
                                 ticket_.address, ticket_.port, options_.connect_timeout.count() / 1000.0));
    }
    if (view_.state == ConnectionState::InMatch) {
        if (now >= next_ping_) {
            next_ping_ = now + options_.ping_interval;
            host_->ping(peer_);
        }
        generate_inputs(now, intent);
        if (predictor_) predictor_->decay(frame_s);
        if (interpolator_) interpolator_->update(now, arrival_jitter_ms_);
    }
    if (now >= next_second_) roll_second(now);
    const net::HostCounters totals = host_->counters();
    view_.stats.bytes_in = totals.bytes_received;
    view_.stats.bytes_out = totals.bytes_sent;
    build_view(now, frame_s);
}

void GameClient::leave() {
    if (!host_ || !host_->connected(peer_)) return;
    host_->send(peer_, net::kReliableChannel, protocol::encode_control(protocol::ClientControl{protocol::LeaveRequest{}}));
    host_->disconnect_later(peer_, static_cast<std::uint32_t>(protocol::LeaveReason::Left));
    host_->flush();
    disconnected("you left the match");
}

// --- control channel --------------------------------------------------------------

void GameClient::handle_control(std::span<const std::uint8_t> bytes, util::TimePoint now) {
    auto message = protocol::decode_server_control(bytes, rules_.player_radius);
    if (!message) {
        log_.debug("dropped a control message: {}", protocol::name(message.error()));
        return;
    }
    std::visit(util::Overloaded{
                   [&](const protocol::Accepted& m) { on_accepted(m, now); },
                   [&](const protocol::Rejected& m) {
                       rejection_ = fmt::format("the game server refused the connection: {}", m.text);
                   },
                   [&](const protocol::PlayerJoined& m) { names_[m.player_id] = m.name; },
                   [&](const protocol::PlayerLeft& m) { names_.erase(m.player_id); },
                   [&](const protocol::KillFeed& m) {
                       view_.kill_feed.push_back({m.killer_id, m.victim_id, name_of(m.killer_id), name_of(m.victim_id), 0});
                       if (view_.kill_feed.size() > kKillFeedMax) view_.kill_feed.erase(view_.kill_feed.begin());
                   },
                   [&](const protocol::MatchOver& m) { view_.results = m.results; },
                   [&](const protocol::ServerStats& m) {
                       view_.stats.server = m;
                       view_.stats.have_server_stats = true;
                   },
                   [&](const protocol::ServerShutdown& m) { shutdown_text_ = fmt::format("the server shut down: {}", m.text); },
               },
               *message);
}

void GameClient::on_accepted(const protocol::Accepted& m, util::TimePoint) {
    if (view_.state != ConnectionState::AwaitingAccept) return;
    map_ = std::make_shared<const sim::Map>(m.map);
    rules_ = sim::Rules{};
    rules_.tick_rate_hz = m.tick_rate_hz;
    rules_.frag_limit = m.settings.frag_limit;
    rules_.time_limit_s = m.settings.time_limit_s;
    snapshot_interval_ = std::max(1, m.tick_rate_hz / std::max<int>(1, m.snapshot_rate_hz));
    clock_ = std::make_unique<ClientClock>(m.tick_rate_hz);
    interpolator_ = std::make_unique<Interpolator>(m.tick_rate_hz, snapshot_interval_, options_.interpolation);
    predictor_ = std::make_unique<Predictor>(map_, rules_, sim::PlayerId{m.player_id}, options_.prediction);
    if (!ticket_.name.empty()) names_.try_emplace(m.player_id, ticket_.name);
    view_.state = ConnectionState::InMatch;
    view_.status = "in the match";
    view_.local_id = m.player_id;
    view_.match_id = m.match_id;
    view_.map = map_;
    view_.rules = rules_;
    view_.settings = m.settings;
    log_.debug("accepted into match {} as player {} ({} Hz, snapshots every {} ticks)", m.match_id, m.player_id,
               m.tick_rate_hz, snapshot_interval_);
}

// --- snapshots ----------------------------------------------------------------------

void GameClient::handle_snapshot(std::span<const std::uint8_t> bytes, util::TimePoint now) {
    auto decoded = protocol::decode_snapshot(
        bytes, [this](sim::Tick tick) { return baselines_.find(tick); }, rules_.tick_rate_hz);
    if (!decoded) {
        ++view_.stats.snapshots_undecodable;
        log_.debug("dropped a snapshot: {}", protocol::name(decoded.error()));
        return;
    }
    const protocol::SnapshotHeader& header = decoded->header;
    if (header.server_tick <= newest_snapshot_) return; // stale (ENet's sequencing should prevent this)

    // Loss from gaps in the snapshot sequence.
    if (newest_snapshot_ != 0) {
        const sim::Tick gap = header.server_tick - newest_snapshot_;
        const sim::Tick missing = gap / static_cast<sim::Tick>(snapshot_interval_);
        if (missing > 1) {
            view_.stats.snapshots_lost += missing - 1;
            second_lost_ += missing - 1;
        }
    }
    ++view_.stats.snapshots_received;
    view_.stats.snapshot_bytes += bytes.size();
    ++second_received_;
    if (header.baseline_tick == 0) ++view_.stats.full_snapshots;

    // Arrival jitter: how far each interval strays from the nominal one.
    const double nominal_ms = 1000.0 * snapshot_interval_ / rules_.tick_rate_hz;
    if (!arrivals_.empty()) {
        const double interval_ms = util::to_ms(now - last_arrival_);
        const sim::Tick ticks = header.server_tick - arrivals_.back().tick;
        const double expected_ms = nominal_ms * ticks / snapshot_interval_;
        arrival_jitter_ms_ += (std::abs(interval_ms - expected_ms) - arrival_jitter_ms_) / 16.0;
    }
    last_arrival_ = now;
    arrivals_.push_back({now, header.server_tick, bytes.size(), header.baseline_tick == 0});
    while (arrivals_.size() > kArrivalHistory) arrivals_.pop_front();

    // Our hits, as the server counted them (after lag compensation), and our damage.
    if (const protocol::SnapshotState* previous = latest_snapshot()) {
        const auto mine = [&](const protocol::SnapshotState& s) -> const sim::Player* {
            auto it = std::lower_bound(s.players.begin(), s.players.end(), sim::PlayerId{view_.local_id},
                                       [](const sim::Player& q, sim::PlayerId id) { return q.id < id; });
            return it != s.players.end() && it->id == sim::PlayerId{view_.local_id} ? &*it : nullptr;
        };
        const sim::Player* before = mine(*previous);
        const sim::Player* after = mine(decoded->state);
        if (before && after) {
            if (after->hits > before->hits) {
                hits_confirmed_ += static_cast<std::uint64_t>(after->hits - before->hits);
                view_.since_hit_confirm_s = 0;
            }
            if (after->health < before->health && after->alive == before->alive) view_.since_damage_taken_s = 0;
        }
    }
    // Remote shots: a rifle cooldown that moved on since the previous snapshot.
    if (const protocol::SnapshotState* previous = latest_snapshot()) {
        for (const sim::Player& p : decoded->state.players) {
            if (p.id == sim::PlayerId{view_.local_id}) continue;
            auto before = std::lower_bound(previous->players.begin(), previous->players.end(), p.id,
                                           [](const sim::Player& q, sim::PlayerId id) { return q.id < id; });
            if (before != previous->players.end() && before->id == p.id && p.next_fire_tick != before->next_fire_tick)
                add_tracer(sim::to_int(p.id), p.position, p.aim, false, decoded->state.players);
        }
    }

    newest_snapshot_ = header.server_tick;
    server_last_input_ = header.last_input_tick;
    last_input_lead_ = header.input_lead;
    view_.phase = decoded->state.phase;
    const protocol::SnapshotState& stored = baselines_.put(header.server_tick, std::move(decoded->state));

    // Inputs the server holds (applied, or waiting with none missing before
    // them) need not be sent again.
    while (!unacked_.empty() && unacked_.front().tick <= header.inputs_held_through) unacked_.pop_front();

    const net::PeerStats peer = host_->peer_stats(peer_);
    const double rtt_ms = clock_->synced() ? peer.rtt_ms : std::min<double>(peer.rtt_ms, handshake_rtt_ms_);
    clock_->on_snapshot(header.server_tick, header.input_lead, rtt_ms, arrival_jitter_ms_, loss_ema_pct_, now);
    interpolator_->push(stored, now);
    if (options_.prediction.enabled) {
        const Correction c = predictor_->reconcile(stored);
        // A teleport (a respawn at a spawn the prediction could not know) is
        // not a misprediction of movement: it is not counted.
        if (c.happened && c.distance > 0.01f && c.distance < options_.prediction.teleport_distance) {
            ++view_.stats.corrections;
            view_.stats.last_correction = c.distance;
            view_.stats.max_correction = std::max(view_.stats.max_correction, static_cast<double>(c.distance));
        }
    }
}

// --- inputs -------------------------------------------------------------------------

void GameClient::generate_inputs(util::TimePoint now, const InputIntent& intent) {
    clock_->advance(now);
    if (!clock_->synced()) return;
    const sim::Tick target = clock_->input_tick();
    if (!inputs_started_ || target > next_input_tick_ + kMaxInputsPerUpdate || target + 64 < next_input_tick_) {
        next_input_tick_ = target > 0 ? target - 1 : 0;
        inputs_started_ = true;
        unacked_.clear();
    }
    if (target <= next_input_tick_) return;
    // The world as the player sees it right now: for lag compensation.
    const double view = interpolator_ && interpolator_->ready() ? interpolator_->render_tick() : 0.0;
    const double view_floor = std::max(0.0, std::floor(view));
    for (; next_input_tick_ < target; ++next_input_tick_) {
        protocol::TickInput t;
        t.tick = next_input_tick_;
        t.input.player = sim::PlayerId{view_.local_id};
        t.input.move_x = intent.move_x;
        t.input.move_y = intent.move_y;
        t.input.aim = static_cast<std::uint16_t>(intent.aim % sim::kAimSteps);
        t.input.buttons = static_cast<std::uint8_t>((intent.fire ? sim::buttons::kFire : 0) |
                                                    (intent.dash ? sim::buttons::kDash : 0));
        t.input.view_tick = static_cast<sim::Tick>(view_floor);
        t.input.view_fraction = static_cast<std::uint8_t>(std::clamp((view - view_floor) * 256.0, 0.0, 255.0));
        ++inputs_generated_;
        if (options_.prediction.enabled && predictor_->ready()) {
            const sim::Player* before = predictor_->predicted();
            const sim::Tick fire_before = before ? before->next_fire_tick : 0;
            predictor_->apply(t.tick, t.input);
            const sim::Player* after = predictor_->predicted();
            if (after && after->next_fire_tick != fire_before) {
                ++shots_fired_;
                std::vector<sim::Player> others = interpolator_->sample();
                add_tracer(view_.local_id, after->position, after->aim, true, others);
            }
        } else if ((t.input.buttons & sim::buttons::kFire) != 0) {
            // Without prediction a shot is seen when the server's snapshot shows it;
            // count attempts at the rifle's rate for the figures.
            const sim::Tick cooldown = rules_.ticks(rules_.fire_cooldown_s);
            if (cooldown > 0 && t.tick % cooldown == 0) ++shots_fired_;
        }
        unacked_.push_back(t);
        while (unacked_.size() > kMaxUnacked) unacked_.pop_front();
    }
    send_inputs();
}

void GameClient::send_inputs() {
    protocol::InputPacket packet;
    packet.ack_snapshot_tick = newest_snapshot_;
    for (auto it = unacked_.rbegin(); it != unacked_.rend() && packet.inputs.size() < protocol::kMaxInputsPerPacket;
         ++it)
        packet.inputs.push_back(*it);
    if (packet.inputs.empty()) return;
    host_->send(peer_, net::kUnreliableChannel, protocol::encode_input_packet(packet));
    ++view_.stats.inputs_sent;
    host_->flush();
}

// --- figures and view --------------------------------------------------------------

void GameClient::roll_second(util::TimePoint now) {
    next_second_ = now + std::chrono::seconds(1);
    const net::HostCounters c = host_->counters();
    view_.stats.bytes_in_per_s = static_cast<double>(c.bytes_received - last_counters_.bytes_received);
    view_.stats.bytes_out_per_s = static_cast<double>(c.bytes_sent - last_counters_.bytes_sent);
    last_counters_ = c;
    view_.stats.snapshot_rate_hz = static_cast<double>(second_received_);
    const auto expected = second_received_ + second_lost_;
    view_.stats.snapshot_loss_pct = expected ? 100.0 * static_cast<double>(second_lost_) / static_cast<double>(expected) : 0.0;
    // A slow average: a lost snapshot or two should not swing the input lead.
    loss_ema_pct_ += (view_.stats.snapshot_loss_pct - loss_ema_pct_) * 0.2;
    second_received_ = second_lost_ = 0;
}

void GameClient::add_tracer(std::uint32_t shooter, sim::Vec2 from, std::uint16_t aim, bool local,
                            const std::vector<sim::Player>& targets) {
    if (!map_) return;
    const float a = sim::aim_radians(aim);
    const sim::Vec2 dir{std::cos(a), std::sin(a)};
    float reach = sim::ray_to_walls(*map_, from, dir, rules_.rifle_range);
    for (const sim::Player& p : targets) {
        if (sim::to_int(p.id) == shooter || !p.alive) continue;
        if (auto t = sim::ray_hits_circle(from, dir, p.position, rules_.player_radius, reach)) reach = *t;
    }
    view_.tracers.push_back({shooter, from, from + dir * reach, 0.0, local});
}

void GameClient::build_view(util::TimePoint now, double frame_s) {
    NetStats& stats = view_.stats;
    if (host_ && peer_.valid()) {
        const net::PeerStats peer = host_->peer_stats(peer_);
        if (!peer.address.empty()) {
            stats.rtt_ms = peer.rtt_ms;
            stats.jitter_ms = peer.rtt_variance_ms;
            stats.reliable_loss_pct = 100.0 * peer.reliable_loss;
        }
    }
    stats.snapshot_jitter_ms = arrival_jitter_ms_;
    for (auto& t : view_.tracers) t.age_s += frame_s;
    std::erase_if(view_.tracers, [](const Tracer& t) { return t.age_s > kTracerLifetimeS; });
    for (auto& k : view_.kill_feed) k.age_s += frame_s;
    std::erase_if(view_.kill_feed, [](const KillNotice& k) { return k.age_s > kKillFeedLifetimeS; });
    view_.since_hit_confirm_s += frame_s;
    view_.since_damage_taken_s += frame_s;

    if (view_.state != ConnectionState::InMatch || !interpolator_ || !interpolator_->ready()) return;
    stats.interp_delay_ms = interpolator_->delay_ms();
    stats.interp_buffer_depth = interpolator_->buffer_depth();
    stats.extrapolating = interpolator_->extrapolating();
    stats.input_lead_ticks = clock_->lead_ticks();
    stats.target_lead_ticks = clock_->target_lead_ticks();
    view_.server_tick = clock_->server_tick_estimate(now);
    if (rules_.time_limit_s > 0)
        view_.time_left_s = std::max(0.0, rules_.time_limit_s - view_.server_tick / rules_.tick_rate_hz);

    const protocol::SnapshotState* latest = latest_snapshot();
    view_.players.clear();
    view_.latest_received.clear();
    view_.server_ghost.reset();
    const sim::PlayerId self{view_.local_id};
    for (const sim::Player& p : interpolator_->drawn()) {
        if (p.id == self) continue;
        view_.players.push_back({sim::to_int(p.id), name_of(sim::to_int(p.id)), false, p});
    }
    if (latest) {
        for (const sim::Player& p : latest->players) {
            if (p.id == self) view_.server_ghost = p.position;
            else view_.latest_received.emplace_back(sim::to_int(p.id), p.position);
        }
    }
    // The local player: predicted (and smoothed), or the server's latest word.
    std::optional<sim::Player> local;
    if (options_.prediction.enabled && predictor_->ready() && predictor_->predicted()) {
        local = *predictor_->predicted();
        local->position = predictor_->visual_position();
    } else if (latest) {
        auto it = std::find_if(latest->players.begin(), latest->players.end(),
                               [&](const sim::Player& p) { return p.id == self; });
        if (it != latest->players.end()) local = *it;
    }
    if (local) view_.players.push_back({view_.local_id, name_of(view_.local_id), true, *local});
}

} // namespace skirmish::client
