// client/core/game_client.hpp
//
// One player's (or spectator's) connection to a match, without any display:
// what the desktop client and every bot run. connect() with the ticket the lobby gave, then
// call update() every frame with what the player wants to do; view() is the
// result. Inside: the ENet connection (token first), snapshot decoding
// against held baselines, the input clock, prediction and reconciliation of
// the local player, interpolation of everyone else. The net figures
// (NetFigures), the shot and hit effects (Effects), the agreement of the
// shots the player saw hit with the server's verdicts (HitAgreement) and how
// smoothly the others are drawn (RemoteSmoothness) are counted beside it.
//
//   update(now, intent):
//       network → each snapshot: decode → store baseline → prune acked inputs
//                 → clock → interpolate → reconcile
//       input clock → one input per new tick: predict, send with redundancy
//                     (a spectator: an acknowledgement of each new snapshot)
//       build the view
//
// IMPORTANT: one thread per GameClient; time comes in as values. Bytes from
// the server are untrusted: decoded and range-checked, dropped on error.
#pragma once

#include "client/core/client_view.hpp"
#include "client/core/clock_sync.hpp"
#include "client/core/effects.hpp"
#include "client/core/hit_agreement.hpp"
#include "client/core/interpolation.hpp"
#include "client/core/net_figures.hpp"
#include "client/core/prediction.hpp"
#include "client/core/remote_smoothness.hpp"
#include "client/core/shot_rewinds.hpp"
#include "client/core/view_tap.hpp"
#include "shared/net/enet_host.hpp"
#include "shared/protocol/control_codec.hpp"
#include "shared/protocol/input_codec.hpp"
#include "shared/util/log.hpp"
#include "shared/util/ring_buffer.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace skirmish::client {

// Where to connect and what to present: MatchStart from the lobby.
struct MatchTicket {
    std::string address;
    std::uint16_t port = 0;
    std::vector<std::uint8_t> token;
    // Our own name, for the view (the server names everyone else with PlayerJoined).
    std::string name;
};

// What the player wants this frame.
struct InputIntent {
    std::int8_t move_x = 0; // -127..127
    std::int8_t move_y = 0;
    std::uint16_t aim = 0;  // 1/4096 turns
    bool fire = false;
    bool dash = false;
};

struct ClientOptions {
    PredictionOptions prediction;
    InterpolationOptions interpolation;
    std::chrono::milliseconds connect_timeout{5000};
    // The server is gone after this long without a word from it (net::HostConfig).
    std::uint32_t silence_timeout_ms = net::kDefaultSilenceTimeoutMs;
    std::uint32_t reliable_timeout_ms = net::kDefaultReliableTimeoutMs;
    // RTT samples: ENet only pings an idle link, and a match link never is.
    std::chrono::milliseconds ping_interval{500};
    // Decode range-coded datagrams from the server (its --range-coder, on by
    // default; a decoding client works with it off too). A client never
    // compresses what it sends.
    bool range_coder = true;
    // Input packets a second (--input-rate): 0 sends one every tick; less
    // than the match's tick rate sends every tick_rate/input_rate ticks
    // (rounded, 1 to 8), each packet carrying the inputs of the ticks
    // since the last, as Source's cl_cmdrate does. Fewer datagrams, fewer
    // bytes and less CPU at both ends; an input waits up to that many ticks
    // minus one before it leaves (docs/NETCODE.md, "Input packet rate").
    int input_rate_hz = 0;
};

// Ticks between input packets for these options at this tick rate: 1 for
// 0, else tick_rate / input_rate rounded, at most kMaxInputPeriodTicks (a
// packet holds 16 inputs, and one update may make 8 after a stall).
inline constexpr int kMaxInputPeriodTicks = 8;
// How often update() services a socket its caller says is quiet.
inline constexpr auto kQuietServiceInterval = std::chrono::milliseconds(50);
int input_period_ticks(int input_rate_hz, int tick_rate_hz) noexcept;

class GameClient {
public:
    GameClient(const net::EnetLibrary& enet, ClientOptions options, util::Logger log);
    ~GameClient();

    util::Result<util::Ok, std::string> connect(const MatchTicket& ticket, util::TimePoint now);
    // One frame: the network, inputs due, the view. `socket_quiet`: the caller
    // knows nothing waits on socket_fd() (a readiness poll over many clients
    // said so), so the frame skips reading it; it is still serviced every
    // kQuietServiceInterval (ENet's timeouts, silence) and inputs still go out.
    void update(util::TimePoint now, const InputIntent& intent, bool socket_quiet = false);
    // The game connection's UDP socket (-1: none), for such a readiness poll.
    int socket_fd() const noexcept;
    // Says goodbye (Leave, then an ENet disconnect) and lets it go out.
    void leave();

    ConnectionState state() const noexcept { return view_.state; }
    const ClientView& view() const noexcept { return view_; }
    const NetStats& stats() const noexcept { return figures_.stats(); }

