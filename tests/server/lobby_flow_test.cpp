// The lobby over real sockets on 127.0.0.1: players meet in rooms, chat, get
// ready and each receives a distinct connect token for the match the game side
// was told about; results come back into the room.
#include "lobby_test_support.hpp"

#include <set>

using namespace skirmish;
using namespace skirmish::test;

TEST(LobbyFlow, FourPlayersCreateJoinChatReadyAndGetDistinctTokens) {
    LobbyUnderTest lobby;
    lobby.start();
    const std::vector<std::string> names = {"alice", "bob", "carol", "dave"};
    std::vector<std::unique_ptr<client::BlockingLobbyClient>> players;
    for (const auto& n : names) players.push_back(welcomed(lobby.port, n));

    protocol::MatchSettings settings;
    settings.map = "courtyard";
    settings.max_players = 4;
    settings.frag_limit = 10;
    players[0]->send(pl::CreateRoom{"Friday", settings});
    auto created = wait_room(*players[0], 1);
    ASSERT_TRUE(created.has_value());
    EXPECT_EQ(created->host_id, players[0]->player_id());
    EXPECT_EQ(created->settings, settings);
    EXPECT_EQ(created->name, "Friday");

    players[1]->send(pl::ListRooms{});
    auto list = players[1]->wait_for<pl::RoomList>();
    ASSERT_TRUE(list.has_value());
    ASSERT_EQ(list->rooms.size(), 1u);
    EXPECT_EQ(list->rooms[0].room_id, created->room_id);
    EXPECT_EQ(list->rooms[0].players, 1);

    for (std::size_t i = 1; i < players.size(); ++i) {
        players[i]->send(pl::JoinRoom{created->room_id});
        ASSERT_TRUE(wait_room(*players[i], i + 1).has_value());
    }
    // Everyone sees everyone, in join order.
    auto full = wait_room(*players[0], 4);
    ASSERT_TRUE(full.has_value());
    for (std::size_t i = 0; i < names.size(); ++i) EXPECT_EQ(full->members[i].name, names[i]);

    players[2]->send(pl::Chat{"hello\x07 all"});
    for (auto& p : players) {
        auto chat = p->wait_for<pl::ChatMessage>();
        ASSERT_TRUE(chat.has_value());
        EXPECT_EQ(chat->text, "hello all"); // the control character is gone
        EXPECT_EQ(chat->from_player_id, players[2]->player_id());
        EXPECT_EQ(chat->from_name, "carol");
    }

    for (auto& p : players) p->send(pl::SetReady{true});
    std::set<std::vector<std::uint8_t>> tokens;
    std::uint32_t match_id = 0;
    for (std::size_t i = 0; i < players.size(); ++i) {
        // RoomState (now InMatch, nobody ready, everyone in the match) comes first, then the token.
        auto in_match = players[i]->wait_for<pl::RoomState>(
            5s, [](const pl::RoomState& s) { return s.phase == pl::RoomPhase::InMatch; });
        ASSERT_TRUE(in_match.has_value()) << names[i];
        for (const auto& m : in_match->members) {
            EXPECT_TRUE(m.in_match);
            EXPECT_FALSE(m.ready);
        }
        auto start = players[i]->wait_for<pl::MatchStart>();
        ASSERT_TRUE(start.has_value()) << names[i];
        expect_token_for(*start, lobby.key, players[i]->player_id(), names[i]);
        EXPECT_EQ(start->port, 7777);
        EXPECT_EQ(start->settings, settings);
        EXPECT_FALSE(start->in_progress);
        tokens.insert(start->connect_token);
        match_id = start->match_id;
    }
    EXPECT_EQ(tokens.size(), 4u);
    // The game side was told before anyone got a token, with everyone in it.
    auto order = lobby.game.find(protocol::MatchId{match_id});
    ASSERT_TRUE(order.has_value());
    EXPECT_EQ(protocol::to_int(order->room_id), created->room_id);
    EXPECT_EQ(order->settings, settings);
    ASSERT_EQ(order->players.size(), 4u);
    EXPECT_EQ(order->players[3].name, "dave");
}

