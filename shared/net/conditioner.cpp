// shared/net/conditioner.cpp
#include "shared/net/conditioner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

namespace skirmish::net {

namespace {

// A slot keeps a byte buffer up to this capacity for the next packet; bigger
// ones (a rare large datagram) are freed rather than kept per slot.
constexpr std::size_t kKeepBufferCapacity = 4096;

// NaN and negatives become 0, too large becomes `high`.
double clamp_setting(double value, double high) {
    if (!(value >= 0.0)) return 0.0;
    return std::min(value, high);
}

LinkConditions sanitised(const LinkConditions& c) {
    return LinkConditions{
        .latency_ms = clamp_setting(c.latency_ms, kMaxDelayMs),
        .jitter_ms = clamp_setting(c.jitter_ms, kMaxDelayMs),
        .loss_pct = clamp_setting(c.loss_pct, 100.0),
        .dup_pct = clamp_setting(c.dup_pct, 100.0),
        .reorder_pct = clamp_setting(c.reorder_pct, 100.0),
    };
}

Outages sanitised(const Outages& o) {
    return Outages{.length_ms = clamp_setting(o.length_ms, kMaxOutageMs),
                   .every_s = clamp_setting(o.every_s, kMaxOutageEveryS)};
}

QueueLimits sanitised(QueueLimits limits) {
    limits.max_packets = std::max<std::size_t>(limits.max_packets, 1);
    limits.max_bytes = std::max<std::size_t>(limits.max_bytes, 1);
    return limits;
}

util::Duration from_ms(double ms) {
    return util::Duration(static_cast<util::Duration::rep>(std::llround(ms * 1e6)));
}

util::Result<util::Ok, std::string> check_range(std::string_view setting, Direction direction,
                                                double value, double high, std::string_view unit) {
    if (value >= 0.0 && value <= high) return util::Ok{};
    return util::fail(fmt::format("{} {} must be between 0 and {:g}{}, got {:g}", name(direction),
                                  setting, high, unit, value));
}

std::uint64_t splitmix64(std::uint64_t z) noexcept {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

} // namespace

std::string_view name(Direction direction) {
    switch (direction) {
    case Direction::Up: return "up (client→server)";
    case Direction::Down: return "down (server→client)";
    }
    return "?";
}

util::Result<util::Ok, std::string> validate(const LinkConditions& c, Direction direction) {
    for (auto result : {check_range("latency", direction, c.latency_ms, kMaxDelayMs, " ms"),
                        check_range("jitter", direction, c.jitter_ms, kMaxDelayMs, " ms"),
                        check_range("loss", direction, c.loss_pct, 100.0, " %"),
                        check_range("duplication", direction, c.dup_pct, 100.0, " %"),
                        check_range("reordering", direction, c.reorder_pct, 100.0, " %")}) {
        if (!result) return result;
    }
    return util::Ok{};
}

util::Result<util::Ok, std::string> validate(const Outages& o) {
    if (!(o.length_ms >= 0.0 && o.length_ms <= kMaxOutageMs))
        return util::fail(fmt::format("an outage must last between 0 and {:g} ms, got {:g}", kMaxOutageMs, o.length_ms));
    if (!(o.every_s >= 0.0 && o.every_s <= kMaxOutageEveryS))
        return util::fail(fmt::format("outages must come every 0 to {:g} s, got {:g}", kMaxOutageEveryS, o.every_s));
    if (o.length_ms > 0 && o.every_s == 0)
        return util::fail(fmt::format("a {:g} ms outage needs a period: say how often with the outage period "
                                      "(--outage-every-s)", o.length_ms));
    if (o.length_ms > 0 && o.length_ms >= o.every_s * 1000.0)
        return util::fail(fmt::format("a {:g} ms outage every {:g} s would never end: make the period longer than "
                                      "the outage", o.length_ms, o.every_s));
    return util::Ok{};
}

util::Result<util::Ok, std::string> validate(const ConditionerConfig& config) {
    if (auto up = validate(config.up, Direction::Up); !up) return up;
    if (auto down = validate(config.down, Direction::Down); !down) return down;
    if (auto outages = validate(config.outages); !outages) return outages;
    if (config.limits.max_packets == 0 || config.limits.max_bytes == 0) {
        return util::fail(std::string("conditioner queue limits must allow at least one packet and one byte"));
    }
    return util::Ok{};
}

std::string describe(const LinkConditions& c) {
    std::string text;
    const auto add = [&text](const std::string& part) {
        if (!text.empty()) text += ", ";
        text += part;
    };
    if (c.latency_ms > 0 || c.jitter_ms > 0) {
        add(c.jitter_ms > 0 ? fmt::format("{:g} ms + 0-{:g} ms jitter", c.latency_ms, c.jitter_ms)
                            : fmt::format("{:g} ms", c.latency_ms));
    }
    if (c.loss_pct > 0) add(fmt::format("{:g} % loss", c.loss_pct));
    if (c.dup_pct > 0) add(fmt::format("{:g} % duplicated", c.dup_pct));
    if (c.reorder_pct > 0) add(fmt::format("{:g} % reordered", c.reorder_pct));
    return text.empty() ? std::string("no added delay or loss") : text;
}

std::string describe(const Outages& o) {
    if (!o.enabled()) return "no outages";
    return fmt::format("{:g} ms outage every {:g} s", o.length_ms, o.every_s);
}

bool in_outage(const Outages& outages, util::TimePoint at) noexcept {
    const Outages o = sanitised(outages);
    if (!o.enabled()) return false;
    const std::int64_t every = std::max<std::int64_t>(1, std::llround(o.every_s * 1e9));
    const std::int64_t length = std::llround(o.length_ms * 1e6);
    const std::int64_t since_epoch = std::chrono::duration_cast<util::Duration>(at.time_since_epoch()).count();
    const std::int64_t into_period = ((since_epoch % every) + every) % every;
    return into_period < length;
}

std::uint64_t derive_seed(std::uint64_t base_seed, std::uint64_t link_index, Direction direction) noexcept {
    const std::uint64_t stream = link_index * 2 + (direction == Direction::Up ? 0 : 1);
    return splitmix64(splitmix64(base_seed) ^ splitmix64(stream + 0x5bd1e995ULL));
}

// --- EntryRing ---------------------------------------------------------------

LinkConditioner::Entry& LinkConditioner::EntryRing::push_back() {
    if (size_ == slots_.size()) {
        std::vector<Entry> bigger(std::max<std::size_t>(8, slots_.size() * 2));
        for (std::size_t i = 0; i < size_; ++i) bigger[i] = std::move(at(i));
        slots_.swap(bigger);
        head_ = 0;
    }
    ++size_;
    return at(size_ - 1);
}

void LinkConditioner::EntryRing::pop_front() noexcept {
    head_ = (head_ + 1) % slots_.size();
    --size_;
}

void LinkConditioner::EntryRing::pop_back() noexcept { --size_; }

// --- LinkConditioner ---------------------------------------------------------

LinkConditioner::LinkConditioner(const LinkConditions& conditions, std::uint64_t seed, QueueLimits limits,
                                 Outages outages)
    : conditions_(sanitised(conditions)),
      limits_(sanitised(limits)),
      outages_(sanitised(outages)),
      rng_(seed),
      latest_(util::TimePoint::min()),
      last_due_(util::TimePoint::min()) {}

void LinkConditioner::set_conditions(const LinkConditions& conditions) { conditions_ = sanitised(conditions); }

void LinkConditioner::set_limits(QueueLimits limits) { limits_ = sanitised(limits); }

void LinkConditioner::set_outages(const Outages& outages) { outages_ = sanitised(outages); }

util::TimePoint LinkConditioner::observe(util::TimePoint now) noexcept {
    latest_ = std::max(latest_, now);
    return latest_;
}

SubmitOutcome LinkConditioner::submit(std::span<const std::uint8_t> bytes, util::TimePoint now) {
    now = observe(now);
    ++counters_.submitted;
    counters_.submitted_bytes += bytes.size();

    // Exactly four draws per packet, whatever the settings and the outcome (an
    // outage included), so a packet's fate depends only on its index (see
    // LinkConditions).
    const double loss_draw = rng_.uniform();
    const double dup_draw = rng_.uniform();
    const double reorder_draw = rng_.uniform();
    const double jitter_draw = rng_.uniform();

    if (in_outage(outages_, now)) {
        ++counters_.dropped;
        ++counters_.cut_off;
        return {Fate::CutOff, false, false};
    }
    if (loss_draw < conditions_.loss_pct / 100.0) {
        ++counters_.dropped;
        return {Fate::Lost, false, false};
    }
    if (queued_packets() + 1 > limits_.max_packets || queued_bytes_ + bytes.size() > limits_.max_bytes) {
        ++counters_.dropped;
        ++counters_.overflowed;
        return {Fate::Overflowed, false, false};
    }

    const bool duplicated = dup_draw < conditions_.dup_pct / 100.0;
    const bool reordered = reorder_draw < conditions_.reorder_pct / 100.0;
    // In order: never due before a packet submitted earlier (jitter does not reorder).
    const util::TimePoint due =
        std::max(now + from_ms(conditions_.latency_ms + jitter_draw * conditions_.jitter_ms), last_due_);
    last_due_ = due;

    Entry& entry = reordered ? held_.push_back() : queue_.push_back();
    entry.bytes.assign(bytes.begin(), bytes.end());
    entry.submitted_at = now;
    entry.due_at = due;
    entry.copies = duplicated ? 2 : 1;
    queued_bytes_ += bytes.size();
    counters_.duplicated += duplicated ? 1 : 0;
    counters_.reordered += reordered ? 1 : 0;
    if (!reordered) release_held_after(due);
    return {Fate::Queued, duplicated, reordered};
}

// A packet due at `due` was just queued in order: every held packet whose hold
// would still be running at `due` is overtaken by it and goes right behind it.
// Held due times only grow, so those packets are a suffix of held_.
void LinkConditioner::release_held_after(util::TimePoint due) {
    std::size_t first = held_.size();
    while (first > 0 && held_.at(first - 1).due_at + kReorderMaxHold > due) --first;
    for (std::size_t i = first; i < held_.size(); ++i) {
        Entry& from = held_.at(i);
        Entry& to = queue_.push_back();
        to.bytes.swap(from.bytes);
        to.submitted_at = from.submitted_at;
        to.due_at = due;
        to.copies = from.copies;
    }
    while (held_.size() > first) held_.pop_back();
}

std::optional<util::TimePoint> LinkConditioner::next_due() const {
    std::optional<util::TimePoint> due;
    if (!queue_.empty()) due = queue_.front().due_at;
    if (!held_.empty()) {
        const util::TimePoint held_due = held_.front().due_at + kReorderMaxHold;
        if (!due || held_due < *due) due = held_due;
    }
    return due;
}

bool LinkConditioner::pop_due(util::TimePoint now, Delivery& out) {
    now = observe(now);
    // A held packet whose hold ran out goes first on a tie: nothing overtook it.
    const bool from_held =
        !held_.empty() &&
        (queue_.empty() || held_.front().due_at + kReorderMaxHold <= queue_.front().due_at);
    if (!from_held && queue_.empty()) return false;
    EntryRing& ring = from_held ? held_ : queue_;
    Entry& entry = ring.front();
    const util::TimePoint due = from_held ? entry.due_at + kReorderMaxHold : entry.due_at;
    if (due > now) return false;

    out.submitted_at = entry.submitted_at;
    out.due_at = due;
    ++counters_.delivered;
    counters_.delivered_bytes += entry.bytes.size();
    if (entry.copies > 1) {
        --entry.copies;
        out.bytes.assign(entry.bytes.begin(), entry.bytes.end());
        return true;
    }
    queued_bytes_ -= entry.bytes.size();
    out.bytes.swap(entry.bytes); // the slot keeps the caller's old buffer for reuse
    if (entry.bytes.capacity() > kKeepBufferCapacity) std::vector<std::uint8_t>().swap(entry.bytes);
    ring.pop_front();
    return true;
}

} // namespace skirmish::net
