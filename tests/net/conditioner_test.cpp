// tests/net/conditioner_test.cpp
//
// The conditioner's model, driven with made-up times: each setting does what
// docs/NETCODE.md says, statistically over many packets (tolerances from the
// binomial / uniform distributions, not guesses), and a seed repeats a run.
// Figures are printed as "[ figures ]" lines for the record.
#include "shared/net/conditioner.hpp"
#include "shared/net/conditioner_cli.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <numeric>
#include <set>
#include <vector>

namespace {

using skirmish::net::ConditionerConfig;
using skirmish::net::Delivery;
using skirmish::net::Direction;
using skirmish::net::Fate;
using skirmish::net::kReorderMaxHold;
using skirmish::net::LinkConditioner;
using skirmish::net::LinkConditions;
using skirmish::net::Outages;
using skirmish::net::QueueLimits;
using skirmish::util::Duration;
using skirmish::util::TimePoint;
using namespace std::chrono_literals;

TimePoint at_ms(double ms) { return TimePoint{} + Duration(std::llround(ms * 1e6)); }
double ms_between(TimePoint from, TimePoint to) { return skirmish::util::to_ms(to - from); }

std::vector<std::uint8_t> packet(std::uint32_t id, std::size_t size = 8) {
    std::vector<std::uint8_t> bytes(std::max<std::size_t>(size, 4), 0xab);
    for (int i = 0; i < 4; ++i) bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(id >> (8 * i));
    return bytes;
}

std::uint32_t id_of(const std::vector<std::uint8_t>& bytes) {
    std::uint32_t id = 0;
    for (int i = 0; i < 4; ++i) id |= std::uint32_t{bytes[static_cast<std::size_t>(i)]} << (8 * i);
    return id;
}

struct Arrival {
    std::uint32_t id;
    TimePoint at;
    TimePoint submitted;
    friend bool operator==(const Arrival&, const Arrival&) = default;
};

// Pops everything due up to `until`, each at its own due time, as a real caller
// that wakes exactly on next_due() would.
void drain(LinkConditioner& link, TimePoint until, std::vector<Arrival>& out, Delivery& scratch) {
    for (auto due = link.next_due(); due && *due <= until; due = link.next_due()) {
        ASSERT_TRUE(link.pop_due(*due, scratch));
        out.push_back({id_of(scratch.bytes), scratch.due_at, scratch.submitted_at});
    }
}

// Submits packet i at submit_times[i] and returns every arrival, in delivery order.
std::vector<Arrival> run(LinkConditioner& link, const std::vector<TimePoint>& submit_times) {
    std::vector<Arrival> arrivals;
    Delivery scratch;
    for (std::size_t i = 0; i < submit_times.size(); ++i) {
        drain(link, submit_times[i], arrivals, scratch);
        link.submit(packet(static_cast<std::uint32_t>(i)), submit_times[i]);
    }
    drain(link, TimePoint::max(), arrivals, scratch);
    return arrivals;
}

std::vector<TimePoint> every(Duration spacing, int count) {
    std::vector<TimePoint> times;
    for (int i = 0; i < count; ++i) times.push_back(TimePoint{} + spacing * i);
    return times;
}

// 4 standard deviations of a binomial count: a correct implementation misses
// it about once in 16,000 seeds, a wrong rate (say 9 % for 10 %) never meets it.
double binomial_tolerance(double n, double p) { return 4.0 * std::sqrt(n * p * (1.0 - p)); }

double percentile_of_sorted(const std::vector<double>& sorted, double p) {
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

constexpr int kMany = 100'000;

} // namespace

// --- settings ---------------------------------------------------------------------

TEST(LinkConditioner, CleanLinkDeliversEverythingAtOnceAndInOrder) {
    LinkConditioner link(LinkConditions{}, 1);
    const auto arrivals = run(link, every(1ms, 1000));
    ASSERT_EQ(arrivals.size(), 1000u);
    for (std::size_t i = 0; i < arrivals.size(); ++i) {
        EXPECT_EQ(arrivals[i].id, i);
        EXPECT_EQ(arrivals[i].at, arrivals[i].submitted);
    }
    EXPECT_EQ(link.counters().delivered, 1000u);
    EXPECT_EQ(link.counters().dropped, 0u);
    EXPECT_TRUE(link.idle());
}

TEST(LinkConditioner, LossRateMatchesTheSettingWithinBinomialBounds) {
    for (const double loss_pct : {1.0, 10.0, 50.0}) {
        LinkConditioner link(LinkConditions{.loss_pct = loss_pct}, 7);
        const auto arrivals = run(link, every(1ms, kMany));
        const double lost = kMany - static_cast<double>(arrivals.size());
        const double expected = kMany * loss_pct / 100.0;
        EXPECT_NEAR(lost, expected, binomial_tolerance(kMany, loss_pct / 100.0)) << "loss " << loss_pct << " %";
        EXPECT_EQ(link.counters().dropped, static_cast<std::uint64_t>(lost));
        std::printf("[ figures ] loss %g %% over %d packets: %.3f %% lost (tolerance ±%.3f %%)\n", loss_pct, kMany,
                    100.0 * lost / kMany, 100.0 * binomial_tolerance(kMany, loss_pct / 100.0) / kMany);
    }
}

TEST(LinkConditioner, NoLossAndFullLossAreExact) {
    LinkConditioner none(LinkConditions{.loss_pct = 0}, 3);
    EXPECT_EQ(run(none, every(1ms, 10'000)).size(), 10'000u);
    LinkConditioner all(LinkConditions{.loss_pct = 100}, 3);
    EXPECT_TRUE(run(all, every(1ms, 10'000)).empty());
    EXPECT_EQ(all.counters().dropped, 10'000u);
}

TEST(LinkConditioner, DuplicationRateMatchesTheSettingAndCopiesArriveBackToBack) {
    LinkConditioner link(LinkConditions{.latency_ms = 5, .dup_pct = 10}, 11);
    const auto arrivals = run(link, every(1ms, kMany));
    const double copies = static_cast<double>(arrivals.size()) - kMany;
    EXPECT_NEAR(copies, kMany * 0.10, binomial_tolerance(kMany, 0.10));
    EXPECT_EQ(link.counters().duplicated, static_cast<std::uint64_t>(copies));
    std::size_t back_to_back = 0;
    for (std::size_t i = 1; i < arrivals.size(); ++i) {
        if (arrivals[i].id == arrivals[i - 1].id) {
            ++back_to_back;
            EXPECT_EQ(arrivals[i].at, arrivals[i - 1].at);
        }
    }
    EXPECT_EQ(back_to_back, static_cast<std::size_t>(copies));
    std::printf("[ figures ] dup 10 %% over %d packets: %.3f %% duplicated\n", kMany, 100.0 * copies / kMany);
}

TEST(LinkConditioner, LostPacketsAreNeverDuplicated) {
    LinkConditioner link(LinkConditions{.loss_pct = 50, .dup_pct = 50}, 5);
    const auto arrivals = run(link, every(1ms, 10'000));
    EXPECT_EQ(arrivals.size(), 10'000 - link.counters().dropped + link.counters().duplicated);
    std::set<std::uint32_t> distinct;
    for (const auto& a : arrivals) distinct.insert(a.id);
    EXPECT_EQ(distinct.size(), 10'000 - link.counters().dropped);
}

TEST(LinkConditioner, LatencyDelaysEveryPacketByExactlyThatMuchWithoutJitter) {
    LinkConditioner link(LinkConditions{.latency_ms = 42.5}, 1);
    const auto arrivals = run(link, every(3ms, 1000));
    ASSERT_EQ(arrivals.size(), 1000u);
    for (const auto& a : arrivals) EXPECT_EQ(a.at - a.submitted, Duration(42'500'000));
}

TEST(LinkConditioner, JitterIsUniformAboveTheLatency) {
    // Packets further apart than the jitter, so order never has to be kept by waiting.
    constexpr double kLatency = 50, kJitter = 20;
    LinkConditioner link(LinkConditions{.latency_ms = kLatency, .jitter_ms = kJitter}, 21);
    const auto arrivals = run(link, every(25ms, kMany));
    ASSERT_EQ(arrivals.size(), static_cast<std::size_t>(kMany));
    std::vector<double> delays;
    for (const auto& a : arrivals) delays.push_back(ms_between(a.submitted, a.at));
    std::sort(delays.begin(), delays.end());
    const double mean = std::accumulate(delays.begin(), delays.end(), 0.0) / kMany;
    double square_sum = 0;
    for (double d : delays) square_sum += (d - mean) * (d - mean);
    const double stddev = std::sqrt(square_sum / kMany);

    EXPECT_GE(delays.front(), kLatency);
    EXPECT_LT(delays.back(), kLatency + kJitter);
    // Uniform on [L, L+J): mean L+J/2 (standard error J/sqrt(12 n)), sd J/sqrt(12).
    const double sd = kJitter / std::sqrt(12.0);
    EXPECT_NEAR(mean, kLatency + kJitter / 2, 4 * sd / std::sqrt(kMany));
    EXPECT_NEAR(stddev, sd, 0.01 * sd);
    // p-th percentile at L + p% of J; the empirical one is within J*sqrt(ln(2/1e-6)/(2n)) ≈ 0.17 ms.
    for (const double p : {1.0, 10.0, 50.0, 90.0, 99.0}) {
        EXPECT_NEAR(percentile_of_sorted(delays, p), kLatency + p / 100.0 * kJitter, 0.25) << "p" << p;
    }
    std::printf("[ figures ] latency 50 ms + jitter 20 ms: min %.3f p50 %.3f p90 %.3f p99 %.3f max %.3f mean %.3f "
                "sd %.3f ms (uniform: sd %.3f)\n",
                delays.front(), percentile_of_sorted(delays, 50), percentile_of_sorted(delays, 90),
                percentile_of_sorted(delays, 99), delays.back(), mean, stddev, sd);
}

TEST(LinkConditioner, JitterAloneNeverReorders) {
    // Packets 1 ms apart with 30 ms of jitter: later ones often wait for earlier ones.
    LinkConditioner link(LinkConditions{.latency_ms = 10, .jitter_ms = 30}, 9);
    const auto arrivals = run(link, every(1ms, 10'000));
    ASSERT_EQ(arrivals.size(), 10'000u);
    for (std::size_t i = 0; i < arrivals.size(); ++i) {
        ASSERT_EQ(arrivals[i].id, i);
        EXPECT_GE(arrivals[i].at - arrivals[i].submitted, 10ms);
        EXPECT_LT(arrivals[i].at - arrivals[i].submitted, 40ms);
    }
    EXPECT_EQ(link.counters().reordered, 0u);
}

TEST(LinkConditioner, ReorderedPacketsArriveRightAfterTheNextPacket) {
    constexpr double kReorder = 5;
    LinkConditioner link(LinkConditions{.latency_ms = 20, .reorder_pct = kReorder}, 13);
    const auto arrivals = run(link, every(10ms, kMany));
    ASSERT_EQ(arrivals.size(), static_cast<std::size_t>(kMany));
    // A packet is late when some packet submitted after it arrived before it.
    std::uint32_t highest = 0;
    std::size_t late = 0;
    for (std::size_t i = 0; i < arrivals.size(); ++i) {
        const auto& a = arrivals[i];
        if (i > 0 && a.id < highest) {
            ++late;
            // It went behind the next packet in line: both due at the same time.
            EXPECT_EQ(a.at, arrivals[i - 1].at);
            EXPECT_LE(a.at - a.submitted, 20ms + kReorderMaxHold);
        } else {
            EXPECT_EQ(a.at - a.submitted, 20ms);
        }
        highest = std::max(highest, a.id);
    }
    EXPECT_NEAR(static_cast<double>(late), kMany * kReorder / 100, binomial_tolerance(kMany, kReorder / 100));
    EXPECT_EQ(late, link.counters().reordered);
    std::printf("[ figures ] reorder 5 %% over %d packets 10 ms apart: %.3f %% arrived after a later packet\n", kMany,
                100.0 * static_cast<double>(late) / kMany);
}

TEST(LinkConditioner, HeldPacketWithNothingBehindItGoesAfterTheMaxHold) {
    LinkConditioner link(LinkConditions{.latency_ms = 30, .reorder_pct = 100}, 1);
    link.submit(packet(1), at_ms(0));
    ASSERT_TRUE(link.next_due().has_value());
    EXPECT_EQ(*link.next_due(), at_ms(30) + kReorderMaxHold);
    Delivery out;
    EXPECT_FALSE(link.pop_due(at_ms(129), out));
    ASSERT_TRUE(link.pop_due(at_ms(130), out));
    EXPECT_EQ(id_of(out.bytes), 1u);
    EXPECT_EQ(out.due_at, at_ms(130));
}

TEST(LinkConditioner, PacketsTooFarApartAreNotOvertaken) {
    // 150 ms apart: a held packet's 100 ms hold runs out before the next one is due.
    LinkConditioner link(LinkConditions{.latency_ms = 10, .reorder_pct = 30}, 17);
    const auto arrivals = run(link, every(150ms, 2000));
    for (std::size_t i = 0; i < arrivals.size(); ++i) EXPECT_EQ(arrivals[i].id, i);
    EXPECT_GT(link.counters().reordered, 0u);
}

// --- determinism ---------------------------------------------------------------------

TEST(LinkConditioner, SameSeedSameFatesAndDifferentSeedDifferentFates) {
    const LinkConditions everything{.latency_ms = 30, .jitter_ms = 10, .loss_pct = 10, .dup_pct = 5, .reorder_pct = 5};
    skirmish::util::Rng spacing(99);
    std::vector<TimePoint> times;
    TimePoint t{};
    for (int i = 0; i < 20'000; ++i) {
        t += Duration(spacing.below(20'000'000)); // 0-20 ms apart, irregular
        times.push_back(t);
    }
    LinkConditioner a(everything, 7), b(everything, 7), c(everything, 8);
    const auto first = run(a, times);
    const auto second = run(b, times);
    const auto other = run(c, times);
    EXPECT_EQ(first, second);
    EXPECT_NE(first, other);
    EXPECT_EQ(a.counters().dropped, b.counters().dropped);
}

TEST(LinkConditioner, RaisingLossLosesASupersetOfPackets) {
    const auto lost_ids = [](double loss_pct) {
        LinkConditioner link(LinkConditions{.jitter_ms = 5, .loss_pct = loss_pct, .dup_pct = 3}, 31);
        std::set<std::uint32_t> lost;
        for (std::uint32_t i = 0; i < 10'000; ++i) lost.insert(i);
        for (const auto& a : run(link, every(1ms, 10'000))) lost.erase(a.id);
        return lost;
    };
    const auto at_5 = lost_ids(5), at_10 = lost_ids(10);
    EXPECT_GT(at_10.size(), at_5.size());
    EXPECT_TRUE(std::includes(at_10.begin(), at_10.end(), at_5.begin(), at_5.end()));
}

// --- bookkeeping -------------------------------------------------------------------------

TEST(LinkConditioner, QueueLimitsCapPacketsAndBytesAndOverflowCountsAsDropped) {
    LinkConditioner by_count(LinkConditions{.latency_ms = 100}, 1, QueueLimits{.max_packets = 4, .max_bytes = 1 << 20});
    for (std::uint32_t i = 0; i < 6; ++i) {
        EXPECT_EQ(by_count.submit(packet(i, 100), at_ms(0)).fate, i < 4 ? Fate::Queued : Fate::Overflowed);
    }
    EXPECT_EQ(by_count.counters().overflowed, 2u);
    EXPECT_EQ(by_count.counters().dropped, 2u);
    EXPECT_EQ(by_count.queued_packets(), 4u);

    LinkConditioner by_bytes(LinkConditions{.latency_ms = 100}, 1, QueueLimits{.max_packets = 100, .max_bytes = 250});
    EXPECT_EQ(by_bytes.submit(packet(0, 100), at_ms(0)).fate, Fate::Queued);
    EXPECT_EQ(by_bytes.submit(packet(1, 100), at_ms(0)).fate, Fate::Queued);
    EXPECT_EQ(by_bytes.submit(packet(2, 100), at_ms(0)).fate, Fate::Overflowed);
    EXPECT_EQ(by_bytes.submit(packet(3, 50), at_ms(0)).fate, Fate::Queued);
    EXPECT_EQ(by_bytes.queued_bytes(), 250u);

    // Once delivered, there is room again.
    Delivery out;
    while (by_bytes.pop_due(at_ms(100), out)) {
    }
    EXPECT_EQ(by_bytes.queued_bytes(), 0u);
    EXPECT_EQ(by_bytes.submit(packet(4, 200), at_ms(100)).fate, Fate::Queued);
}

TEST(LinkConditioner, CountersAddUp) {
    LinkConditioner link(LinkConditions{.latency_ms = 20, .jitter_ms = 20, .loss_pct = 7, .dup_pct = 4, .reorder_pct = 6},
                         23, QueueLimits{.max_packets = 8, .max_bytes = 1 << 20});
    const auto arrivals = run(link, every(2ms, 20'000)); // 20-40 ms in flight at 2 ms: the cap of 8 bites
    const auto& c = link.counters();
    EXPECT_EQ(c.submitted, 20'000u);
    EXPECT_GT(c.overflowed, 0u);
    EXPECT_EQ(c.delivered, arrivals.size());
    EXPECT_EQ(c.submitted, c.dropped + c.delivered - c.duplicated);
    EXPECT_EQ(c.delivered_bytes, 8 * c.delivered);
    EXPECT_TRUE(link.idle());
}

TEST(LinkConditioner, LargeAndEmptyPacketsPassIntact) {
    LinkConditioner link(LinkConditions{.latency_ms = 1}, 1);
    std::vector<std::uint8_t> big(65536);
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::uint8_t>(i * 7);
    link.submit(big, at_ms(0));
    link.submit({}, at_ms(0));
    Delivery out;
    ASSERT_TRUE(link.pop_due(at_ms(1), out));
    EXPECT_EQ(out.bytes, big);
    ASSERT_TRUE(link.pop_due(at_ms(1), out));
    EXPECT_TRUE(out.bytes.empty());
    EXPECT_FALSE(link.pop_due(at_ms(1), out));
}

TEST(LinkConditioner, TimeGoingBackwardsIsTakenAsTheLatestTimeSeen) {
    LinkConditioner link(LinkConditions{.latency_ms = 10}, 1);
    link.submit(packet(0), at_ms(100));
    link.submit(packet(1), at_ms(50));
    Delivery out;
    ASSERT_TRUE(link.pop_due(at_ms(110), out));
    ASSERT_TRUE(link.pop_due(at_ms(110), out));
    EXPECT_EQ(id_of(out.bytes), 1u);
    EXPECT_EQ(out.submitted_at, at_ms(100));
}

TEST(LinkConditioner, NewConditionsApplyToLaterPacketsAndTheLinkStaysInOrder) {
    LinkConditioner link(LinkConditions{.latency_ms = 200}, 1);
    link.submit(packet(0), at_ms(0));
    link.set_conditions(LinkConditions{});
    link.submit(packet(1), at_ms(10)); // would be due at 10, waits behind packet 0
    std::vector<Arrival> arrivals;
    Delivery scratch;
    drain(link, at_ms(250), arrivals, scratch);
    link.submit(packet(2), at_ms(300));
    drain(link, TimePoint::max(), arrivals, scratch);
    ASSERT_EQ(arrivals.size(), 3u);
    EXPECT_EQ(arrivals[0], (Arrival{0, at_ms(200), at_ms(0)}));
    EXPECT_EQ(arrivals[1], (Arrival{1, at_ms(200), at_ms(10)}));
    EXPECT_EQ(arrivals[2], (Arrival{2, at_ms(300), at_ms(300)}));
}

// --- outages -----------------------------------------------------------------------------

// Windows lie on the clock: with 500 ms every 20 s, [20.0 s, 20.5 s) is one.
TEST(LinkConditioner, AnOutageDropsExactlyThePacketsOfItsWindowBothWays) {
    const Outages outages{.length_ms = 500, .every_s = 20};
    for (const Direction direction : {Direction::Up, Direction::Down}) {
        LinkConditioner link(LinkConditions{.latency_ms = 30}, skirmish::net::derive_seed(1, 0, direction), {}, outages);
        std::vector<TimePoint> times;
        for (int ms = 19'000; ms < 21'000; ++ms) times.push_back(at_ms(ms));
        const auto arrivals = run(link, times);
        std::set<std::uint32_t> arrived;
        for (const auto& a : arrivals) arrived.insert(a.id);
        for (std::uint32_t i = 0; i < times.size(); ++i) {
            const int ms = 19'000 + static_cast<int>(i);
            const bool cut = ms >= 20'000 && ms < 20'500;
            EXPECT_EQ(arrived.count(i) == 0, cut) << "packet at " << ms << " ms";
        }
        EXPECT_EQ(link.counters().cut_off, 500u);
        EXPECT_EQ(link.counters().dropped, 500u);
        EXPECT_EQ(arrivals.size(), 1500u);
    }
}

TEST(LinkConditioner, PacketsInFlightWhenAnOutageStartsGetThrough) {
    LinkConditioner link(LinkConditions{.latency_ms = 200}, 1, {}, Outages{.length_ms = 500, .every_s = 10});
    std::vector<TimePoint> times;
    for (int ms = 9'700; ms < 10'000; ms += 10) times.push_back(at_ms(ms)); // all due inside the window
    const auto arrivals = run(link, times);
    ASSERT_EQ(arrivals.size(), times.size());
    EXPECT_GE(arrivals.back().at, at_ms(10'000));
    EXPECT_EQ(link.counters().cut_off, 0u);
}

TEST(LinkConditioner, OutagesLeaveTheFatesOfOtherPacketsAsTheyWere) {
    const LinkConditions conditions{.latency_ms = 5, .loss_pct = 10, .dup_pct = 5};
    LinkConditioner plain(conditions, 9);
    LinkConditioner cut(conditions, 9, {}, Outages{.length_ms = 100, .every_s = 1});
    std::set<std::uint32_t> plain_ids, cut_ids;
    for (const auto& a : run(plain, every(1ms, 5000))) plain_ids.insert(a.id);
    for (const auto& a : run(cut, every(1ms, 5000))) cut_ids.insert(a.id);
    for (std::uint32_t i = 0; i < 5000; ++i) {
        const bool in_window = i % 1000 < 100;
        EXPECT_EQ(cut_ids.count(i), in_window ? 0u : plain_ids.count(i)) << i; // otherwise the same draws
    }
    EXPECT_EQ(cut.counters().cut_off, 500u);
}

TEST(LinkConditioner, OutagesChangedWhileRunningApplyFromTheNextPacket) {
    LinkConditioner link(LinkConditions{}, 1);
    EXPECT_EQ(link.submit(packet(0), at_ms(5)).fate, Fate::Queued);
    link.set_outages(Outages{.length_ms = 50, .every_s = 1});
    EXPECT_EQ(link.submit(packet(1), at_ms(1'010)).fate, Fate::CutOff);
    EXPECT_EQ(link.submit(packet(2), at_ms(1'050)).fate, Fate::Queued);
    link.set_outages(Outages{});
    EXPECT_EQ(link.submit(packet(3), at_ms(2'010)).fate, Fate::Queued);
    EXPECT_EQ(link.counters().cut_off, 1u);
}

TEST(Outages, WindowsFallOnTheClockAndNoneWhenOff) {
    const Outages o{.length_ms = 500, .every_s = 20};
    EXPECT_TRUE(in_outage(o, at_ms(0)));
    EXPECT_TRUE(in_outage(o, at_ms(499.999)));
    EXPECT_FALSE(in_outage(o, at_ms(500)));
    EXPECT_FALSE(in_outage(o, at_ms(19'999.999)));
    EXPECT_TRUE(in_outage(o, at_ms(40'000)));
    EXPECT_TRUE(in_outage(o, at_ms(-19'600))) << "before the epoch too";
    EXPECT_FALSE(in_outage(Outages{}, at_ms(0)));
    EXPECT_FALSE(in_outage(Outages{.length_ms = 500}, at_ms(0))) << "no period, no outage";
}

TEST(Outages, ValidateAndDescribe) {
    EXPECT_TRUE(validate(Outages{.length_ms = 500, .every_s = 20}).has_value());
    EXPECT_TRUE(validate(Outages{}).has_value());
    const auto no_period = validate(Outages{.length_ms = 500});
    ASSERT_FALSE(no_period.has_value());
    EXPECT_NE(no_period.error().find("--outage-every-s"), std::string::npos) << no_period.error();
    const auto forever = validate(Outages{.length_ms = 2000, .every_s = 2});
    ASSERT_FALSE(forever.has_value());
    EXPECT_NE(forever.error().find("never end"), std::string::npos) << forever.error();
    EXPECT_FALSE(validate(Outages{.length_ms = -1, .every_s = 2}).has_value());
    EXPECT_FALSE(validate(Outages{.length_ms = std::nan(""), .every_s = 2}).has_value());
    ConditionerConfig config;
    config.outages = {.length_ms = 500};
    EXPECT_FALSE(validate(config).has_value()) << "the whole config checks its outages";
    EXPECT_EQ(describe(Outages{.length_ms = 500, .every_s = 20}), "500 ms outage every 20 s");
    EXPECT_EQ(describe(Outages{}), "no outages");
}

// --- configuration ------------------------------------------------------------------------

TEST(ConditionerConfig, ValidateAcceptsDefaultsAndRejectsOutOfRangeWithClearText) {
    EXPECT_TRUE(validate(ConditionerConfig{}).has_value());

    ConditionerConfig bad_loss;
    bad_loss.up.loss_pct = 150;
    const auto loss = validate(bad_loss);
    ASSERT_FALSE(loss.has_value());
    EXPECT_EQ(loss.error(), "up (client→server) loss must be between 0 and 100 %, got 150");

    ConditionerConfig bad_latency;
    bad_latency.down.latency_ms = -5;
    ASSERT_FALSE(validate(bad_latency).has_value());
    EXPECT_EQ(validate(bad_latency).error(), "down (server→client) latency must be between 0 and 10000 ms, got -5");

    ConditionerConfig not_a_number;
    not_a_number.down.jitter_ms = std::nan("");
    EXPECT_FALSE(validate(not_a_number).has_value());

    ConditionerConfig no_room;
    no_room.limits.max_packets = 0;
    EXPECT_FALSE(validate(no_room).has_value());
}

TEST(ConditionerConfig, DeriveSeedGivesEveryLinkAndDirectionItsOwnStream) {
    std::set<std::uint64_t> seeds;
    for (std::uint64_t link = 0; link < 1000; ++link) {
        seeds.insert(derive_seed(1, link, Direction::Up));
        seeds.insert(derive_seed(1, link, Direction::Down));
    }
    EXPECT_EQ(seeds.size(), 2000u);
    EXPECT_EQ(derive_seed(5, 3, Direction::Up), derive_seed(5, 3, Direction::Up));
    EXPECT_NE(derive_seed(5, 3, Direction::Up), derive_seed(6, 3, Direction::Up));
}

TEST(ConditionerConfig, DescribeReadsLikeTheSettings) {
    EXPECT_EQ(describe(LinkConditions{}), "no added delay or loss");
    EXPECT_EQ(describe(LinkConditions{.latency_ms = 50, .jitter_ms = 10, .loss_pct = 5, .dup_pct = 1, .reorder_pct = 2}),
              "50 ms + 0-10 ms jitter, 5 % loss, 1 % duplicated, 2 % reordered");
}

// --- command line ---------------------------------------------------------------------------

namespace {

// Parses `args` (without the program name) into a fresh config.
ConditionerConfig parse(std::vector<std::string> args) {
    CLI::App app{"test"};
    ConditionerConfig config;
    skirmish::net::add_conditioner_options(app, config);
    std::reverse(args.begin(), args.end()); // CLI11 takes the arguments reversed
    app.parse(args);
    return config;
}

} // namespace

TEST(ConditionerCli, BothDirectionFlagsSetUpAndDown) {
    const auto config = parse({"--latency-ms", "50", "--jitter-ms", "10", "--loss-pct", "5", "--dup-pct", "1",
                               "--reorder-pct", "2", "--seed", "77"});
    const LinkConditions expected{.latency_ms = 50, .jitter_ms = 10, .loss_pct = 5, .dup_pct = 1, .reorder_pct = 2};
    EXPECT_EQ(config.up, expected);
    EXPECT_EQ(config.down, expected);
    EXPECT_EQ(config.seed, 77u);
}

TEST(ConditionerCli, PerDirectionFlagWinsWhateverTheOrder) {
    const auto before = parse({"--up-latency-ms", "10", "--latency-ms", "50", "--down-loss-pct", "3"});
    const auto after = parse({"--latency-ms", "50", "--up-latency-ms", "10", "--down-loss-pct", "3"});
    for (const auto& config : {before, after}) {
        EXPECT_EQ(config.up.latency_ms, 10);
        EXPECT_EQ(config.down.latency_ms, 50);
        EXPECT_EQ(config.up.loss_pct, 0);
        EXPECT_EQ(config.down.loss_pct, 3);
    }
}

TEST(ConditionerCli, OutageFlagsSetBothDirectionsOutages) {
    const auto config = parse({"--outage-ms", "500", "--outage-every-s", "20"});
    EXPECT_EQ(config.outages, (Outages{.length_ms = 500, .every_s = 20}));
    EXPECT_EQ(config.up, LinkConditions{});
    EXPECT_THROW(parse({"--outage-ms", "-5"}), CLI::ValidationError);
}

TEST(ConditionerCli, OutOfRangeValueIsAParseError) {
    EXPECT_THROW(parse({"--loss-pct", "101"}), CLI::ValidationError);
    EXPECT_THROW(parse({"--down-latency-ms", "-1"}), CLI::ValidationError);
}
