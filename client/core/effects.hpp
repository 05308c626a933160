// client/core/effects.hpp
//
// What the view shows of shots and hits. Snapshots carry states, not events,
// so the effects are rebuilt from differences: a tracer for our own shot the
// moment prediction fires it; a tracer for anyone else when a snapshot shows
// their rifle's cooldown moved on since the previous one; the hit marker when
// our server-counted hits go up (after lag compensation: a confirmed hit); the
// damage flash when our health goes down while alive in both. The kill feed
// comes from the control channel. Each lives a short while, then expires.
//
// IMPORTANT: presentation only: nothing here feeds prediction, the clock or
// the figures sent anywhere. Time comes in as frame durations.
#pragma once

#include "client/core/client_view.hpp"
#include "shared/protocol/snapshot_codec.hpp"

#include <cstdint>
#include <memory>
#include <vector>

namespace skirmish::client {

class Effects {
public:
    static constexpr double kTracerLifetimeS = 0.25;
    static constexpr double kKillFeedLifetimeS = 6.0;
    static constexpr std::size_t kKillFeedMax = 5;

    // The arena, from Accepted: tracers stop at walls and at the first living player.
    void set_arena(std::shared_ptr<const sim::Map> map, const sim::Rules& rules);

    // Two consecutive snapshots (`previous` null for the first): our hits and
    // damage, everyone else's shots.
    void compare(const protocol::SnapshotState* previous, const protocol::SnapshotState& next, sim::PlayerId self);
    // Our shot, as prediction fired it, against the others as they are drawn.
    void local_shot(const sim::Player& self, const std::vector<sim::Player>& others);
    void add_kill(KillNotice notice);

    // Ages everything by `frame_s` and drops what has expired.
    void age(double frame_s);
    // Puts the tracers, the kill feed and the flash timers into `view`.
    void show(ClientView& view) const;

    const std::vector<Tracer>& tracers() const noexcept { return tracers_; }
    std::uint64_t hits_confirmed() const noexcept { return hits_confirmed_; }

private:
    void add_tracer(sim::PlayerId shooter, sim::Vec2 from, std::uint16_t aim, bool local,
                    const std::vector<sim::Player>& targets);

    std::shared_ptr<const sim::Map> map_;
    sim::Rules rules_;
    std::vector<Tracer> tracers_;
    std::vector<KillNotice> kill_feed_;
    double since_hit_confirm_s_ = 1e9;
    double since_damage_taken_s_ = 1e9;
    std::uint64_t hits_confirmed_ = 0;
};

} // namespace skirmish::client
