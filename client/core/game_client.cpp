// client/core/game_client.cpp
#include "client/core/game_client.hpp"

#include "shared/protocol/match_types.hpp"
#include "shared/protocol/version.hpp"
#include "shared/sim/quantise.hpp"
#include "shared/sim/shot.hpp"
#include "shared/util/overloaded.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace skirmish::client {

namespace {
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
    config.silence_timeout_ms = options_.silence_timeout_ms;
    config.reliable_timeout_ms = options_.reliable_timeout_ms;
    config.compression = options_.range_coder ? net::Compression::Receive : net::Compression::None;
    config.protocol_version = protocol::kProtocolVersion;
    auto host = net::EnetHost::create(enet_, config);
    if (!host) return util::fail(host.error());
    host_ = std::move(host).value();
    auto peer = host_->connect(ticket.address, ticket.port);
    if (!peer) return util::fail(peer.error());
    peer_ = *peer;
    ticket_ = ticket;
    connect_started_ = now;
    figures_ = NetFigures{};
    figures_.start(now);
    effects_ = Effects{};
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

std::string GameClient::name_of(sim::PlayerId id) const {
    auto it = names_.find(id);
    return it == names_.end() ? fmt::format("player {}", id) : it->second;
}

// --- update -----------------------------------------------------------------------

int GameClient::socket_fd() const noexcept { return host_ ? host_->socket_fd() : -1; }

void GameClient::update(util::TimePoint now, const InputIntent& intent, bool socket_quiet) {
    if (!host_) return;
    const double frame_s = have_last_update_ ? std::max(0.0, util::to_seconds(now - last_update_)) : 0.0;
    last_update_ = now;
    have_last_update_ = true;

    // Reading an empty socket is a system call for nothing (most frames of a
    // bot fleet): skip it when told so, but not for long, and never while
    // the connection is being made (Hello resends, the token).
    const bool read = !socket_quiet || view_.state != ConnectionState::InMatch || now >= next_quiet_service_;
    if (read) next_quiet_service_ = now + kQuietServiceInterval;
    net::Event event;
    while (read && host_->poll(event, 0)) {
        switch (event.type) {
        case net::EventType::Connected:
            // Admission and ENet's handshake took two round trips (Hello →
            // Challenge, CONNECT → VERIFY_CONNECT): a first RTT figure long
            // before ENet's smoothed estimate (which starts at 500 ms) settles.
            handshake_rtt_ms_ = util::to_ms(now - connect_started_) / 2.0;
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
            else if (event.silent)
                disconnected(fmt::format("lost the connection to the game server at {}: nothing heard from it for "
                                         "{} s; check the network and rejoin from the lobby",
                                         address, options_.silence_timeout_ms / 1000.0));
            else {
                // ENet reports its own timeout with data 0, which is also Left; but
                // leave() has already ended the view, so a 0 here is a timeout.
                auto reason = static_cast<protocol::LeaveReason>(std::min<std::uint32_t>(event.data, 5));
                if (reason == protocol::LeaveReason::Left) reason = protocol::LeaveReason::TimedOut;
                disconnected(leave_text(reason, address));
            }
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
        if (view_.spectating) send_ack(now);
        else generate_inputs(now, intent);
        if (predictor_) predictor_->decay(frame_s);
        if (interpolator_) {
            interpolator_->update(now, figures_.arrival_jitter_ms());
            if (interpolator_->ready())
                smoothness_.frame(frame_s, interpolator_->extrapolating(), interpolator_->drawn(),
                                  view_.local_id);
        }
    }
    figures_.update(now, host_->counters());
    build_view(now, frame_s);
    if (view_tap_ && interpolator_) view_tap_->frame(view_, interpolator_->render_tick(), now);
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
                   [&](const protocol::PlayerJoined& m) {
                       (m.spectator ? spectators_ : names_)[sim::PlayerId{m.player_id}] = m.name;
                   },
                   [&](const protocol::PlayerLeft& m) {
                       names_.erase(sim::PlayerId{m.player_id});
                       spectators_.erase(sim::PlayerId{m.player_id});
                   },
                   [&](const protocol::KillFeed& m) {
                       const sim::PlayerId killer{m.killer_id}, victim{m.victim_id};
                       effects_.add_kill({killer, victim, name_of(killer), name_of(victim), 0});
                   },
                   [&](const protocol::MatchOver& m) { view_.results = m.results; },
                   [&](const protocol::ServerStats& m) { figures_.set_server_stats(m); },
                   [&](const protocol::ServerShutdown& m) { shutdown_text_ = fmt::format("the server shut down: {}", m.text); },
                   [&](const protocol::ShotJudged& m) { rewinds_.judged(m, rules_.tick_rate_hz); },
               },
               *message);
}

