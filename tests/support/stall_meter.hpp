// tests/support/stall_meter.hpp
//
// How long this process went without the CPU: a thread that asks to wake
// every 2 ms and adds up how late it woke whenever it was late by 20 ms or
// more. On a shared, loaded machine every thread of a test (the server's
// tick loop, the relay, the clients' driver) can be held back like this, and
// a figure that depends on timing (inputs reaching the server before their
// tick) may then suffer for reasons no netcode controls: a test judges such
// a figure only when the process was not held back.
//
// IMPORTANT: a proxy. It sees the process starved when its own thread is;
// the Linux scheduler usually starves a busy test's threads together. It
// never judges a figure itself: a quiet machine (CI) judges it in full.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

namespace skirmish::test {

class StallMeter {
public:
    StallMeter() : thread_([this] { run(); }) {}
    ~StallMeter() {
        stop_ = true;
        thread_.join();
    }
    StallMeter(const StallMeter&) = delete;
    StallMeter& operator=(const StallMeter&) = delete;

    // Total lateness of the wake-ups that came 20 ms or more late.
    std::chrono::milliseconds stalled() const { return std::chrono::milliseconds(stalled_ms_.load()); }
    // How many times it woke 20 ms or more late.
    std::uint64_t stalls() const { return stalls_.load(); }

private:
    void run() {
        constexpr auto kPeriod = std::chrono::milliseconds(2);
        constexpr auto kStall = std::chrono::milliseconds(20); // more than a tick at 60 Hz
        auto next = std::chrono::steady_clock::now() + kPeriod;
        while (!stop_) {
            std::this_thread::sleep_until(next); // pacing a measurement, not synchronising
            const auto late = std::chrono::steady_clock::now() - next;
            if (late >= kStall) {
                const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(late).count();
                stalled_ms_ += ms;
                ++stalls_;
            }
            next = std::chrono::steady_clock::now() + kPeriod;
        }
    }
    std::atomic<bool> stop_{false};
    std::atomic<std::int64_t> stalled_ms_{0};
    std::atomic<std::uint64_t> stalls_{0};
    std::thread thread_;
};

} // namespace skirmish::test
