// 200 lobby clients at once, all driven by one io_context on the test thread
// (the way the bots run them): each quick-plays into a room, gets ready and
// receives a token for its match, within a bounded time.
#include "lobby_test_support.hpp"

#include <set>

using namespace skirmish;
using namespace skirmish::test;

namespace {

struct Bot {
    std::unique_ptr<client::LobbyClient> client;
    std::string name;
    bool ready_sent = false;
    std::optional<pl::MatchStart> start;
    std::optional<client::Disconnected> ended;
};

} // namespace

TEST(LobbyLoad, TwoHundredClientsQuickPlayIntoMatches) {
    constexpr int kClients = 200;
    LobbyUnderTest lobby;
    // All 200 connect from one address before any of them can say Hello: a
    // load test raises the per-address handshake share (docs/OPERATIONS.md).
    lobby.config.limits.max_handshakes_per_address = lobby.config.limits.max_handshakes;
    lobby.start();

    asio::io_context io;
    std::vector<Bot> bots(kClients);
    for (int i = 0; i < kClients; ++i) {
        bots[i].name = "bot" + std::to_string(i);
        bots[i].client = std::make_unique<client::LobbyClient>(io, client_config(bots[i].name));
        bots[i].client->connect("127.0.0.1", lobby.port);
        bots[i].client->send(pl::QuickPlay{8}); // held until Welcome
    }

    int done = 0;
    const auto started = std::chrono::steady_clock::now();
    const auto deadline = started + 60s;
    while (done < kClients && std::chrono::steady_clock::now() < deadline) {
        io.run_one_until(deadline);
        for (auto& bot : bots) {
            while (auto event = bot.client->next_event()) {
                if (auto* end = std::get_if<client::Disconnected>(&*event)) {
                    bot.ended = *end;
                    ADD_FAILURE() << bot.name << ": " << end->text;
                    ++done;
                    continue;
                }
                auto& message = std::get<pl::ServerMessage>(*event);
                if (std::holds_alternative<pl::RoomState>(message) && !bot.ready_sent) {
                    bot.ready_sent = true;
                    bot.client->send(pl::SetReady{true});
                } else if (auto* start = std::get_if<pl::MatchStart>(&message); start && !bot.start) {
                    bot.start = *start;
                    ++done;
                } else if (auto* error = std::get_if<pl::Error>(&message)) {
                    // AlreadyInMatch is expected for a SetReady that crossed the auto-start.
                    if (error->code != pl::ErrorCode::AlreadyInMatch) ADD_FAILURE() << bot.name << ": " << error->text;
                }
            }
        }
    }
    const double seconds = util::to_seconds(std::chrono::steady_clock::now() - started);
    ASSERT_EQ(done, kClients) << "only " << done << " of " << kClients << " finished in " << seconds << " s";
    RecordProperty("seconds", std::to_string(seconds));

    std::set<std::uint64_t> token_ids;
    std::set<std::uint32_t> matches;
    for (const auto& bot : bots) {
        ASSERT_TRUE(bot.start.has_value()) << bot.name;
        auto claims = net::open_token(bot.start->connect_token, lobby.key, protocol::kProtocolVersion, unix_ms_now());
        ASSERT_TRUE(claims.has_value()) << bot.name;
        EXPECT_EQ(claims->player_id, sim::to_int(bot.client->player_id()));
        EXPECT_EQ(claims->player_name, bot.name);
        EXPECT_EQ(claims->match_id, bot.start->match_id);
        EXPECT_EQ(claims->room_id, bot.start->room_id);
        token_ids.insert(claims->token_id);
        matches.insert(bot.start->match_id);
    }
    EXPECT_EQ(token_ids.size(), static_cast<std::size_t>(kClients));
    // Rooms of 8: at least 25 matches, each one ordered from the game side.
    EXPECT_GE(matches.size(), 25u);
    for (auto id : matches) EXPECT_TRUE(lobby.game.find(protocol::MatchId{id}).has_value()) << "match " << id;
    const auto stats = lobby.server->stats();
    EXPECT_EQ(stats.players, static_cast<std::uint64_t>(kClients));
    EXPECT_EQ(stats.bad_frames, 0u);
}