void GameClient::on_accepted(const protocol::Accepted& m, util::TimePoint now) {
    if (view_.state != ConnectionState::AwaitingAccept) return;
    map_ = std::make_shared<const sim::Map>(m.map);
    rules_ = protocol::match_rules(m.settings, m.tick_rate_hz);
    snapshot_interval_ = std::max(1, m.tick_rate_hz / std::max<int>(1, m.snapshot_rate_hz));
    input_period_ = input_period_ticks(options_.input_rate_hz, m.tick_rate_hz);
    inputs_unsent_ = 0;
    clock_ = std::make_unique<ClientClock>(m.tick_rate_hz, input_period_);
    interpolator_ = std::make_unique<Interpolator>(m.tick_rate_hz, snapshot_interval_, options_.interpolation);
    // A spectator has nothing of its own to predict.
    if (!m.spectator)
        predictor_ = std::make_unique<Predictor>(map_, rules_, sim::PlayerId{m.player_id}, options_.prediction);
    figures_.set_timing(m.tick_rate_hz, snapshot_interval_);
    effects_.set_arena(map_, rules_);
    hit_agreement_ = HitAgreement(rules_.ticks(rules_.fire_cooldown_s), rules_.ticks(rules_.respawn_delay_s));
    smoothness_ = RemoteSmoothness(rules_);
    if (!ticket_.name.empty())
        (m.spectator ? spectators_ : names_).try_emplace(sim::PlayerId{m.player_id}, ticket_.name);
    view_.state = ConnectionState::InMatch;
    view_.status = m.spectator ? "watching the match" : "in the match";
    view_.spectating = m.spectator;
    view_.local_id = sim::PlayerId{m.player_id};
    view_.match_id = protocol::MatchId{m.match_id};
    view_.map = map_;
    view_.rules = rules_;
    view_.settings = m.settings;
    log_.debug("accepted into match {} as {} {} ({} Hz, snapshots every {} ticks)", m.match_id,
               m.spectator ? "spectator" : "player", m.player_id, m.tick_rate_hz, snapshot_interval_);
    if (view_tap_) view_tap_->accepted(m, now);
}

// --- snapshots ----------------------------------------------------------------------

void GameClient::handle_snapshot(std::span<const std::uint8_t> bytes, util::TimePoint now) {
    // Decode, against the baseline the server chose (if we still hold it).
    auto decoded = protocol::decode_snapshot(
        bytes, [this](sim::Tick tick) { return baselines_.find(tick); }, rules_.tick_rate_hz);
    if (!decoded) {
        figures_.count_undecodable();
        log_.debug("dropped a snapshot: {}", protocol::name(decoded.error()));
        return;
    }
    const protocol::SnapshotHeader& header = decoded->header;
    if (header.server_tick <= newest_snapshot_) return; // stale (ENet's sequencing should prevent this)
    figures_.count_snapshot(header.server_tick, newest_snapshot_, bytes.size(), header.baseline_tick == 0, now);
    effects_.compare(latest_snapshot(), decoded->state, view_.local_id);
    hit_agreement_.snapshot(header.server_tick, decoded->state.players, view_.local_id);

    // Store it: the newest state, and a baseline for the deltas to come.
    newest_snapshot_ = header.server_tick;
    server_last_input_ = header.last_input_tick;
    view_.phase = decoded->state.phase;
    const protocol::SnapshotState& stored = baselines_.put(header.server_tick, std::move(decoded->state));
    if (view_tap_) view_tap_->snapshot(header, stored, now);

    // Inputs the server holds (applied, or waiting with none missing before
    // them) need not be sent again.
    while (!unacked_.empty() && unacked_.front().tick <= header.inputs_held_through) unacked_.pop_front();

    // The clock: where the server is, and how early our inputs arrive.
    const net::PeerStats peer = host_->peer_stats(peer_);
    const double rtt_ms = clock_->synced() ? peer.rtt_ms : std::min<double>(peer.rtt_ms, handshake_rtt_ms_);
    clock_->on_snapshot(header.server_tick, header.input_lead, rtt_ms, figures_.arrival_jitter_ms(),
                        figures_.loss_ema_pct(), now);

    interpolator_->push(stored, now);
    reconcile(stored);
}