TEST(LobbyFlow, TheHostStartsWithoutEveryoneReady) {
    LobbyUnderTest lobby;
    lobby.start();
    auto host = welcomed(lobby.port, "host");
    auto guest = welcomed(lobby.port, "guest");
    host->send(pl::CreateRoom{"r", {}});
    auto room = wait_room(*host, 1);
    ASSERT_TRUE(room);
    guest->send(pl::JoinRoom{room->room_id});
    ASSERT_TRUE(wait_room(*host, 2));
    host->send(pl::StartMatch{});
    ASSERT_TRUE(host->wait_for<pl::MatchStart>());
    ASSERT_TRUE(guest->wait_for<pl::MatchStart>());
    EXPECT_EQ(lobby.server->stats().matches_started, 1u);
}

TEST(LobbyFlow, QuickPlayJoinsTheFullestRoomOrCreatesOne) {
    LobbyUnderTest lobby;
    lobby.start();
    auto a = welcomed(lobby.port, "a");
    auto b = welcomed(lobby.port, "b");
    auto c = welcomed(lobby.port, "c");
    auto d = welcomed(lobby.port, "d");
    a->send(pl::QuickPlay{4}); // no rooms: creates one
    auto first = wait_room(*a, 1);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->settings.max_players, 4);
    EXPECT_EQ(first->settings.map, "arena");
    b->send(pl::CreateRoom{"empty-ish", {}});
    auto second = wait_room(*b, 1);
    ASSERT_TRUE(second);
    c->send(pl::JoinRoom{first->room_id});
    ASSERT_TRUE(wait_room(*c, 2));
    d->send(pl::QuickPlay{});
    auto joined = wait_room(*d, 3);
    ASSERT_TRUE(joined);
    EXPECT_EQ(joined->room_id, first->room_id); // the fuller of the two
}

TEST(LobbyFlow, AJoinerDuringAMatchGetsATokenForIt) {
    LobbyUnderTest lobby;
    lobby.start();
    auto a = welcomed(lobby.port, "a");
    auto b = welcomed(lobby.port, "b");
    ASSERT_TRUE(make_room(*a, {b.get()}));
    a->send(pl::SetReady{true});
    b->send(pl::SetReady{true});
    auto running = a->wait_for<pl::MatchStart>();
    ASSERT_TRUE(running);

    auto late = welcomed(lobby.port, "late");
    late->send(pl::QuickPlay{});
    auto start = late->wait_for<pl::MatchStart>();
    ASSERT_TRUE(start);
    EXPECT_TRUE(start->in_progress);
    EXPECT_EQ(start->match_id, running->match_id);
    expect_token_for(*start, lobby.key, late->player_id(), "late");
}

TEST(LobbyFlow, MatchResultsComeBackIntoTheRoom) {
    LobbyUnderTest lobby;
    lobby.start();
    auto a = welcomed(lobby.port, "a");
    auto b = welcomed(lobby.port, "b");
    ASSERT_TRUE(make_room(*a, {b.get()}));
    a->send(pl::StartMatch{});
    auto start = b->wait_for<pl::MatchStart>();
    ASSERT_TRUE(start);

    lobby.server->player_left_match(protocol::MatchId{start->match_id}, sim::PlayerId{b->player_id()});
    auto left = a->wait_for<pl::RoomState>(5s, [&](const pl::RoomState& s) {
        return s.phase == pl::RoomPhase::InMatch && !s.members[1].in_match && s.members[0].in_match;
    });
    EXPECT_TRUE(left.has_value());

    protocol::MatchResults results;
    results.match_id = start->match_id;
    results.room_id = start->room_id;
    results.reason = protocol::MatchEndReason::FragLimit;
    results.duration_s = 42.0f;
    results.scores = {{a->player_id(), "a", 20, 3}, {b->player_id(), "b", 3, 20}};
    lobby.server->match_ended(results);
    auto ended = b->wait_for<pl::MatchEnded>();
    ASSERT_TRUE(ended);
    EXPECT_EQ(ended->results, results);
    auto waiting = a->wait_for<pl::RoomState>(
        5s, [](const pl::RoomState& s) { return s.phase == pl::RoomPhase::Waiting && s.last_results; });
    ASSERT_TRUE(waiting);
    EXPECT_EQ(*waiting->last_results, results);

    // The room can play again.
    a->send(pl::StartMatch{});
    auto again = b->wait_for<pl::MatchStart>();
    ASSERT_TRUE(again);
    EXPECT_NE(again->match_id, start->match_id);
}

