// Every ErrorCode the lobby sends, over real sockets: when it is sent, what it
// answers (in_reply_to), and whether the connection survives it.
#include "lobby_test_support.hpp"

using namespace skirmish;
using namespace skirmish::test;
using pl::ErrorCode;
using pl::MessageKind;

namespace {

// Expects an Error with this code in reply to `kind`, and the session still usable after it.
void expect_error_and_alive(client::BlockingLobbyClient& c, ErrorCode code, MessageKind kind) {
    auto error = c.wait_for_error(code);
    ASSERT_TRUE(error.has_value()) << "no " << pl::name(code);
    EXPECT_EQ(error->in_reply_to, kind);
    EXPECT_FALSE(error->text.empty());
    EXPECT_FALSE(pl::closes_connection(code));
    c.send(pl::Ping{1});
    EXPECT_TRUE(c.wait_for<pl::Pong>().has_value()) << "the session should survive " << pl::name(code);
}

// Expects an Error with this code, then the server closing the connection.
void expect_error_and_closed(client::BlockingLobbyClient& c, ErrorCode code) {
    auto end = c.wait_for_disconnect();
    ASSERT_TRUE(end.has_value()) << "still connected, expected " << pl::name(code);
    EXPECT_EQ(end->reason, client::LobbyDisconnect::ServerError) << end->text;
    EXPECT_EQ(end->code, code) << end->text;
    EXPECT_TRUE(pl::closes_connection(code));
}

struct TwoInARoom {
    std::unique_ptr<client::BlockingLobbyClient> host, guest;
    std::uint32_t room_id = 0;
};

TwoInARoom two_in_a_room(LobbyUnderTest& lobby, protocol::MatchSettings settings = {}) {
    TwoInARoom r;
    r.host = welcomed(lobby.port, "host");
    r.guest = welcomed(lobby.port, "guest");
    r.host->send(pl::CreateRoom{"room", settings});
    auto created = wait_room(*r.host, 1);
    EXPECT_TRUE(created);
    r.room_id = created ? created->room_id : 0;
    r.guest->send(pl::JoinRoom{r.room_id});
    EXPECT_TRUE(wait_room(*r.guest, 2));
    return r;
}

} // namespace

TEST(LobbyErrors, WrongProtocolVersionClosesWithBothVersions) {
    LobbyUnderTest lobby;
    lobby.start();
    auto config = client_config("old");
    config.protocol_version = protocol::kProtocolVersion + 1;
    client::BlockingLobbyClient c(config);
    auto result = c.connect("127.0.0.1", lobby.port);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::WrongProtocolVersion);
    EXPECT_NE(result.error().text.find(fmt::format("speaks lobby protocol {} and your client speaks {}",
                                                   protocol::kProtocolVersion, protocol::kProtocolVersion + 1)),
              std::string::npos)
        << result.error().text;
}

TEST(LobbyErrors, BadNameCanBeRetried) {
    LobbyUnderTest lobby;
    lobby.start();
    auto config = client_config("bad\tname");
    config.keep_open_on_refused_name = true;
    client::BlockingLobbyClient c(config);
    c.client().connect("127.0.0.1", lobby.port);
    auto error = c.wait_for_error(ErrorCode::BadName);
    ASSERT_TRUE(error);
    EXPECT_EQ(error->in_reply_to, MessageKind::Hello);
    c.send(pl::Hello{protocol::kProtocolVersion, "good name"});
    EXPECT_TRUE(c.wait_for<pl::Welcome>());
}

TEST(LobbyErrors, NameTakenIgnoresAsciiCaseAndCanBeRetried) {
    LobbyUnderTest lobby;
    lobby.start();
    auto first = welcomed(lobby.port, "Alice");
    auto config = client_config("alice");
    config.keep_open_on_refused_name = true;
    client::BlockingLobbyClient c(config);
    c.client().connect("127.0.0.1", lobby.port);
    ASSERT_TRUE(c.wait_for_error(ErrorCode::NameTaken));
    c.send(pl::Hello{protocol::kProtocolVersion, "alice2"});
    EXPECT_TRUE(c.wait_for<pl::Welcome>());
    // The name is free again once its player leaves.
    first.reset();
    auto deadline = std::chrono::steady_clock::now() + 5s;
    bool welcomed_again = false;
    while (!welcomed_again && std::chrono::steady_clock::now() < deadline) {
        client::BlockingLobbyClient again(client_config("ALICE"));
        welcomed_again = again.connect("127.0.0.1", lobby.port).has_value();
    }
    EXPECT_TRUE(welcomed_again);
}