void GameClient::reconcile(const protocol::SnapshotState& snapshot) {
    if (!options_.prediction.enabled || !predictor_) return;
    figures_.count_correction(predictor_->reconcile(snapshot), options_.prediction.teleport_distance);
}

// --- inputs -------------------------------------------------------------------------

void GameClient::generate_inputs(util::TimePoint now, const InputIntent& intent) {
    clock_->advance(now);
    if (!clock_->synced()) return;
    const sim::Tick target = clock_->input_tick();
    if (!inputs_started_ || target > next_input_tick_ + kMaxInputsPerUpdate || target + 64 < next_input_tick_) {
        if (inputs_unsent_ > 0) send_inputs(); // what was made before the jump still goes
        next_input_tick_ = target > 0 ? target - 1 : 0;
        inputs_started_ = true;
        unacked_.clear();
        inputs_unsent_ = 0;
    }
    if (target <= next_input_tick_) return;
    // The world as the player sees it right now: for lag compensation.
    const double view = interpolator_ && interpolator_->ready() ? interpolator_->view_tick() : 0.0;
    const double view_floor = std::max(0.0, std::floor(view));
    for (; next_input_tick_ < target; ++next_input_tick_) {
        protocol::TickInput t;
        t.tick = next_input_tick_;
        t.input.player = view_.local_id;
        t.input.move_x = intent.move_x;
        t.input.move_y = intent.move_y;
        t.input.aim = static_cast<std::uint16_t>(intent.aim % sim::kAimSteps);
        t.input.buttons = static_cast<std::uint8_t>((intent.fire ? sim::buttons::kFire : 0) |
                                                    (intent.dash ? sim::buttons::kDash : 0));
        t.input.view_tick = static_cast<sim::Tick>(view_floor);
        t.input.view_fraction = static_cast<std::uint8_t>(std::clamp((view - view_floor) * 256.0, 0.0, 255.0));
        ++inputs_generated_;
        const sim::Player* predicted = nullptr;
        std::optional<std::vector<sim::Player>> shot_at; // everyone else as sampled, when the rifle fired
        if (options_.prediction.enabled && predictor_->ready()) {
            const sim::Player* before = predictor_->predicted();
            const sim::Tick fire_before = before ? before->next_fire_tick : 0;
            predictor_->apply(t.tick, t.input);
            predicted = predictor_->predicted();
            if (predicted && predicted->next_fire_tick != fire_before) {
                ++shots_fired_;
                shot_at = interpolator_->sample();
                effects_.local_shot(*predicted, interpolator_->drawn());
                // What the player saw this shot do: the same test the server runs,
                // against the others as drawn.
                hit_agreement_.fired(t.tick, t.input.view_tick, seen_victim(*predicted, t.tick));
                rewinds_.fired(t.tick, interpolator_->drawn());
            }
        } else if ((t.input.buttons & sim::buttons::kFire) != 0) {
            // Without prediction a shot is seen when the server's snapshot shows it;
            // count attempts at the rifle's rate for the figures.
            const sim::Tick cooldown = rules_.ticks(rules_.fire_cooldown_s);
            if (cooldown > 0 && t.tick % cooldown == 0) ++shots_fired_;
        }
        if (view_tap_) view_tap_->input(t, predicted, shot_at ? &*shot_at : nullptr, now);
        unacked_.push_back(t);
        while (unacked_.size() > kMaxUnacked) unacked_.pop_front();
        ++inputs_unsent_;
    }
    hit_agreement_.inputs_through(next_input_tick_);
    // A packet every input_period_ ticks, with every input made since (and the
    // older ones the server does not hold yet).
    if (inputs_unsent_ >= input_period_) {
        inputs_unsent_ = 0;
        send_inputs();
    }
}

