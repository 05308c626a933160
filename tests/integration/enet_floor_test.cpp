// skirmish-enet-floor, as bench/load_test.sh --vs-floor runs it: `serve` on a
// free loopback port, `play` with a few peers against it for two seconds;
// every peer connects and gets snapshots at about the snapshot rate, and
// `serve` prints its summary when stopped. Not a measurement: the check that
// the floor still does what the figures it prints claim.
#include "app_sdl/child_process.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <regex>

using namespace skirmish::test;

namespace {

constexpr auto kWait = std::chrono::seconds(30);

} // namespace

TEST(EnetFloor, PeersConnectAndGetSnapshotsAtTheSnapshotRate) {
    ChildProcess serve({SKIRMISH_ENET_FLOOR_BINARY, "serve", "--port", "0", "--bind", "127.0.0.1", "--tick-rate", "60",
                        "--snapshot-rate", "30", "--max-peers", "64"});
    const auto listening = serve.wait_for(std::regex(R"(enet-floor serving on UDP port (\d+)\n)"), kWait);
    ASSERT_TRUE(listening) << serve.output();
    const std::string port = (*listening)[1].str();

    ChildProcess play({SKIRMISH_ENET_FLOOR_BINARY, "play", "--server", "127.0.0.1:" + port, "--peers", "8",
                       "--duration", "2", "--ramp-per-s", "0"});
    ASSERT_EQ(play.wait_for_exit(kWait), 0) << play.output();
    std::smatch m;
    const std::string out = play.output();
    ASSERT_TRUE(std::regex_search(
        out, m, std::regex(R"(enet-floor play: (\d+) of 8 peers connected at the end, snapshots per peer ([0-9.]+)/s)")))
        << out;
    EXPECT_EQ(m[1].str(), "8");
    // Two seconds at 30 a second, the connect included: well over half the rate.
    EXPECT_GT(std::stod(m[2].str()), 15.0) << out;

    serve.stop(SIGINT);
    EXPECT_NE(serve.output().find("enet-floor: "), std::string::npos) << serve.output();
    EXPECT_NE(serve.output().find("8 peers at most"), std::string::npos) << serve.output();
}