TEST(LobbyFlow, TheHostLeavingHandsTheRoomOverAndTheLastOneOutRemovesIt) {
    LobbyUnderTest lobby;
    lobby.start();
    auto a = welcomed(lobby.port, "a");
    auto b = welcomed(lobby.port, "b");
    auto c = welcomed(lobby.port, "c");
    auto room = make_room(*a, {b.get(), c.get()});
    ASSERT_TRUE(room);
    ASSERT_TRUE(wait_room(*b, 3));

    a->send(pl::LeaveRoom{});
    auto left = a->wait_for<pl::LeftRoom>();
    ASSERT_TRUE(left);
    EXPECT_EQ(left->room_id, room->room_id);
    auto handed = wait_room(*c, 2);
    ASSERT_TRUE(handed);
    EXPECT_EQ(handed->host_id, b->player_id());

    b.reset(); // the new host disconnects
    auto alone = wait_room(*c, 1);
    ASSERT_TRUE(alone);
    EXPECT_EQ(alone->host_id, c->player_id());

    c->send(pl::LeaveRoom{});
    ASSERT_TRUE(c->wait_for<pl::LeftRoom>());
    a->send(pl::ListRooms{});
    auto list = a->wait_for<pl::RoomList>();
    ASSERT_TRUE(list);
    EXPECT_TRUE(list->rooms.empty());
    EXPECT_EQ(list->total_rooms, 0u);
}

TEST(LobbyFlow, AReadyRoomStartsWhenTheOnlyUnreadyMemberLeaves) {
    LobbyUnderTest lobby;
    lobby.start();
    auto a = welcomed(lobby.port, "a");
    auto b = welcomed(lobby.port, "b");
    auto c = welcomed(lobby.port, "c");
    auto room = make_room(*a, {b.get(), c.get()});
    ASSERT_TRUE(room);
    a->send(pl::SetReady{true});
    b->send(pl::SetReady{true});
    ASSERT_TRUE(a->wait_for<pl::RoomState>(5s, [](const pl::RoomState& s) { return s.members[1].ready; }));
    c->send(pl::LeaveRoom{});
    ASSERT_TRUE(a->wait_for<pl::MatchStart>());
}

TEST(LobbyFlow, PingIsAnsweredWithTheSameNonce) {
    LobbyUnderTest lobby;
    lobby.start();
    auto a = welcomed(lobby.port, "a");
    a->send(pl::Ping{0xABCDEF});
    auto pong = a->wait_for<pl::Pong>();
    ASSERT_TRUE(pong);
    EXPECT_EQ(pong->nonce, 0xABCDEFu);
}

TEST(LobbyFlow, WelcomeDescribesTheServer) {
    LobbyUnderTest lobby;
    lobby.config.limits.idle_timeout = 45s;
    lobby.start();
    client::BlockingLobbyClient a(client_config("a"));
    auto welcome = a.connect("127.0.0.1", lobby.port);
    ASSERT_TRUE(welcome.has_value());
    EXPECT_NE(welcome->player_id, 0u);
    EXPECT_EQ(welcome->server_name, "test lobby");
    EXPECT_EQ(welcome->protocol_version, protocol::kProtocolVersion);
    EXPECT_EQ(welcome->maps, (std::vector<std::string>{"arena", "courtyard"}));
    EXPECT_EQ(welcome->tick_rate_hz, 60);
    EXPECT_EQ(welcome->snapshot_rate_hz, 30);
    EXPECT_EQ(welcome->idle_timeout_s, 45);
    EXPECT_EQ(a.client().state(), client::LobbyState::Ready);
}