int input_period_ticks(int input_rate_hz, int tick_rate_hz) noexcept {
    if (input_rate_hz <= 0 || input_rate_hz >= tick_rate_hz) return 1;
    const int period = static_cast<int>(std::lround(static_cast<double>(tick_rate_hz) / input_rate_hz));
    // A packet holds at most 16 inputs and one update may make up to
    // kMaxInputsPerUpdate: a longer period would drop inputs before they left.
    return std::clamp(period, 1, kMaxInputPeriodTicks);
}

std::optional<sim::PlayerId> GameClient::seen_victim(const sim::Player& shooter, sim::Tick tick) const {
    std::vector<sim::PastPlayer> targets;
    for (const sim::Player& p : interpolator_->drawn()) targets.push_back({p.id, p.position, p.alive});
    const std::optional<sim::PlayerId> victim =
        sim::trace_shot(*map_, rules_, shooter.id, shooter.position, shooter.aim, targets).victim;
    // A spawn-protected target stops the shot but is no hit, judged at the
    // shot's step as the server does (it is drawn with its ring till then).
    const auto it = std::find_if(interpolator_->drawn().begin(), interpolator_->drawn().end(),
                                 [&](const sim::Player& p) { return victim && p.id == *victim; });
    if (it != interpolator_->drawn().end() && tick < it->protected_until_tick) return std::nullopt;
    return victim;
}

void GameClient::send_inputs() {
    protocol::InputPacket packet;
    packet.ack_snapshot_tick = newest_snapshot_;
    for (auto it = unacked_.rbegin(); it != unacked_.rend() && packet.inputs.size() < protocol::kMaxInputsPerPacket;
         ++it)
        packet.inputs.push_back(*it);
    if (packet.inputs.empty()) return;
    host_->send(peer_, net::kUnreliableChannel, protocol::encode_input_packet(packet));
    figures_.count_input_packet();
    host_->flush();
}

void GameClient::send_ack(util::TimePoint now) {
    constexpr auto kAckRefresh = std::chrono::milliseconds(250);
    if (newest_snapshot_ == 0 || (newest_snapshot_ <= acked_sent_ && now < next_ack_)) return;
    acked_sent_ = newest_snapshot_;
    next_ack_ = now + kAckRefresh;
    protocol::InputPacket packet;
    packet.ack_snapshot_tick = newest_snapshot_;
    host_->send(peer_, net::kUnreliableChannel, protocol::encode_input_packet(packet));
    host_->flush();
}

// --- view ---------------------------------------------------------------------------

void GameClient::build_view(util::TimePoint now, double frame_s) {
    const bool drawing = view_.state == ConnectionState::InMatch && interpolator_ && interpolator_->ready();
    if (host_ && peer_.valid()) figures_.sample_peer(host_->peer_stats(peer_));
    if (drawing) figures_.sample_pipeline(*interpolator_, *clock_);
    view_.stats = figures_.stats();
    view_.spectators.assign(spectators_.begin(), spectators_.end());
    effects_.age(frame_s);
    effects_.show(view_);
    rewinds_.age(frame_s);
    rewinds_.show(view_);
    if (!drawing) return;

    view_.server_tick = clock_->server_tick_estimate(now);
    if (rules_.time_limit_s > 0)
        view_.time_left_s = std::max(0.0, rules_.time_limit_s - view_.server_tick / rules_.tick_rate_hz);

    const protocol::SnapshotState* latest = latest_snapshot();
    view_.players.clear();
    view_.latest_received.clear();
    view_.server_ghost.reset();
    const sim::PlayerId self = view_.local_id;
    for (const sim::Player& p : interpolator_->drawn()) {
        if (p.id == self) continue;
        view_.players.push_back({p.id, name_of(p.id), false, p});
    }
    view_.latest_received_tick = latest ? newest_snapshot_ : 0;
    if (latest) {
        for (const sim::Player& p : latest->players) {
            if (p.id == self) view_.server_ghost = p.position;
            else view_.latest_received.emplace_back(p.id, p.position);
        }
    }
    // The local player: predicted (and smoothed), or the server's latest word.
    std::optional<sim::Player> local;
    if (view_.spectating) return;
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
