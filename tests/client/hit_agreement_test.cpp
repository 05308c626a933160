// client/core/hit_agreement: the server's verdict on each of our shots, read
// exactly from our own player in the snapshots (next_fire_tick, hits), matched
// with what the player saw by input tick, and why a hit seen was refused.
#include "client/core/hit_agreement.hpp"
#include "support/test_players.hpp"

#include <gtest/gtest.h>

using namespace skirmish;

namespace {

constexpr sim::Tick kCooldown = 12;
constexpr sim::Tick kRespawn = 120;
using skirmish::test::kSelf;
constexpr sim::PlayerId kTarget{2};

// Our player as a snapshot shows it: fired last at `fired_at` (0: never), with `hits`.
sim::Player self(sim::Tick fired_at, int hits) {
    sim::Player p;
    p.id = kSelf;
    p.alive = true;
    p.next_fire_tick = fired_at ? fired_at + kCooldown : 0;
    p.hits = static_cast<std::int16_t>(hits);
    return p;
}

// A player killed at step `died` (0: alive), as snapshots after it show it.
sim::Player other(sim::PlayerId id, sim::Tick died = 0) {
    sim::Player p;
    p.id = id;
    p.alive = died == 0;
    p.respawn_tick = died ? died + 1 + kRespawn : 0;
    return p;
}

// A snapshot of `tick` holding us and the target.
void snap(client::HitAgreement& h, sim::Tick tick, const sim::Player& us, const sim::Player& target = other(kTarget)) {
    const std::vector<sim::Player> players{us, target};
    h.snapshot(tick, players, kSelf);
}

client::HitAgreement make() { return client::HitAgreement(kCooldown, kRespawn); }
const std::optional<sim::PlayerId> kSawHit = kTarget;
const std::optional<sim::PlayerId> kSawMiss = std::nullopt;

} // namespace

TEST(HitAgreement, ConfirmsAHitTheServerCountedForTheSameTick) {
    client::HitAgreement h = make();
    const sim::Player start = self(0, 0);
    snap(h, 100, start);
    h.fired(103, 93, kSawHit);
    h.inputs_through(110);
    const sim::Player after = self(103, 1);
    snap(h, 104, after);
    EXPECT_EQ(h.counts().shots, 1u);
    EXPECT_EQ(h.counts().client_hits, 1u);
    EXPECT_EQ(h.counts().confirmed_client_hits, 1u);
    EXPECT_EQ(h.counts().phantom_hits, 0u);
    EXPECT_DOUBLE_EQ(h.counts().agreement_pct(), 100.0);
}

TEST(HitAgreement, AHitTheServerMissedIsNotConfirmed) {
    client::HitAgreement h = make();
    const sim::Player a = self(0, 0), b = self(103, 0);
    snap(h, 100, a);
    h.fired(103, 93, kSawHit);
    h.inputs_through(110);
    snap(h, 104, b);
    EXPECT_EQ(h.counts().client_hits, 1u);
    EXPECT_EQ(h.counts().confirmed_client_hits, 0u);
    EXPECT_EQ(h.counts().server_missed, 1u);
    EXPECT_DOUBLE_EQ(h.counts().agreement_pct(), 0.0);
}

TEST(HitAgreement, AServerHitOfAShotSeenToMissIsAPhantom) {
    client::HitAgreement h = make();
    const sim::Player a = self(0, 0), b = self(103, 1);
    snap(h, 100, a);
    h.fired(103, 93, kSawMiss);
    h.inputs_through(110);
    snap(h, 104, b);
    EXPECT_EQ(h.counts().client_hits, 0u);
    EXPECT_EQ(h.counts().phantom_hits, 1u);
}

TEST(HitAgreement, AShotTheServerFiredAtAnotherTickDoesNotMatch) {
    // Our input of 103 came late: the server repeated an older input that
    // fired at 102 and hit. Ours is unconfirmed; the server's is a phantom.
    client::HitAgreement h = make();
    const sim::Player a = self(0, 0), b = self(102, 1);
    snap(h, 100, a);
    h.fired(103, 93, kSawHit);
    h.inputs_through(110);
    snap(h, 104, b);
    EXPECT_EQ(h.counts().client_hits, 1u);
    EXPECT_EQ(h.counts().confirmed_client_hits, 0u);
    EXPECT_EQ(h.counts().input_not_applied, 1u);
    EXPECT_EQ(h.counts().phantom_hits, 1u);
}

