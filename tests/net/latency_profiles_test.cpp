// shared/net/latency_profiles: the named profiles P0-P4 as issue 12 defines
// them, their conditioner settings (mean RTT, jitter each way, loss,
// duplication, reordering, seed), and --profile on the command line.
#include "shared/net/conditioner_cli.hpp"
#include "shared/net/latency_profiles.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace skirmish::net;

TEST(LatencyProfiles, TheFiveProfilesAsDefined) {
    struct Expected {
        const char* name;
        double rtt, jitter, loss, dup, reorder;
    };
    const Expected expected[] = {{"P0", 0, 0, 0, 0, 0},
                                 {"P1", 50, 5, 0.5, 0, 0},
                                 {"P2", 100, 10, 2, 0, 0},
                                 {"P3", 150, 25, 5, 5, 0},
                                 {"P4", 250, 50, 10, 5, 5}};
    ASSERT_EQ(kLatencyProfiles.size(), std::size(expected));
    for (const Expected& e : expected) {
        const LatencyProfile* p = find_latency_profile(e.name);
        ASSERT_NE(p, nullptr) << e.name;
        EXPECT_EQ(p->rtt_ms, e.rtt) << e.name;
        EXPECT_EQ(p->jitter_ms, e.jitter) << e.name;
        EXPECT_EQ(p->loss_pct, e.loss) << e.name;
        EXPECT_EQ(p->dup_pct, e.dup) << e.name;
        EXPECT_EQ(p->reorder_pct, e.reorder) << e.name;
        EXPECT_TRUE(validate(conditions_of(*p)).has_value()) << e.name;
    }
    EXPECT_EQ(latency_profile_names(), "P0, P1, P2, P3, P4");
}

TEST(LatencyProfiles, NamesAreFoundWhateverTheCase) {
    EXPECT_EQ(find_latency_profile("p3"), find_latency_profile("P3"));
    EXPECT_EQ(find_latency_profile("P5"), nullptr);
    EXPECT_EQ(find_latency_profile(""), nullptr);
    EXPECT_EQ(find_latency_profile("P33"), nullptr);
}

TEST(LatencyProfiles, TheRoundTripIsTheMeanAndJitterIsEachWays) {
    const ConditionerConfig p3 = conditions_of(*find_latency_profile("P3"));
    for (const LinkConditions& link : {p3.up, p3.down}) {
        EXPECT_DOUBLE_EQ(link.latency_ms, 62.5); // + a mean of 12.5 jitter = 75 one way
        EXPECT_DOUBLE_EQ(link.jitter_ms, 25);
        EXPECT_DOUBLE_EQ(link.loss_pct, 5);
        EXPECT_DOUBLE_EQ(link.dup_pct, 5);
        EXPECT_DOUBLE_EQ(link.reorder_pct, 0);
        EXPECT_DOUBLE_EQ(2 * (link.latency_ms + link.jitter_ms / 2), 150.0);
    }
    EXPECT_EQ(p3.profile, "P3");
    EXPECT_EQ(p3.seed, find_latency_profile("P3")->seed);
    EXPECT_EQ(conditions_of(*find_latency_profile("P0")).up, LinkConditions{});
}

TEST(LatencyProfiles, EveryProfileSharesOneSeedSoMoreLossLosesASuperset) {
    for (const LatencyProfile& p : kLatencyProfiles) EXPECT_EQ(p.seed, kLatencyProfiles[0].seed) << p.name;
}

TEST(LatencyProfiles, ChangedSettingsNoLongerFollowTheProfile) {
    ConditionerConfig c = conditions_of(*find_latency_profile("P2"));
    EXPECT_TRUE(follows_profile(c));
    c.seed = 99;
    EXPECT_TRUE(follows_profile(c)) << "another seed is still the profile";
    c.down.loss_pct = 0;
    EXPECT_FALSE(follows_profile(c));
    EXPECT_FALSE(follows_profile(ConditionerConfig{}));
}

namespace {

ConditionerConfig parse_flags(std::vector<std::string> args) {
    CLI::App app{"test"};
    ConditionerConfig config;
    add_conditioner_options(app, config);
    std::reverse(args.begin(), args.end()); // CLI11 takes the arguments reversed
    app.parse(args);
    return config;
}

} // namespace

TEST(LatencyProfiles, ProfileOnTheCommandLineAndFlagsThatChangeIt) {
    EXPECT_EQ(parse_flags({"--profile", "P3"}), conditions_of(*find_latency_profile("P3")));
    // Any other flag wins over the profile, before or after it on the line.
    for (const auto& config : {parse_flags({"--profile", "p3", "--down-loss-pct", "0", "--seed", "7"}),
                               parse_flags({"--seed", "7", "--down-loss-pct", "0", "--profile", "P3"})}) {
        EXPECT_EQ(config.profile, "P3");
        EXPECT_EQ(config.seed, 7u);
        EXPECT_EQ(config.up.loss_pct, 5);
        EXPECT_EQ(config.down.loss_pct, 0);
        EXPECT_EQ(config.down.dup_pct, 5);
        EXPECT_FALSE(follows_profile(config));
    }
    try {
        parse_flags({"--profile", "P9"});
        FAIL() << "an unknown profile must be refused";
    } catch (const CLI::ValidationError& e) {
        EXPECT_NE(std::string(e.what()).find("choose one of P0, P1, P2, P3, P4"), std::string::npos) << e.what();
    }
}