TEST(LobbyErrors, ATakenNameEndsTheConnectionWithTheServersReasonNotATimeout) {
    LobbyUnderTest lobby;
    lobby.start();
    auto first = welcomed(lobby.port, "Alice");
    auto config = client_config("alice");
    config.welcome_timeout = 30s; // the answer must come from the server, long before this
    client::BlockingLobbyClient c(config);
    const auto started = std::chrono::steady_clock::now();
    c.client().connect("127.0.0.1", lobby.port);
    const auto end = c.wait_for_disconnect(5s);
    ASSERT_TRUE(end);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
    EXPECT_EQ(end->reason, client::LobbyDisconnect::NameRefused);
    EXPECT_EQ(end->code, ErrorCode::NameTaken);
    EXPECT_NE(end->text.find("the name 'alice' is taken on this server: pick another"), std::string::npos) << end->text;
    EXPECT_EQ(end->text.find("no Welcome"), std::string::npos) << end->text;
}

TEST(LobbyErrors, ServerFullClosesTheConnectionOverTheCap) {
    LobbyUnderTest lobby;
    lobby.config.limits.max_connections = 2;
    lobby.start();
    auto a = welcomed(lobby.port, "a");
    auto b = welcomed(lobby.port, "b");
    client::BlockingLobbyClient c(client_config("c"));
    auto result = c.connect("127.0.0.1", lobby.port);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::ServerFull) << result.error().text;
    EXPECT_EQ(lobby.server->stats().connections_refused, 1u);
    a->send(pl::Ping{2});
    EXPECT_TRUE(a->wait_for<pl::Pong>());
}

TEST(LobbyErrors, TooManyConnectionsFromOneAddress) {
    LobbyUnderTest lobby;
    lobby.config.limits.max_connections_per_address = 2;
    lobby.start();
    auto a = welcomed(lobby.port, "a");
    auto b = welcomed(lobby.port, "b");
    client::BlockingLobbyClient c(client_config("c"));
    auto result = c.connect("127.0.0.1", lobby.port);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::TooManyConnections) << result.error().text;
    EXPECT_NE(result.error().text.find("127.0.0.1"), std::string::npos);
    // A slot frees when a connection closes.
    b.reset();
    auto deadline = std::chrono::steady_clock::now() + 5s;
    bool in = false;
    while (!in && std::chrono::steady_clock::now() < deadline) {
        client::BlockingLobbyClient d(client_config("d"));
        in = d.connect("127.0.0.1", lobby.port).has_value();
    }
    EXPECT_TRUE(in);
}

TEST(LobbyErrors, NotWelcomedClosesARequestBeforeHello) {
    LobbyUnderTest lobby;
    lobby.start();
    RawConnection raw(lobby.port);
    raw.write_frame(pl::encode_client_message(pl::ListRooms{}));
    EXPECT_TRUE(raw.read_until_closed());
    auto error = raw.first_error();
    ASSERT_TRUE(error);
    EXPECT_EQ(error->code, ErrorCode::NotWelcomed);
    EXPECT_EQ(error->in_reply_to, MessageKind::ListRooms);
}

TEST(LobbyErrors, AlreadyWelcomed) {
    LobbyUnderTest lobby;
    lobby.start();
    auto a = welcomed(lobby.port, "a");
    a->send(pl::Hello{protocol::kProtocolVersion, "again"});
    expect_error_and_alive(*a, ErrorCode::AlreadyWelcomed, MessageKind::Hello);
}

TEST(LobbyErrors, RoomNotFound) {
    LobbyUnderTest lobby;
    lobby.start();
    auto a = welcomed(lobby.port, "a");
    a->send(pl::JoinRoom{9999});
    expect_error_and_alive(*a, ErrorCode::RoomNotFound, MessageKind::JoinRoom);
}

