// shared/util/ring_buffer.hpp
//
// A fixed-capacity ring keyed by a monotonically increasing sequence number
// (a tick, an input sequence). Slot = seq % Capacity; a slot remembers which seq
// it holds, so a lookup of a sequence that was overwritten or never stored
// returns nullptr instead of stale data. Used for snapshot baselines, input
// history and lag-compensation history.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace skirmish::util {

template <typename T, std::size_t Capacity>
class SequenceRing {
    static_assert(Capacity > 0);

public:
    // Stores value under seq, replacing whatever shared the slot.
    T& put(std::uint32_t seq, T value) {
        Slot& slot = slots_[seq % Capacity];
        slot.seq = seq;
        slot.value = std::move(value);
        return *slot.value;
    }

    T* find(std::uint32_t seq) {
        Slot& slot = slots_[seq % Capacity];
        return (slot.value && slot.seq == seq) ? &*slot.value : nullptr;
    }
    const T* find(std::uint32_t seq) const {
        const Slot& slot = slots_[seq % Capacity];
        return (slot.value && slot.seq == seq) ? &*slot.value : nullptr;
    }

    void erase(std::uint32_t seq) {
        Slot& slot = slots_[seq % Capacity];
        if (slot.seq == seq) slot.value.reset();
    }

    void clear() {
        for (auto& slot : slots_) slot.value.reset();
    }

    static constexpr std::size_t capacity() noexcept { return Capacity; }

private:
    struct Slot {
        std::uint32_t seq = 0;
        std::optional<T> value;
    };
    std::array<Slot, Capacity> slots_{};
};

} // namespace skirmish::util
