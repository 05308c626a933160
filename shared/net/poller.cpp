// shared/net/poller.cpp
#include "shared/net/poller.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <ctime>

namespace skirmish::net {

util::Result<Poller, int> Poller::create(std::size_t max_events) {
    Poller poller;
    poller.epoll_ = Fd(::epoll_create1(EPOLL_CLOEXEC));
    if (!poller.epoll_) return util::fail(errno);
    poller.wake_ = Fd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
    if (!poller.wake_) return util::fail(errno);
    if (auto watched = poller.watch(poller.wake_, kWakeId); !watched) return util::fail(watched.error());
    poller.events_.resize(std::max<std::size_t>(max_events, 1));
    poller.ready_.reserve(poller.events_.size());
    return poller;
}

util::Result<util::Ok, int> Poller::watch(const Fd& fd, std::uint64_t id) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = id;
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd.get(), &event) != 0) return util::fail(errno);
    return util::Ok{};
}

std::span<const std::uint64_t> Poller::wait(util::Duration timeout) {
    ready_.clear();
    if (!epoll_) return ready_;
    timeout = std::clamp<util::Duration>(timeout, util::Duration::zero(), std::chrono::seconds(60));
    const int max_events = static_cast<int>(events_.size());
    int count = -1;
    if (use_epoll_pwait2_) {
        timespec ts{};
        ts.tv_sec = static_cast<time_t>(timeout / std::chrono::seconds(1));
        ts.tv_nsec = static_cast<long>((timeout % std::chrono::seconds(1)).count());
        count = ::epoll_pwait2(epoll_.get(), events_.data(), max_events, &ts, nullptr);
        if (count < 0 && errno == ENOSYS) use_epoll_pwait2_ = false; // kernel before 5.11
    }
    if (!use_epoll_pwait2_) {
        const auto ms = std::chrono::ceil<std::chrono::milliseconds>(timeout).count();
        count = ::epoll_wait(epoll_.get(), events_.data(), max_events, static_cast<int>(ms));
    }
    for (int i = 0; i < count; ++i) { // count < 0 (EINTR): none
        const std::uint64_t id = events_[static_cast<std::size_t>(i)].data.u64;
        if (id == kWakeId) {
            std::uint64_t rings = 0;
            [[maybe_unused]] const auto n = ::read(wake_.get(), &rings, sizeof rings);
        } else {
            ready_.push_back(id);
        }
    }
    return ready_;
}

void Poller::wake() const noexcept {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(wake_.get(), &one, sizeof one);
}

} // namespace skirmish::net