TEST(LobbyErrors, RoomFull) {
    LobbyUnderTest lobby;
    lobby.start();
    protocol::MatchSettings two;
    two.max_players = 2;
    auto r = two_in_a_room(lobby, two);
    auto third = welcomed(lobby.port, "third");
    third->send(pl::JoinRoom{r.room_id});
    expect_error_and_alive(*third, ErrorCode::RoomFull, MessageKind::JoinRoom);
}

TEST(LobbyErrors, AlreadyInRoom) {
    LobbyUnderTest lobby;
    lobby.start();
    auto r = two_in_a_room(lobby);
    r.guest->send(pl::CreateRoom{"another", {}});
    expect_error_and_alive(*r.guest, ErrorCode::AlreadyInRoom, MessageKind::CreateRoom);
    r.guest->send(pl::JoinRoom{r.room_id});
    expect_error_and_alive(*r.guest, ErrorCode::AlreadyInRoom, MessageKind::JoinRoom);
    r.guest->send(pl::QuickPlay{});
    expect_error_and_alive(*r.guest, ErrorCode::AlreadyInRoom, MessageKind::QuickPlay);
}

TEST(LobbyErrors, NotInRoom) {
    LobbyUnderTest lobby;
    lobby.start();
    auto a = welcomed(lobby.port, "a");
    a->send(pl::LeaveRoom{});
    expect_error_and_alive(*a, ErrorCode::NotInRoom, MessageKind::LeaveRoom);
    a->send(pl::Chat{"anyone?"});
    expect_error_and_alive(*a, ErrorCode::NotInRoom, MessageKind::Chat);
    a->send(pl::SetReady{true});
    expect_error_and_alive(*a, ErrorCode::NotInRoom, MessageKind::SetReady);
    a->send(pl::StartMatch{});
    expect_error_and_alive(*a, ErrorCode::NotInRoom, MessageKind::StartMatch);
}

TEST(LobbyErrors, NotHost) {
    LobbyUnderTest lobby;
    lobby.start();
    auto r = two_in_a_room(lobby);
    r.guest->send(pl::StartMatch{});
    expect_error_and_alive(*r.guest, ErrorCode::NotHost, MessageKind::StartMatch);
}

TEST(LobbyErrors, AlreadyInMatch) {
    LobbyUnderTest lobby;
    lobby.start();
    protocol::MatchSettings closed;
    closed.join_in_progress = false;
    auto r = two_in_a_room(lobby, closed);
    r.host->send(pl::StartMatch{});
    ASSERT_TRUE(r.host->wait_for<pl::MatchStart>());
    r.host->send(pl::StartMatch{});
    expect_error_and_alive(*r.host, ErrorCode::AlreadyInMatch, MessageKind::StartMatch);
    r.guest->send(pl::SetReady{true});
    expect_error_and_alive(*r.guest, ErrorCode::AlreadyInMatch, MessageKind::SetReady);
    auto late = welcomed(lobby.port, "late");
    late->send(pl::JoinRoom{r.room_id});
    expect_error_and_alive(*late, ErrorCode::AlreadyInMatch, MessageKind::JoinRoom);
}

TEST(LobbyErrors, BadRoomSettingsKeepTheSession) {
    LobbyUnderTest lobby;
    lobby.start();
    auto a = welcomed(lobby.port, "a");
    protocol::MatchSettings bad;
    bad.max_players = 40;
    a->send(pl::CreateRoom{"room", bad});
    expect_error_and_alive(*a, ErrorCode::BadRoomSettings, MessageKind::CreateRoom);
    a->send(pl::CreateRoom{std::string(33, 'n'), {}});
    expect_error_and_alive(*a, ErrorCode::BadRoomSettings, MessageKind::CreateRoom);
    a->send(pl::QuickPlay{1});
    expect_error_and_alive(*a, ErrorCode::BadRoomSettings, MessageKind::QuickPlay);
}

