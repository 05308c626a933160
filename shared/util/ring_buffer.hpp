// shared/util/ring_buffer.hpp
//
// A ring of a fixed capacity, chosen at construction, keyed by a sequence
// number that only moves forward (a tick, an input sequence). Slot = seq %
// capacity; a slot remembers which seq it holds, so a lookup of a sequence that
// was overwritten or never stored returns nullptr instead of stale data. The
// one home of "the last N ticks of X": snapshot baselines (server and client),
// input buffers, lag-compensation history and prediction history.
//
// IMPORTANT: no allocation after construction beyond what T itself does;
// claim() hands back a slot's old value for reuse, so a T holding a vector
// keeps its capacity from tick to tick.
#pragma once

#include "shared/util/assert.hpp"

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace skirmish::util {

template <typename T>
class SequenceRing {
public:
    explicit SequenceRing(std::size_t capacity) : slots_(capacity) { SKIRMISH_ASSERT(capacity > 0); }

    // Stores value under seq, replacing whatever shared the slot.
    T& put(std::uint32_t seq, T value) {
        T& stored = claim(seq);
        stored = std::move(value);
        return stored;
    }

    // Makes seq's slot hold seq and returns its value to be filled in. The
    // value is whatever the slot held before (of seq or of an older sequence):
    // the caller overwrites every field it reads later.
    T& claim(std::uint32_t seq) noexcept {
        Slot& slot = slot_of(seq);
        slot.seq = seq;
        slot.used = true;
        return slot.value;
    }

    T* find(std::uint32_t seq) noexcept {
        Slot& slot = slot_of(seq);
        return (slot.used && slot.seq == seq) ? &slot.value : nullptr;
    }
    const T* find(std::uint32_t seq) const noexcept {
        const Slot& slot = slots_[seq % slots_.size()];
        return (slot.used && slot.seq == seq) ? &slot.value : nullptr;
    }
    bool contains(std::uint32_t seq) const noexcept { return find(seq) != nullptr; }

    // Forgets seq (not a different sequence that shares its slot).
    void erase(std::uint32_t seq) noexcept {
        Slot& slot = slot_of(seq);
        if (slot.seq == seq) slot.used = false;
    }

    void clear() noexcept {
        for (Slot& slot : slots_) slot.used = false;
    }

    std::size_t capacity() const noexcept { return slots_.size(); }

private:
    struct Slot {
        std::uint32_t seq = 0;
        bool used = false;
        T value{};
    };
    Slot& slot_of(std::uint32_t seq) noexcept { return slots_[seq % slots_.size()]; }

    std::vector<Slot> slots_;
};

} // namespace skirmish::util
