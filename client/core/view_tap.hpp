// client/core/view_tap.hpp
//
// What a GameClient shows a listener as it plays, in plain values: the match
// it was accepted into, each snapshot it decoded, each input it made (with
// its prediction and, when the rifle fired, where it had the targets), and
// each frame's view. ViewRecording (view_recording.hpp) writes these to a
// view file; the bots use it, and the desktop client's --record-view will.
//
// IMPORTANT: called on the GameClient's thread, inside update(); the tap must
// outlive the GameClient it is set on (or be unset first).
#pragma once

#include "client/core/client_view.hpp"
#include "shared/protocol/control_codec.hpp"
#include "shared/protocol/input_codec.hpp"
#include "shared/protocol/snapshot_codec.hpp"
#include "shared/util/clock.hpp"

#include <vector>

namespace skirmish::client {

class ViewTap {
public:
    virtual ~ViewTap() = default;
    virtual void accepted(const protocol::Accepted& accepted, util::TimePoint now) = 0;
    virtual void snapshot(const protocol::SnapshotHeader& header, const protocol::SnapshotState& state,
                          util::TimePoint arrival) = 0;
    // `predicted`: our state after this input, if predicting. `shot_targets`:
    // when the predicted rifle fired, everyone else as interpolated then.
    virtual void input(const protocol::TickInput& input, const sim::Player* predicted,
                       const std::vector<sim::Player>* shot_targets, util::TimePoint now) = 0;
    // After every update in a match, with the view as built and the render tick.
    virtual void frame(const ClientView& view, double render_tick, util::TimePoint now) = 0;
};

} // namespace skirmish::client