TEST(HitAgreement, WaitsForTheSnapshotAndForOurInputsBeforeJudging) {
    client::HitAgreement h = make();
    const sim::Player a = self(0, 0), b = self(103, 1);
    snap(h, 100, a);
    h.fired(103, 93, kSawHit);
    EXPECT_EQ(h.counts().client_hits, 0u) << "no snapshot covers tick 103 yet";
    snap(h, 104, b);
    // The server's hit at 103 is held until our inputs are known through it.
    EXPECT_EQ(h.counts().phantom_hits, 0u);
    h.inputs_through(104);
    EXPECT_EQ(h.counts().confirmed_client_hits, 1u);
    EXPECT_EQ(h.counts().phantom_hits, 0u);
}

TEST(HitAgreement, LostSnapshotsWithinACooldownStillTellEachShot) {
    client::HitAgreement h = make();
    const sim::Player a = self(0, 0), b = self(103, 1), c = self(115, 1);
    snap(h, 100, a);
    h.fired(103, 93, kSawHit);
    h.fired(115, 105, kSawHit);
    h.inputs_through(200);
    snap(h, 110, b); // 102..108 lost: 10 ticks apart, still under one cooldown
    snap(h, 118, c);
    EXPECT_EQ(h.counts().client_hits, 2u);
    EXPECT_EQ(h.counts().confirmed_client_hits, 1u);
    EXPECT_EQ(h.counts().server_missed, 1u);
    EXPECT_EQ(h.counts().unresolved, 0u);
}

TEST(HitAgreement, AGapLongerThanACooldownLeavesItsShotsUnresolved) {
    client::HitAgreement h = make();
    const sim::Player a = self(0, 0), b = self(115, 2), c = self(115, 2);
    snap(h, 100, a);
    h.fired(102, 92, kSawHit);
    h.fired(115, 105, kSawHit);
    h.fired(130, 120, kSawHit);
    h.inputs_through(200);
    snap(h, 120, b); // two shots fit in 100..119: which one hit is not told
    snap(h, 140, c); // no shot between 120 and 139: the one at 130 did not happen
    EXPECT_EQ(h.counts().shots, 3u);
    EXPECT_EQ(h.counts().unresolved, 2u);
    EXPECT_EQ(h.counts().client_hits, 1u);
    EXPECT_EQ(h.counts().input_not_applied, 1u);
}

TEST(HitAgreement, ShotsBeforeTheFirstSnapshotAreUnresolved) {
    client::HitAgreement h = make();
    h.fired(50, 40, kSawHit);
    h.inputs_through(60);
    const sim::Player a = self(0, 0);
    snap(h, 100, a);
    EXPECT_EQ(h.counts().unresolved, 1u);
    EXPECT_EQ(h.counts().client_hits, 0u);
}

TEST(HitAgreement, ATickAlreadyJudgedCannotBeFiredAgain) {
    client::HitAgreement h = make();
    const sim::Player a = self(0, 0), b = self(0, 0);
    snap(h, 100, a);
    h.inputs_through(120);
    snap(h, 110, b);
    h.fired(105, 95, kSawHit); // the input clock went back after a resync
    EXPECT_EQ(h.counts().shots, 1u);
    EXPECT_EQ(h.counts().unresolved, 1u);
    EXPECT_EQ(h.counts().client_hits, 0u);
}

TEST(HitAgreement, WaitingShotsAreBounded) {
    client::HitAgreement h = make();
    const sim::Player a = self(0, 0);
    snap(h, 100, a);
    const auto n = static_cast<sim::Tick>(client::HitAgreement::kMaxPending + 50);
    for (sim::Tick t = 0; t < n; ++t) h.fired(200 + t, 190 + t, kSawHit); // no snapshot ever covers them
    EXPECT_EQ(h.counts().shots, n);
    EXPECT_EQ(h.counts().unresolved, 50u);
}

