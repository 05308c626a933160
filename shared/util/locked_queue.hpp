// shared/util/locked_queue.hpp
//
// A queue between threads: any thread pushes, one thread drains everything at
// once (the game thread each tick, the lobby thread on a posted wake-up).
// IMPORTANT: thread-safe; drain() swaps the whole content out under the lock
// so the owner processes it without holding the lock.
#pragma once

#include <mutex>
#include <utility>
#include <vector>

namespace skirmish::util {

template <typename T>
class LockedQueue {
public:
    void push(T value) {
        const std::lock_guard lock(mutex_);
        items_.push_back(std::move(value));
    }

    // Moves everything queued so far into `out` (which is cleared first).
    void drain(std::vector<T>& out) {
        out.clear();
        const std::lock_guard lock(mutex_);
        out.swap(items_);
    }

    bool empty() const {
        const std::lock_guard lock(mutex_);
        return items_.empty();
    }

private:
    mutable std::mutex mutex_;
    std::vector<T> items_;
};

} // namespace skirmish::util
