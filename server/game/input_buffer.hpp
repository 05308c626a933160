// server/game/input_buffer.hpp
//
// One player's inputs keyed by the tick they are for: what absorbs network
// jitter between the client's send and the server's step. Redundant copies
// (every packet repeats the unacknowledged inputs) are recognised and
// counted; an input for a tick already simulated is dropped and counted; a
// tick with no input repeats the last one. One input is consumed per tick,
// so sending more inputs never makes a player faster.
//
// IMPORTANT: tick thread only. Ticks come from the network: offer() range-
// checks them against the window around the tick being simulated.
#pragma once

#include "shared/protocol/input_codec.hpp"
#include "shared/sim/input.hpp"
#include "shared/util/ring_buffer.hpp"

#include <cstdint>

namespace skirmish::server {

struct InputCounters {
    std::uint64_t received = 0;   // distinct inputs stored
    std::uint64_t redundant = 0;  // copies of inputs already stored or applied (redundancy doing its job)
    std::uint64_t late = 0;       // first arrival for a tick already simulated: lost, dropped
    std::uint64_t too_early = 0;  // beyond the buffer window: dropped
    std::uint64_t applied = 0;    // ticks stepped with the player's own input
    std::uint64_t repeated = 0;   // ticks stepped with the last input repeated (input missing)
    std::uint64_t lost = 0;       // the part of `repeated` after the player's first input:
                                  // every copy of that tick's input was lost or came too late
};

class InputBuffer {
public:
    // window: how many ticks ahead of the simulation an input may arrive.
    explicit InputBuffer(sim::Tick window = 64);

    // Stores an input that arrived while `next_tick` is the next tick to simulate.
    void offer(const protocol::TickInput& input, sim::Tick next_tick);

    // The input to step `tick` with (the stored one, else the last one repeated).
    // Call once per tick, in increasing tick order.
    sim::PlayerInput take(sim::Tick tick);
    // Where take()'s last input came from (what a demo records with it).
    enum class Source : std::uint8_t { Own, Repeated, None };
    Source last_source() const noexcept { return last_source_; }

    // Newest tick an input has arrived for, kept or not (0: none yet).
    sim::Tick newest_tick() const noexcept { return newest_; }
    // Newest tick stepped with an input of the player's own (0: none yet).
    sim::Tick last_applied_tick() const noexcept { return last_applied_; }
    // The newest tick T such that the server holds (or has applied) the input
    // of every tick from `next_tick` to T: the client need not resend those.
    // next_tick - 1 when the next one is missing.
    sim::Tick held_through(sim::Tick next_tick) const noexcept;
    const InputCounters& counters() const noexcept { return counters_; }

private:
    struct Held {
        sim::PlayerInput input;
        bool applied = false; // stepped with already; kept so a late copy counts as redundant
    };
    util::SequenceRing<Held> held_; // by tick
    sim::Tick newest_ = 0;
    sim::Tick last_applied_ = 0;
    sim::PlayerInput last_;
    Source last_source_ = Source::None;
    InputCounters counters_;
};

} // namespace skirmish::server
