// server/game/input_buffer.cpp
#include "server/game/input_buffer.hpp"

#include <algorithm>

namespace skirmish::server {

InputBuffer::InputBuffer(sim::Tick window) : slots_(std::max<sim::Tick>(window, 2)) {}

void InputBuffer::offer(const protocol::TickInput& in, sim::Tick next_tick) {
    // Late or early, the newest tick seen is what the client's clock needs to
    // hear about (snapshots report it as the input lead).
    newest_ = std::max(newest_, in.tick);
    Slot& slot = slots_[in.tick % slots_.size()];
    if (slot.state != SlotState::Empty && slot.tick == in.tick) {
        ++counters_.redundant; // already have it, or already stepped with it
        return;
    }
    if (in.tick < next_tick) {
        ++counters_.late;
        return;
    }
    if (in.tick - next_tick >= slots_.size()) {
        ++counters_.too_early;
        return;
    }
    slot.tick = in.tick;
    slot.state = SlotState::Stored;
    slot.input = in.input;
    ++counters_.received;
}

sim::Tick InputBuffer::held_through(sim::Tick next_tick) const noexcept {
    sim::Tick t = next_tick;
    for (std::size_t n = 0; n < slots_.size(); ++n, ++t) {
        const Slot& slot = slots_[t % slots_.size()];
        if (slot.state != SlotState::Stored || slot.tick != t) break;
    }
    return t == 0 ? 0 : t - 1;
}

sim::PlayerInput InputBuffer::take(sim::Tick tick) {
    Slot& slot = slots_[tick % slots_.size()];
    if (slot.state == SlotState::Stored && slot.tick == tick) {
        slot.state = SlotState::Applied;
        last_ = slot.input;
        last_applied_ = tick;
        ++counters_.applied;
        return last_;
    }
    ++counters_.repeated;
    if (last_applied_ != 0 || counters_.applied != 0) ++counters_.lost;
    return last_;
}

} // namespace skirmish::server
