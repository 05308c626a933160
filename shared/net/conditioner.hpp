// shared/net/conditioner.hpp
//
// The network conditioner's model: what happens to each datagram on one
// direction of a link (loss, latency, jitter, duplication, reordering,
// periodic outages). Pure:
// no sockets, no clocks, no threads. UdpRelay (udp_relay.hpp) drives one
// LinkConditioner per direction per client; tests drive it with made-up times.
// Exact semantics of every setting: docs/NETCODE.md, "The network conditioner".
//
// IMPORTANT: time comes in as a value; nothing here reads a clock. Times passed
// to submit() and pop_due() must not go backwards across calls (an earlier time
// is taken as the latest one seen).
// IMPORTANT: same seed + same conditions + same submit times and sizes → exactly
// the same drops, duplicates, delays and delivery order, on every build.
// IMPORTANT: a LinkConditioner is not thread-safe: one owner drives it.
// IMPORTANT: the bytes are untrusted and opaque: copied, never parsed.
#pragma once

#include "shared/util/clock.hpp"
#include "shared/util/result.hpp"
#include "shared/util/rng.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace skirmish::net {

// Up is client → server, Down is server → client.
enum class Direction : std::uint8_t { Up, Down };
std::string_view name(Direction direction);

// Settings are validated against these ranges (validate() below).
inline constexpr double kMaxDelayMs = 10'000.0;
// A packet picked for reordering waits for a later packet to overtake it, but
// never longer than this past its own due time.
inline constexpr util::Duration kReorderMaxHold = std::chrono::milliseconds(100);

// What one direction of a link does to each packet. Every packet is decided
// independently (no burst loss), in this order: lost? → duplicated? → reordered?
// and its jitter; each packet consumes exactly four draws of the generator,
// whatever the settings, so packet i's fate depends only on (seed, i, settings):
// raising loss from 5 % to 10 % with the same seed loses a superset of packets.
struct LinkConditions {
    // Added ONE-WAY delay of this direction. RTT through a relay = up + down.
    double latency_ms = 0;
    // Extra delay drawn uniformly from [0, jitter_ms): mean jitter/2, standard
    // deviation jitter/sqrt(12), p-th percentile p % of jitter. Jitter alone never
    // reorders: a packet is never due before one submitted earlier, so when
    // packets come closer together than the jitter a later one waits for the
    // earlier one, as behind a real router queue.
    double jitter_ms = 0;
    // Chance in percent (0..100) that a packet is lost.
    double loss_pct = 0;
    // Chance in percent that a packet that was not lost is delivered twice, the
    // copy immediately after the original (same due time).
    double dup_pct = 0;
    // Chance in percent that a packet that was not lost is held back until the
    // next packet of this direction that is not lost and not itself held back has
    // been delivered, and is delivered right after it (one place late; held
    // packets keep their order among themselves). If no such packet comes within
    // kReorderMaxHold of the held packet's own due time, it is delivered then,
    // not overtaken.
    double reorder_pct = 0;

    friend bool operator==(const LinkConditions&, const LinkConditions&) = default;
};

// Bounds on what one direction of one link keeps in flight (packets held back
// for reordering included). A packet that would exceed either is dropped and
// counted as overflowed (and as dropped).
struct QueueLimits {
    std::size_t max_packets = 1024;
    std::size_t max_bytes = std::size_t{1} << 20;

    friend bool operator==(const QueueLimits&, const QueueLimits&) = default;
};

// Periodic total outages: during each window every packet that reaches the
// conditioner, either direction, is lost (packets already in flight go on), as
// when a cable is pulled and plugged back. The windows are laid on the clock
// itself, not on a link's start: window k covers [k * every, k * every + length)
// from the steady clock's epoch (k >= 0), so every link and direction of every
// relay on the machine is cut at the same moments. length_ms 0: no outages.
struct Outages {
    double length_ms = 0;
    double every_s = 0;

    bool enabled() const noexcept { return length_ms > 0 && every_s > 0; }
    friend bool operator==(const Outages&, const Outages&) = default;
};

inline constexpr double kMaxOutageMs = 60'000.0;
inline constexpr double kMaxOutageEveryS = 86'400.0;

struct ConditionerConfig {
    LinkConditions up;   // client → server
    LinkConditions down; // server → client
    std::uint64_t seed = 1;
    QueueLimits limits;  // per direction of each link
    Outages outages;     // both directions of every link
    // The named profile these settings started from ("P3", latency_profiles.hpp);
    // empty: none. Flags given after --profile may have changed them since.
    std::string profile;

    friend bool operator==(const ConditionerConfig&, const ConditionerConfig&) = default;
};

// Checks ranges: delays 0..kMaxDelayMs, percentages 0..100, no NaN, limits >= 1,
// an outage 0..kMaxOutageMs and shorter than its period (1 ms..kMaxOutageEveryS).
// The error says which setting, which direction, the range and the value.
util::Result<util::Ok, std::string> validate(const LinkConditions& conditions, Direction direction);
util::Result<util::Ok, std::string> validate(const Outages& outages);
util::Result<util::Ok, std::string> validate(const ConditionerConfig& config);

