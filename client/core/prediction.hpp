// client/core/prediction.hpp
//
// Client-side prediction of the local player with the same shared/sim step
// the server runs, and reconciliation when the server's word arrives:
//   1. every local input is applied at once and kept, by tick;
//   2. a snapshot of tick S says where the server had us after its step S-1;
//      if that differs from what we had predicted for S, rewind to it and
//      replay our inputs for S .. now (they are still ours, still in order);
//   3. the visible position keeps an offset that absorbs the jump and decays
//      over ~100 ms (reconciliation smoothing), unless the jump is a teleport.
// The predicted world holds only the local player: other players are drawn
// interpolated, and bumping into them shows up as a (smoothed) correction.
// Respawns are not predicted (the server picks the spawn furthest from the
// others): a dead player stays dead until a snapshot shows it back.
//
// IMPORTANT: tick order matters: apply() ticks are consecutive.
#pragma once

#include "shared/protocol/snapshot_codec.hpp"
#include "shared/sim/input.hpp"
#include "shared/sim/step.hpp"
#include "shared/util/clock.hpp"
#include "shared/util/ring_buffer.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace skirmish::client {

struct PredictionOptions {
    bool enabled = true;     // off: the local player is drawn where the server last said
    bool smoothing = true;   // off: corrections snap
    double smoothing_time_constant_s = 0.1;
    float teleport_distance = 96.0f; // corrections this large are snapped even with smoothing
};

struct Correction {
    bool happened = false;
    float distance = 0.0f; // between the old and the new prediction of the current tick
    // Caused by other players, whom prediction does not simulate: the server
    // has us killed, or another living player within kTouchMarginUnits of
    // touching us (a collision pushed us) in the snapshot that corrected us.
    // Otherwise the network: an input of ours that came late or not at all.
    bool by_players = false;
};

class Predictor {
public:
    // How far apart two players' edges may be in a snapshot for a correction
    // to count as a collision: what two players running apart at full speed
    // cover in the two ticks after touching.
    static constexpr float kTouchMarginUnits = 20.0f;

    Predictor(std::shared_ptr<const sim::Map> map, const sim::Rules& rules, sim::PlayerId self,
              PredictionOptions options);

    void set_options(const PredictionOptions& options) { options_ = options; }
    const PredictionOptions& options() const noexcept { return options_; }

    // Applies our input for `tick` (the next tick of the predicted world).
    // Returns what the step produced (our shots, for immediate tracers).
    sim::StepEvents apply(sim::Tick tick, const sim::PlayerInput& input);

    // The server's state at snapshot.tick. Reconciles if we had predicted
    // something else there. Returns the correction, if any.
    Correction reconcile(const protocol::SnapshotState& snapshot);

    // Decays the smoothing offset over `seconds` of real time.
    void decay(double seconds);

    // A local desync, for the study panel: moves the predicted player by `by`
    // (sliding along walls, quantised as the sim keeps positions) as if it had
    // mispredicted. The server never hears of it, so the first snapshot of a
    // tick predicted after this disagrees and reconcile() corrects it,
    // smoothed or snapped by the options. Returns how far it moved (0 before
    // the first snapshot, or against a wall).
    float nudge(sim::Vec2 by);

    bool ready() const noexcept { return have_state_; }
    sim::Tick tick() const noexcept { return world_.tick; }
    const sim::Player* predicted() const noexcept;
    // The predicted position plus the smoothing offset: what is drawn.
    sim::Vec2 visual_position() const noexcept;
    sim::Vec2 smoothing_offset() const noexcept { return offset_; }
    // What we predicted for ourselves at `tick` (after the input of tick - 1), if held.
    std::optional<sim::Player> predicted_at(sim::Tick tick) const;
    const sim::Rules& rules() const noexcept { return rules_; }

private:
    struct Frame {
        sim::PlayerInput input;
        sim::Player result; // our state after stepping this tick's input (i.e. at tick + 1)
    };
    // Steps the predicted world by one tick with `input` and remembers both.
    sim::StepEvents step_and_keep(const sim::PlayerInput& input);

    sim::Rules rules_;
    sim::PlayerId self_;
    PredictionOptions options_;
    sim::World world_;
    bool have_state_ = false;
    util::SequenceRing<Frame> frames_{256}; // by tick
    sim::Vec2 offset_{};
};

} // namespace skirmish::client
