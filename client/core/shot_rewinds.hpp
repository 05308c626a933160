// client/core/shot_rewinds.hpp
//
// The study view of lag compensation: for each of our shots the server
// judged (protocol::ShotJudged), the target where the server checked it
// (rewound to what we saw, with lag compensation) beside where we drew it
// when prediction fired the shot. The server tells us its side: our own
// snapshots come every few ticks and its history every tick, so the client
// could only approximate what the server did between them.
//
// IMPORTANT: presentation only; bounded (kMaxShots remembered, kMaxShown
// shown); time comes in as frame durations.
#pragma once

#include "client/core/client_view.hpp"
#include "shared/protocol/control_codec.hpp"

#include <deque>
#include <vector>

namespace skirmish::client {

class ShotRewinds {
public:
    static constexpr double kLifetimeS = 1.5;
    static constexpr std::size_t kMaxShots = 32; // our shots awaiting a judgement
    static constexpr std::size_t kMaxShown = 8;

    // Prediction fired our input of `tick`; `others`: everyone else as drawn then.
    void fired(sim::Tick tick, const std::vector<sim::Player>& others);
    // The server's word on the shot of judged.tick; `rewind_ms` from its rewind ticks.
    void judged(const protocol::ShotJudged& judged, int tick_rate_hz);
    void age(double frame_s);
    void show(ClientView& view) const;
    void clear();

private:
    struct Fired {
        sim::Tick tick = 0;
        std::vector<sim::Player> others;
    };
    std::deque<Fired> fired_;
    std::deque<ShotRewind> shown_;
};

} // namespace skirmish::client