// One line for people: "50 ms + 0-10 ms jitter, 5 % loss" or "no added delay or loss".
std::string describe(const LinkConditions& conditions);
// "500 ms outage every 20 s" or "no outages".
std::string describe(const Outages& outages);

// Whether `at` falls inside one of the outage windows.
bool in_outage(const Outages& outages, util::TimePoint at) noexcept;

// The seed of one direction of one link: link k of a relay (the k-th distinct
// client address it saw, from 0) uses derive_seed(config.seed, k, direction).
std::uint64_t derive_seed(std::uint64_t base_seed, std::uint64_t link_index, Direction direction) noexcept;

// --- one direction of one link ------------------------------------------------

struct ConditionerCounters {
    std::uint64_t submitted = 0;       // packets given to submit()
    std::uint64_t submitted_bytes = 0;
    std::uint64_t dropped = 0;         // never delivered: lost, cut off by an outage, or overflowed
    std::uint64_t overflowed = 0;      // the part of `dropped` refused by QueueLimits
    std::uint64_t cut_off = 0;         // the part of `dropped` that arrived during an outage
    std::uint64_t duplicated = 0;      // packets that get a second copy
    std::uint64_t reordered = 0;       // packets held back for reordering
    std::uint64_t delivered = 0;       // datagrams out of pop_due(), copies included
    std::uint64_t delivered_bytes = 0;
};

enum class Fate : std::uint8_t { Queued, Lost, CutOff, Overflowed };

struct SubmitOutcome {
    Fate fate = Fate::Queued;
    bool duplicated = false; // only when Queued
    bool reordered = false;  // only when Queued
};

// One datagram handed out by pop_due(). `bytes` is reused between calls: keep
// one Delivery and pass it in every time, and no allocation happens per packet
// once the buffers are warm.
struct Delivery {
    std::vector<std::uint8_t> bytes;
    util::TimePoint submitted_at{};
    util::TimePoint due_at{};
};

class LinkConditioner {
public:
    // `conditions` and `limits` should have passed validate(); out-of-range
    // values are clamped into range, NaN counts as 0.
    LinkConditioner(const LinkConditions& conditions, std::uint64_t seed, QueueLimits limits = {},
                    Outages outages = {});

    // Applies to packets submitted from now on. Packets in flight keep their
    // schedule, and since the link stays in order, after lowering the latency new
    // packets wait for those submitted before them.
    void set_conditions(const LinkConditions& conditions);
    void set_limits(QueueLimits limits);
    // Applies to packets submitted from now on; packets in flight go on.
    void set_outages(const Outages& outages);

    // A packet arrives at `now`. Copies the bytes (any size, zero included).
    SubmitOutcome submit(std::span<const std::uint8_t> bytes, util::TimePoint now);

    // When the next packet is due, or nullopt when nothing is in flight.
    std::optional<util::TimePoint> next_due() const;

    // Moves one packet due at or before `now` into `out` and returns true, or
    // returns false (leaving `out` alone) when none is due. Call it until false.
    bool pop_due(util::TimePoint now, Delivery& out);

    const ConditionerCounters& counters() const noexcept { return counters_; }
    const LinkConditions& conditions() const noexcept { return conditions_; }
    const Outages& outages() const noexcept { return outages_; }
    std::size_t queued_packets() const noexcept { return queue_.size() + held_.size(); }
    std::size_t queued_bytes() const noexcept { return queued_bytes_; }
    bool idle() const noexcept { return queued_packets() == 0; }

private:
    struct Entry {
        std::vector<std::uint8_t> bytes;
        util::TimePoint submitted_at{};
        util::TimePoint due_at{}; // while held: its own due time, before the hold
        std::uint8_t copies = 1;
    };

    // A growable FIFO over a vector. Slots keep their byte buffers when popped
    // (pop_due swaps the caller's buffer in), so steady traffic neither
    // allocates nor frees (std::deque would, every few packets).
    class EntryRing {
    public:
        bool empty() const noexcept { return size_ == 0; }
        std::size_t size() const noexcept { return size_; }
        Entry& front() noexcept { return slots_[head_]; }
        const Entry& front() const noexcept { return slots_[head_]; }
        Entry& at(std::size_t i) noexcept { return slots_[(head_ + i) % slots_.size()]; }
        Entry& push_back(); // the new back slot, with a used buffer to overwrite
        void pop_front() noexcept;
        void pop_back() noexcept;

    private:
        std::vector<Entry> slots_;
        std::size_t head_ = 0;
        std::size_t size_ = 0;
    };

    util::TimePoint observe(util::TimePoint now) noexcept;
    void release_held_after(util::TimePoint due);

    LinkConditions conditions_;
    QueueLimits limits_;
    Outages outages_;
    util::Rng rng_;
    EntryRing queue_;       // due in order of position
    EntryRing held_;        // held back for reordering, oldest first
    std::size_t queued_bytes_ = 0;
    util::TimePoint latest_{};   // latest time seen, so time never goes backwards
    util::TimePoint last_due_{}; // the link stays in order: nothing is due before this
    ConditionerCounters counters_;
};

} // namespace skirmish::net