    // Shows what this client sees and does to `tap` (null: nobody). Not owned.
    void set_view_tap(ViewTap* tap) noexcept { view_tap_ = tap; }

    void set_prediction(const PredictionOptions& options);
    void set_interpolation(const InterpolationOptions& options);
    // The study panel's local desync: Predictor::nudge() (0 when not predicting).
    float nudge_prediction(sim::Vec2 by) { return predictor_ && options_.prediction.enabled ? predictor_->nudge(by) : 0.0f; }
    const ClientOptions& options() const noexcept { return options_; }
    // The UDP port this client's connection uses (0 before connect()).
    std::uint16_t local_port() const noexcept { return host_ ? host_->port() : 0; }

    // --- for tests, bots and the study overlays ---
    const Predictor* predictor() const noexcept { return predictor_.get(); }
    const Interpolator* interpolator() const noexcept { return interpolator_.get(); }
    const ClientClock* clock() const noexcept { return clock_.get(); }
    const protocol::SnapshotState* latest_snapshot() const noexcept;
    sim::Tick last_applied_input_tick() const noexcept { return server_last_input_; }
    const std::deque<SnapshotArrival>& arrivals() const noexcept { return figures_.arrivals(); }
    std::uint64_t shots_fired() const noexcept { return shots_fired_; }
    std::uint64_t hits_confirmed() const noexcept { return effects_.hits_confirmed(); }
    std::uint64_t inputs_generated() const noexcept { return inputs_generated_; }
    const HitCounts& hit_counts() const noexcept { return hit_agreement_.counts(); }
    const SmoothnessCounts& smoothness() const noexcept { return smoothness_.counts(); }
    const util::Histogram& correction_units() const noexcept { return figures_.correction_units(); }
    void restart_correction_units() noexcept { figures_.restart_correction_units(); }
    // Inputs in each packet sent: every one the server has not confirmed holding (about a round trip's worth).
    std::size_t inputs_per_packet() const noexcept { return std::min(unacked_.size(), protocol::kMaxInputsPerPacket); }

private:
    void handle_control(std::span<const std::uint8_t> bytes, util::TimePoint now);
    void on_accepted(const protocol::Accepted& accepted, util::TimePoint now);
    void handle_snapshot(std::span<const std::uint8_t> bytes, util::TimePoint now);
    void reconcile(const protocol::SnapshotState& snapshot);
    void generate_inputs(util::TimePoint now, const InputIntent& intent);
    void send_inputs();
    // A spectator's InputPacket: no inputs, the newest snapshot acknowledged;
    // at each new snapshot, and again after kAckRefresh without one (a lost
    // ack of the final snapshot would otherwise never be repeated).
    void send_ack(util::TimePoint now);
    // Whom a shot of `shooter` at step `tick` hits among the others as drawn
    // this frame (nobody when it stops at a spawn-protected player).
    std::optional<sim::PlayerId> seen_victim(const sim::Player& shooter, sim::Tick tick) const;
    void build_view(util::TimePoint now, double frame_s);
    void disconnected(std::string status);
    std::string name_of(sim::PlayerId id) const;

    const net::EnetLibrary& enet_;
    ClientOptions options_;
    util::Logger log_;
    std::unique_ptr<net::EnetHost> host_;
    net::PeerHandle peer_;
    MatchTicket ticket_;
    util::TimePoint connect_started_{};
    util::TimePoint last_update_{};
    util::TimePoint next_ping_{};
    bool have_last_update_ = false;
    util::TimePoint next_quiet_service_{}; // when a quiet socket is serviced anyway

    // From Accepted.
    std::shared_ptr<const sim::Map> map_;
    sim::Rules rules_;
    int snapshot_interval_ = 2;
    std::map<sim::PlayerId, std::string> names_;
    std::map<sim::PlayerId, std::string> spectators_;
    sim::Tick acked_sent_ = 0; // a spectator's newest acknowledgement sent
    util::TimePoint next_ack_{};

    std::unique_ptr<ClientClock> clock_;
    std::unique_ptr<Interpolator> interpolator_;
    std::unique_ptr<Predictor> predictor_;

    util::SequenceRing<protocol::SnapshotState> baselines_{64};
    sim::Tick newest_snapshot_ = 0;
    sim::Tick server_last_input_ = 0;
    sim::Tick next_input_tick_ = 0;
    bool inputs_started_ = false;
    int input_period_ = 1;        // ticks between input packets (input_period_ticks())
    int inputs_unsent_ = 0;       // inputs made since the last packet
    std::deque<protocol::TickInput> unacked_;

    NetFigures figures_;
    Effects effects_;
    HitAgreement hit_agreement_;
    RemoteSmoothness smoothness_;
    ShotRewinds rewinds_;
    double handshake_rtt_ms_ = 1000;
    std::uint64_t shots_fired_ = 0, inputs_generated_ = 0;
    std::string rejection_;
    std::string shutdown_text_;

    ClientView view_;
    ViewTap* view_tap_ = nullptr;
};

} // namespace skirmish::client
