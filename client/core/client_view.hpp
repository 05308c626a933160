// client/core/client_view.hpp
//
// What the client core produces for whoever shows it: a plain value with the
// local player predicted, everyone else interpolated, what just happened, the
// net figures, and the raw positions the study overlays draw. The desktop
// client draws it; the bots read it to decide what to do.
#pragma once

#include "client/core/net_stats.hpp"
#include "shared/protocol/match_types.hpp"
#include "shared/sim/map.hpp"
#include "shared/sim/rules.hpp"
#include "shared/sim/world.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace skirmish::client {

enum class ConnectionState : std::uint8_t { Idle, Connecting, AwaitingAccept, InMatch, Disconnected };

struct ViewPlayer {
    sim::PlayerId id{};
    std::string name;
    bool local = false;
    sim::Player state; // position: predicted+smoothed (local) or interpolated (others)
};

struct Tracer {
    sim::PlayerId shooter{};
    sim::Vec2 from;
    sim::Vec2 to;
    double age_s = 0;
    bool local = false; // predicted by us, not yet confirmed
};

// One of our shots as the server judged it (ShotJudged): the target where the
// server checked it, and where we drew it when we fired.
struct ShotRewind {
    std::uint32_t tick = 0;
    sim::PlayerId target_id{};
    sim::Vec2 server_at;
    std::optional<sim::Vec2> seen_at; // unknown if prediction did not fire it (off, or not ready)
    double rewind_ms = 0;
    bool hit = false;
    double age_s = 0;
};

struct KillNotice {
    sim::PlayerId killer{};
    sim::PlayerId victim{};
    std::string killer_name;
    std::string victim_name;
    double age_s = 0;
};

struct ClientView {
    ConnectionState state = ConnectionState::Idle;
    std::string status; // for a person: why it disconnected, what to try

    sim::PlayerId local_id{};
    protocol::MatchId match_id{};
    // Watching (Accepted.spectator): local_id has no entity, every player is
    // interpolated and nothing we do reaches the match.
    bool spectating = false;
    // Who watches the match (us too, when spectating), by id: for the scoreboard.
    std::vector<std::pair<sim::PlayerId, std::string>> spectators;
    std::shared_ptr<const sim::Map> map;
    sim::Rules rules;
    protocol::MatchSettings settings;
    sim::MatchPhase phase = sim::MatchPhase::Running;
    double time_left_s = 0;
    double server_tick = 0; // estimate, fractional

    std::vector<ViewPlayer> players;
    const ViewPlayer* local() const {
        for (const auto& p : players) {
            if (p.local) return &p;
        }
        return nullptr;
    }

    // Study overlays: where the server last said we were (the ghost), and
    // where the newest snapshot has everyone (vs the interpolated positions).
    std::optional<sim::Vec2> server_ghost;
    std::vector<std::pair<sim::PlayerId, sim::Vec2>> latest_received;
    std::uint32_t latest_received_tick = 0; // the newest snapshot's server tick (0: none yet)
    std::vector<ShotRewind> rewinds;         // our last shots as the server judged them, newest last

    std::vector<Tracer> tracers;
    std::vector<KillNotice> kill_feed;
    double since_hit_confirm_s = 1e9;  // our last server-confirmed hit
    double since_damage_taken_s = 1e9;
    std::optional<protocol::MatchResults> results;

    NetStats stats;
};

} // namespace skirmish::client
