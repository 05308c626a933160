// client/core/hit_agreement.hpp
//
// Hit agreement: of the shots a player saw hit (tested against what it drew,
// the moment prediction fired them), how many the server also counted as hits.
// The server's verdict is read from snapshots, exactly: our own player's
// next_fire_tick says when the server last fired (it is set to the firing
// tick plus the cooldown), and its hits counter says whether that shot hit.
// Between two snapshots at most one shot fits when they are no more than a
// cooldown apart; wider gaps (several snapshots lost in a row) leave their
// shots unresolved rather than guessed. Shots are matched by input tick: the
// server fires our input of tick T at its step T, or not at all (the input
// came late or was lost and the server repeated an older one, or it had us
// dead), and then the shot it fired instead is another one.
//
// Why a shot seen to hit was refused is told from the same snapshots: a dead
// player's respawn_tick gives the tick it died, so a target killed, or a
// shooter killed, after the view and before the shot is known (a target our
// own confirmed hit killed on its death tick is told apart: overkill). The
// counter says whether a shot hit, not whom: a shot seen to hit one player
// that the server had hit another counts as agreement.
//
// IMPORTANT: pure: ticks and states come in, nothing reads a clock or a socket.
// Bounded: at most kMaxPending shots of either side wait for their match.
#pragma once

#include "shared/sim/types.hpp"
#include "shared/sim/world.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <vector>

namespace skirmish::client {

struct HitCounts {
    std::uint64_t shots = 0;                 // shots prediction fired, resolved or not
    std::uint64_t client_hits = 0;           // resolved shots the player saw hit someone
    std::uint64_t confirmed_client_hits = 0; // of those, the server's shot of the same tick hit too
    std::uint64_t phantom_hits = 0;          // server hits of shots the player saw miss, or never fired
    std::uint64_t unresolved = 0;            // shots whose verdict the snapshots cannot tell
    // Why client hits went unconfirmed; these add up to client_hits - confirmed_client_hits.
    std::uint64_t target_died_first = 0;  // the target had been killed before the shot's tick (by anyone)
    std::uint64_t shooter_died_first = 0; // another player had killed us before the shot's tick
    std::uint64_t input_not_applied = 0;  // the server did not step that tick with our input (late, lost)
    std::uint64_t server_missed = 0;      // the server fired that tick at a live target and missed:
                                          // it looked elsewhere (rewind cap, or positions between snapshots)
    // Of target_died_first, the targets our own earlier shot had killed (a
    // confirmed hit of ours on the tick it died): overkill the view could not
    // show yet, the rest another player's kill.
    std::uint64_t target_killed_by_us = 0;

    double agreement_pct() const noexcept {
        return client_hits ? 100.0 * static_cast<double>(confirmed_client_hits) / static_cast<double>(client_hits)
                           : 0.0;
    }
    // The same, leaving out the kill races (the target or the shooter killed
    // between the view and the shot's step, which no rewind can agree with):
    // how well lag compensation put the targets where the player saw them.
    double unraced_agreement_pct() const noexcept {
        const std::uint64_t unraced = client_hits - target_died_first - shooter_died_first;
        return unraced ? 100.0 * static_cast<double>(confirmed_client_hits) / static_cast<double>(unraced) : 0.0;
    }
    HitCounts& operator+=(const HitCounts& other) noexcept;
};

class HitAgreement {
public:
    static constexpr std::size_t kMaxPending = 256;
    static constexpr std::size_t kMaxPlayers = 64; // deaths remembered for this many players

    // The rifle's cooldown and the respawn delay, in ticks (Rules::ticks()).
    explicit HitAgreement(sim::Tick cooldown_ticks = 12, sim::Tick respawn_delay_ticks = 120);

    // Prediction fired our input of `tick`, made looking at `view_tick`;
    // `seen`: whom the player saw it hit (nullopt: a miss).
    void fired(sim::Tick tick, sim::Tick view_tick, std::optional<sim::PlayerId> seen);
    // Every input before `tick` has been made: a tick below it without a
    // fired() call had no shot of ours.
    void inputs_through(sim::Tick tick);
    // A snapshot newer than every one before: its tick and everyone in it.
    void snapshot(sim::Tick tick, std::span<const sim::Player> players, sim::PlayerId self);

    const HitCounts& counts() const noexcept { return counts_; }

private:
    struct ClientShot {
        sim::Tick tick = 0;
        sim::Tick view_tick = 0;
        std::optional<sim::PlayerId> seen;
    };
    struct ServerShot {
        sim::Tick tick = 0;
        bool hit = false;
        bool matched = false;
    };
    struct Span {
        sim::Tick from = 0, to = 0; // [from, to): server shots not known one by one
    };
    struct Confirmed {
        sim::Tick tick = 0;
        sim::PlayerId victim{};
    };
    struct Death {
        sim::PlayerId id{};
        sim::Tick died = 0;       // the step that killed it
        sim::Tick respawn = 0;    // the first tick it is alive again
    };
    // What the server fired in [from, tick), from our player in the snapshot of `tick`.
    void infer(sim::Tick from, sim::Tick tick, const sim::Player& self);
    void remember_deaths(std::span<const sim::Player> players);
    // Whether the server had `id` dead when it stepped `tick`, killed at or after `since`.
    bool dead_at(sim::PlayerId id, sim::Tick tick, sim::Tick since) const noexcept;
    // Whether `id`'s latest death was on the tick of a confirmed hit of ours on it.
    bool killed_by_us(sim::PlayerId id) const noexcept;
    void judge(const ClientShot& shot, const ServerShot* server);
    void resolve();
    bool blind(sim::Tick tick) const noexcept;

    sim::Tick cooldown_;
    sim::Tick respawn_delay_;
    HitCounts counts_;
    sim::PlayerId self_{};
    std::deque<ClientShot> client_; // by tick
    std::deque<ServerShot> server_; // by tick
    std::deque<Span> blind_;        // by tick
    std::vector<Death> deaths_;     // the latest death of each player seen dead
    std::deque<Confirmed> confirmed_; // our latest confirmed hits, by tick
    sim::Tick client_through_ = 0;  // our shots are known for ticks below this
    sim::Tick server_through_ = 0;  // the server's shots are known below this (outside blind_)
    bool have_previous_ = false;
    sim::Tick previous_tick_ = 0;
    sim::Tick previous_fire_ = 0;
    int previous_hits_ = 0;
};

} // namespace skirmish::client