TEST(LobbyErrors, SettingsErrorsNameTheFieldAndTheRangeOfTheOneValidator) {
    LobbyUnderTest lobby;
    lobby.start();
    auto a = welcomed(lobby.port, "a");
    protocol::MatchSettings players, frags, time;
    players.max_players = 40;
    frags.frag_limit = 0;
    time.time_limit_s = 5;
    for (const auto& bad : {players, frags, time}) {
        const auto expected = protocol::validate_settings(bad);
        ASSERT_FALSE(expected.has_value());
        a->send(pl::CreateRoom{"room", bad});
        const auto error = a->wait_for_error(ErrorCode::BadRoomSettings);
        ASSERT_TRUE(error.has_value());
        EXPECT_EQ(error->text, "room settings out of range: " + expected.error());
    }
    // Quick play's room size is checked by the same validator.
    protocol::MatchSettings quick;
    quick.max_players = 1;
    a->send(pl::QuickPlay{1});
    const auto error = a->wait_for_error(ErrorCode::BadRoomSettings);
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->text, "room settings out of range: " + protocol::validate_settings(quick).error());
    EXPECT_NE(error->text.find("max players 1 is outside 2..16"), std::string::npos) << error->text;
}

TEST(LobbyErrors, UnknownMap) {
    LobbyUnderTest lobby;
    lobby.start();
    auto a = welcomed(lobby.port, "a");
    protocol::MatchSettings settings;
    settings.map = "atlantis";
    a->send(pl::CreateRoom{"room", settings});
    auto error = a->wait_for_error(ErrorCode::UnknownMap);
    ASSERT_TRUE(error);
    EXPECT_NE(error->text.find("arena, courtyard"), std::string::npos) << error->text;
}

TEST(LobbyErrors, NotEnoughPlayers) {
    LobbyUnderTest lobby;
    lobby.start();
    auto a = welcomed(lobby.port, "a");
    a->send(pl::CreateRoom{"room", {}});
    ASSERT_TRUE(wait_room(*a, 1));
    a->send(pl::StartMatch{});
    expect_error_and_alive(*a, ErrorCode::NotEnoughPlayers, MessageKind::StartMatch);
    // A lone ready player does not start a match either.
    a->send(pl::SetReady{true});
    a->send(pl::Ping{5});
    ASSERT_TRUE(a->wait_for<pl::Pong>());
    EXPECT_EQ(lobby.server->stats().matches_started, 0u);
}

TEST(LobbyErrors, RateLimitedChatIsPerConnection) {
    LobbyUnderTest lobby;
    lobby.config.limits.chat_burst = 3;
    lobby.config.limits.chat_per_second = 0.001;
    lobby.start();
    auto r = two_in_a_room(lobby);
    for (int i = 0; i < 4; ++i) r.host->send(pl::Chat{"spam " + std::to_string(i)});
    expect_error_and_alive(*r.host, ErrorCode::RateLimited, MessageKind::Chat);
    // The other member's budget is untouched.
    r.guest->send(pl::Chat{"hi"});
    EXPECT_TRUE(r.host->wait_for<pl::ChatMessage>(5s, [](const pl::ChatMessage& m) { return m.text == "hi"; }));
    EXPECT_GE(lobby.server->stats().rate_limited, 1u);
}

TEST(LobbyErrors, RateLimitedMessages) {
    LobbyUnderTest lobby;
    lobby.config.limits.message_burst = 5;
    lobby.config.limits.messages_per_second = 0.001;
    lobby.start();
    auto a = welcomed(lobby.port, "a"); // Hello took one
    for (int i = 0; i < 5; ++i) a->send(pl::Ping{static_cast<std::uint64_t>(i)});
    auto error = a->wait_for_error(ErrorCode::RateLimited);
    ASSERT_TRUE(error);
    EXPECT_EQ(error->in_reply_to, MessageKind::Ping);
}

TEST(LobbyErrors, ChatTooLong) {
    LobbyUnderTest lobby;
    lobby.config.limits.max_chat_bytes = 10;
    lobby.start();
    auto r = two_in_a_room(lobby);
    r.host->send(pl::Chat{"eleven char"});
    expect_error_and_alive(*r.host, ErrorCode::ChatTooLong, MessageKind::Chat);
    r.host->send(pl::Chat{std::string(201, 'x')}); // over the protocol's own cap
    expect_error_and_alive(*r.host, ErrorCode::ChatTooLong, MessageKind::Chat);
}

