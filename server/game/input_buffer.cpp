// server/game/input_buffer.cpp
#include "server/game/input_buffer.hpp"

#include <algorithm>

namespace skirmish::server {

InputBuffer::InputBuffer(sim::Tick window) : held_(std::max<sim::Tick>(window, 2)) {}

void InputBuffer::offer(const protocol::TickInput& in, sim::Tick next_tick) {
    // Late or early, the newest tick seen is what the client's clock needs to
    // hear about (snapshots report it as the input lead).
    newest_ = std::max(newest_, in.tick);
    if (held_.contains(in.tick)) {
        ++counters_.redundant; // already have it, or already stepped with it
        return;
    }
    if (in.tick < next_tick) {
        ++counters_.late;
        return;
    }
    if (in.tick - next_tick >= held_.capacity()) {
        ++counters_.too_early;
        return;
    }
    held_.put(in.tick, Held{in.input, false});
    ++counters_.received;
}

sim::Tick InputBuffer::held_through(sim::Tick next_tick) const noexcept {
    sim::Tick t = next_tick;
    for (std::size_t n = 0; n < held_.capacity(); ++n, ++t) {
        const Held* held = held_.find(t);
        if (!held || held->applied) break;
    }
    return t == 0 ? 0 : t - 1;
}

sim::PlayerInput InputBuffer::take(sim::Tick tick) {
    Held* held = held_.find(tick);
    if (held && !held->applied) {
        held->applied = true;
        last_ = held->input;
        last_applied_ = tick;
        ++counters_.applied;
        last_source_ = Source::Own;
        return last_;
    }
    ++counters_.repeated;
    const bool had_one = last_applied_ != 0 || counters_.applied != 0;
    if (had_one) ++counters_.lost;
    last_source_ = had_one ? Source::Repeated : Source::None;
    return last_;
}

} // namespace skirmish::server