TEST(HitAgreement, ATargetAnotherPlayerKilledBeforeTheShotIsTold) {
    client::HitAgreement h = make();
    snap(h, 100, self(0, 0));
    h.fired(103, 90, kSawHit); // we saw it alive at 90; someone killed it at 101
    h.inputs_through(110);
    snap(h, 104, self(103, 0), other(kTarget, 101));
    EXPECT_EQ(h.counts().client_hits, 1u);
    EXPECT_EQ(h.counts().target_died_first, 1u);
    EXPECT_EQ(h.counts().server_missed, 0u);
}

TEST(HitAgreement, ATargetKilledOnTheSameTickStillCountsOurHit) {
    // Shots of one step all see the same positions: ours hit too.
    client::HitAgreement h = make();
    snap(h, 100, self(0, 0));
    h.fired(103, 90, kSawHit);
    h.inputs_through(110);
    snap(h, 104, self(103, 1), other(kTarget, 103));
    EXPECT_EQ(h.counts().confirmed_client_hits, 1u);
}

TEST(HitAgreement, AShooterKilledBeforeItsShotIsTold) {
    client::HitAgreement h = make();
    snap(h, 100, self(0, 0));
    h.fired(103, 90, kSawHit); // the server had us killed at 102: no shot
    h.inputs_through(110);
    sim::Player dead = self(0, 0);
    dead.alive = false;
    dead.respawn_tick = 102 + 1 + kRespawn;
    snap(h, 104, dead);
    EXPECT_EQ(h.counts().client_hits, 1u);
    EXPECT_EQ(h.counts().shooter_died_first, 1u);
    EXPECT_EQ(h.counts().input_not_applied, 0u);
}

TEST(HitAgreement, TheReasonsAddUpToTheUnconfirmedHits) {
    client::HitAgreement h = make();
    snap(h, 100, self(0, 0));
    h.fired(101, 90, kSawHit);  // confirmed
    h.fired(113, 100, kSawHit); // missed on the server
    h.fired(125, 110, kSawHit); // target killed first, at 120
    h.fired(137, 125, kSawHit); // our input came late: no shot at 137
    h.inputs_through(200);
    snap(h, 102, self(101, 1));
    snap(h, 114, self(113, 1));
    snap(h, 126, self(125, 1), other(kTarget, 120));
    snap(h, 138, self(125, 1), other(kTarget, 120));
    const client::HitCounts& c = h.counts();
    EXPECT_EQ(c.client_hits, 4u);
    EXPECT_EQ(c.confirmed_client_hits, 1u);
    EXPECT_EQ(c.server_missed, 1u);
    EXPECT_EQ(c.target_died_first, 1u);
    EXPECT_EQ(c.input_not_applied, 1u);
    EXPECT_EQ(c.confirmed_client_hits + c.server_missed + c.target_died_first + c.input_not_applied +
                  c.shooter_died_first,
              c.client_hits);
    EXPECT_DOUBLE_EQ(c.agreement_pct(), 25.0);
}

TEST(HitAgreement, OverkillIsToldFromAnotherPlayersKill) {
    // Our shot at 101 killed the target (confirmed); the view of our shot at
    // 113 still showed it standing. Then someone else kills it at 140 and our
    // shot at 149 (viewed at 130) is refused too.
    client::HitAgreement h = make();
    snap(h, 100, self(0, 0));
    h.fired(101, 90, kSawHit);
    h.fired(113, 95, kSawHit);
    h.inputs_through(126);
    snap(h, 102, self(101, 1), other(kTarget, 101));
    snap(h, 114, self(113, 1), other(kTarget, 101));
    sim::Player back = other(kTarget);
    back.respawn_tick = 101 + 1 + kRespawn; // alive again, as a respawned player shows it
    h.fired(149, 130, kSawHit);
    h.inputs_through(160);
    snap(h, 126, self(113, 1), back);
    snap(h, 138, self(113, 1), back);
    snap(h, 150, self(149, 1), other(kTarget, 140));
    const client::HitCounts& c = h.counts();
    EXPECT_EQ(c.client_hits, 3u);
    EXPECT_EQ(c.confirmed_client_hits, 1u);
    EXPECT_EQ(c.target_died_first, 2u);
    EXPECT_EQ(c.target_killed_by_us, 1u);
    EXPECT_DOUBLE_EQ(c.unraced_agreement_pct(), 100.0);
    EXPECT_NEAR(c.agreement_pct(), 100.0 / 3.0, 1e-9);
}