TEST(LobbyErrors, BadChat) {
    LobbyUnderTest lobby;
    lobby.start();
    auto r = two_in_a_room(lobby);
    r.host->send(pl::Chat{"\x01\x02\n"});
    expect_error_and_alive(*r.host, ErrorCode::BadChat, MessageKind::Chat);
}

TEST(LobbyErrors, BadFrameCloses) {
    LobbyUnderTest lobby;
    lobby.start();
    RawConnection raw(lobby.port);
    raw.write(std::vector<std::uint8_t>{0, 0, 0, 0});
    EXPECT_TRUE(raw.read_until_closed());
    auto error = raw.first_error();
    ASSERT_TRUE(error);
    EXPECT_EQ(error->code, ErrorCode::BadFrame);
    EXPECT_EQ(lobby.server->stats().bad_frames, 1u);
}

TEST(LobbyErrors, UnknownMessageCloses) {
    LobbyUnderTest lobby;
    lobby.start();
    auto a = welcomed(lobby.port, "a");
    RawConnection raw(lobby.port);
    raw.write_frame(pl::encode_client_message(pl::Hello{protocol::kProtocolVersion, "raw"}));
    raw.write_frame(pl::encode_server_message(pl::Pong{1})); // a server-only message
    EXPECT_TRUE(raw.read_until_closed());
    auto messages = raw.messages();
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_TRUE(std::holds_alternative<pl::Welcome>(messages[0]));
    ASSERT_TRUE(std::holds_alternative<pl::Error>(messages[1]));
    EXPECT_EQ(std::get<pl::Error>(messages[1]).code, ErrorCode::UnknownMessage);
    EXPECT_EQ(std::get<pl::Error>(messages[1]).in_reply_to, MessageKind::Pong);
}

TEST(LobbyErrors, HandshakeTimeoutCloses) {
    LobbyUnderTest lobby;
    lobby.config.limits.handshake_timeout = 200ms;
    lobby.start();
    RawConnection raw(lobby.port);
    EXPECT_TRUE(raw.read_until_closed());
    auto error = raw.first_error();
    ASSERT_TRUE(error);
    EXPECT_EQ(error->code, ErrorCode::Timeout);
    EXPECT_NE(error->text.find("no Hello within 200 ms"), std::string::npos) << error->text;
}

TEST(LobbyErrors, IdleTimeoutCloses) {
    LobbyUnderTest lobby;
    lobby.config.limits.idle_timeout = 300ms;
    lobby.start();
    auto config = client_config("quiet");
    config.ping_interval = std::chrono::hours(1); // never ping
    client::BlockingLobbyClient c(config);
    ASSERT_TRUE(c.connect("127.0.0.1", lobby.port).has_value());
    expect_error_and_closed(c, ErrorCode::Timeout);
    EXPECT_EQ(lobby.server->stats().timeouts, 1u);
}

TEST(LobbyErrors, PingsKeepAnIdleClientConnected) {
    LobbyUnderTest lobby;
    lobby.config.limits.idle_timeout = 1s;
    lobby.start();
    auto config = client_config("chatty");
    config.ping_interval = 100ms;
    client::BlockingLobbyClient c(config);
    ASSERT_TRUE(c.connect("127.0.0.1", lobby.port).has_value());
    // Two idle timeouts pass; the automatic pings are answered.
    int pongs = 0;
    const auto deadline = std::chrono::steady_clock::now() + 2200ms;
    while (std::chrono::steady_clock::now() < deadline)
        if (c.wait_for<pl::Pong>(std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now())))
            ++pongs;
    EXPECT_GE(pongs, 5);
    EXPECT_FALSE(c.disconnected().has_value());
    EXPECT_EQ(lobby.server->stats().timeouts, 0u);
}

TEST(LobbyErrors, ServerShuttingDownCloses) {
    LobbyUnderTest lobby;
    lobby.start();
    auto a = welcomed(lobby.port, "a");
    lobby.server->stop();
    expect_error_and_closed(*a, ErrorCode::ServerShuttingDown);
}