TEST(LobbyFlow, GamePortDefaultsToTheLobbyPort) {
    LobbyUnderTest lobby;
    lobby.config.game_port = 0;
    lobby.start();
    auto a = welcomed(lobby.port, "a");
    auto b = welcomed(lobby.port, "b");
    a->send(pl::QuickPlay{2});
    b->send(pl::QuickPlay{2});
    a->send(pl::SetReady{true});
    b->send(pl::SetReady{true});
    auto start = a->wait_for<pl::MatchStart>();
    ASSERT_TRUE(start);
    EXPECT_EQ(start->port, lobby.port);
}

TEST(LobbyFlow, RequestsQueuedBeforeWelcomeGoOutAfterIt) {
    LobbyUnderTest lobby;
    lobby.start();
    client::BlockingLobbyClient a(client_config("eager"));
    a.client().connect("127.0.0.1", lobby.port);
    a.send(pl::QuickPlay{});
    auto room = wait_room(a, 1);
    ASSERT_TRUE(room);
    EXPECT_EQ(room->members[0].name, "eager");
}

// --- starting and stopping -----------------------------------------------------------------------

TEST(LobbyServerStart, APortInUseIsOneClearLine) {
    LobbyUnderTest first;
    first.start();
    RecordingGameLink game;
    auto config = test_config(first.key);
    config.port = first.port;
    server::LobbyServer second(config, game, util::Logger("test", util::LogLevel::Off));
    auto result = second.start();
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error(), fmt::format("TCP port {} is already in use: is another skirmish-server running? Pick "
                                          "another with --port",
                                          first.port));
}

TEST(LobbyServerStart, ABadBindAddressIsExplained) {
    RecordingGameLink game;
    auto config = test_config(net::generate_token_key());
    config.bind_address = "not-an-address";
    server::LobbyServer lobby(config, game, util::Logger("test", util::LogLevel::Off));
    auto result = lobby.start();
    ASSERT_FALSE(result.has_value());
    EXPECT_NE(result.error().find("not an IP address"), std::string::npos) << result.error();
}

TEST(LobbyServerStart, ItNeedsMaps) {
    RecordingGameLink game;
    auto config = test_config(net::generate_token_key());
    config.maps.clear();
    server::LobbyServer lobby(config, game, util::Logger("test", util::LogLevel::Off));
    EXPECT_FALSE(lobby.start().has_value());
}

TEST(LobbyServerStart, StopTellsEveryClientAndClosesThem) {
    LobbyUnderTest lobby;
    lobby.start();
    auto a = welcomed(lobby.port, "a");
    a->send(pl::QuickPlay{});
    ASSERT_TRUE(wait_room(*a, 1));
    lobby.server->stop();
    auto bye = a->wait_for_error(pl::ErrorCode::ServerShuttingDown);
    ASSERT_TRUE(bye);
    auto end = a->wait_for_disconnect();
    ASSERT_TRUE(end);
    EXPECT_EQ(end->reason, client::LobbyDisconnect::ServerError);
    EXPECT_EQ(end->code, pl::ErrorCode::ServerShuttingDown);
}

TEST(LobbyClientDisconnect, RefusedConnectionSaysWhatToDo) {
    std::uint16_t port = 0;
    {
        LobbyUnderTest lobby; // take a free port and give it back
        lobby.start();
        port = lobby.port;
    }
    client::BlockingLobbyClient a(client_config("a"));
    auto result = a.connect("127.0.0.1", port);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().reason, client::LobbyDisconnect::Refused);
    EXPECT_EQ(result.error().text,
              fmt::format("connection refused by 127.0.0.1:{}: is skirmish-server running?", port));
}

TEST(LobbyClientDisconnect, AServerThatNeverWelcomesTimesOut) {
    asio::io_context io;
    asio::ip::tcp::acceptor silent(io, {asio::ip::make_address("127.0.0.1"), 0}); // accepts (backlog), never answers
    auto config = client_config("a");
    config.welcome_timeout = 200ms;
    client::BlockingLobbyClient a(config);
    auto result = a.connect("127.0.0.1", silent.local_endpoint().port());
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().reason, client::LobbyDisconnect::WelcomeTimeout);
    EXPECT_NE(result.error().text.find("no Welcome within"), std::string::npos);
}
