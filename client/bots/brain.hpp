// client/bots/brain.hpp
//
// What a bot does, from what it sees: wander between random points of the
// arena, face the nearest enemy in sight (with a little aim error and a short
// reaction time, so matches last), fire when one is in sight, dash now and
// then. Reads a ClientView, writes an InputIntent: the same inputs a person
// gives, so the server does real work.
//
// IMPORTANT: randomness comes from the bot's own seeded Rng; time as a value.
#pragma once

#include "client/core/client_view.hpp"
#include "client/core/game_client.hpp"
#include "shared/util/rng.hpp"

namespace skirmish::bots {

class Brain {
public:
    explicit Brain(std::uint64_t seed) : rng_(seed) {}
    client::InputIntent think(const client::ClientView& view, double dt_s);

private:
    util::Rng rng_;
    sim::Vec2 waypoint_{};
    bool have_waypoint_ = false;
    double waypoint_age_s_ = 0;
    double sighted_s_ = 0;       // how long the current target has been in sight
    sim::PlayerId target_{};
    float aim_error_ = 0;        // radians, re-drawn for each new target
    double dash_in_s_ = 2;
};

} // namespace skirmish::bots
