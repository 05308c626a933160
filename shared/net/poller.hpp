// shared/net/poller.hpp
//
// What a one-thread socket loop waits on: an epoll set of descriptors, each
// known by the caller's 64-bit id, and a wake-up (an eventfd) that another
// thread rings to make the loop look at its queue or its stop flag. Timeouts
// are nanoseconds where the kernel has epoll_pwait2 (Linux 5.11+), else
// milliseconds rounded up, so a timer never fires early.
//
// IMPORTANT: create/watch/wait from the owning thread; wake() from any thread.
// IMPORTANT: a descriptor leaves the set when it is closed; ids are the
// caller's, except kWakeId, which the poller keeps for itself.
// IMPORTANT: Linux only (epoll, eventfd).
#pragma once

#include "shared/net/udp_socket.hpp"
#include "shared/util/clock.hpp"
#include "shared/util/result.hpp"

#include <sys/epoll.h>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace skirmish::net {

class Poller {
public:
    static constexpr std::uint64_t kWakeId = std::numeric_limits<std::uint64_t>::max();

    // An empty poller (waits on nothing); create() makes a working one.
    Poller() = default;
    // At most max_events ready descriptors are reported per wait(); the rest
    // wait for the next one. On failure: the errno value.
    static util::Result<Poller, int> create(std::size_t max_events = 256);

    // Reports `fd` as ready (readable) under `id` from the next wait() on.
    util::Result<util::Ok, int> watch(const Fd& fd, std::uint64_t id);

    // Waits until a watched descriptor is readable, wake() rings, or `timeout`
    // (at most 60 s; negative: 0) passes. Returns the ids of the readable
    // descriptors, valid until the next wait(); a ring of wake() is consumed
    // and not reported. Interrupted by a signal: returns none.
    std::span<const std::uint64_t> wait(util::Duration timeout);

    // Makes the owner's wait() return now (or its next one, if it is not waiting).
    void wake() const noexcept;

private:
    Fd epoll_;
    Fd wake_;
    std::vector<epoll_event> events_;
    std::vector<std::uint64_t> ready_;
    bool use_epoll_pwait2_ = true;
};

} // namespace skirmish::net
