// skirmish-client walked as a person walks it: started with no arguments and
// a fresh settings folder under Xvfb, driven with real X mouse and keyboard
// events (xdotool), against a real skirmish-server and real bots. Each test
// is one path a player takes: connecting from the connect screen (after a
// refusal, after a Disconnect), a room (lag compensation off) with chat and
// ready into a match with bots at a 150 ms, 5 % loss link with the student's
// view switched on, Disconnect from a room and from a match, joining a match
// that has run for 30 s, the scoreboard and then the lobby's Stats
// (leaderboard and recent matches from the server's results database),
// quitting and coming back, a server with a password and a message of the
// day, and watching a full room's match as a spectator.
// Skipped (with the reason) only when Xvfb cannot start.
#include "desktop.hpp"

#include <asio.hpp>
#include <gtest/gtest.h>

#include <fstream>

using namespace skirmish::test;
using namespace std::chrono_literals;

namespace {

class Walk : public ::testing::Test {
protected:
    void SetUp() override {
        if (!desk_.skipped().empty()) GTEST_SKIP() << desk_.skipped();
        ASSERT_TRUE(on_path("xdotool")) << "xdotool is not installed: install the xdotool package (scripts/test does)";
    }

    void connect_as(const std::string& name, const std::string& address) { desk_.connect_as(name, address); }

    Desktop desk_;
};

bool in_lobby(const Json& net) { return net["screen"] == "lobby" && net["lobby_state"] == "ready"; }

} // namespace

TEST_F(Walk, ConnectsFromTheConnectScreenAfterARefusalAndAgainAfterDisconnect) {
    desk_.start_server();
    desk_.start_client();
    // Nothing listens on port 1: the reason shows, the screen stays.
    connect_as("walker", "127.0.0.1:1");
    ASSERT_TRUE(desk_.wait_ui([](const Json& f) { return Desktop::shows_text(f, "connection refused by 127.0.0.1:1"); },
                              15s, "the refusal explained"));
    ASSERT_TRUE(desk_.wait_ui([](const Json& f) { return Desktop::widget(f, "Connect").has_value(); }));
    // A retry from the same screen, now to the real server, gets in.
    desk_.click("address", "text_field");
    desk_.key("ctrl+a");
    desk_.type(desk_.endpoint());
    desk_.click("Connect", "button");
    ASSERT_TRUE(desk_.wait_net(in_lobby, 15s, "the lobby"));
    ASSERT_TRUE(desk_.wait_screen("lobby"));
    // Disconnect, then connect again: Enter on the connect screen connects.
    desk_.click("Disconnect");
    ASSERT_TRUE(desk_.wait_screen("connect"));
    desk_.key("Return");
    ASSERT_TRUE(desk_.wait_net(in_lobby, 15s, "the lobby again"));
    // The refused address was never remembered as a recent server.
    ASSERT_TRUE(desk_.wait_screen("lobby"));
    desk_.click("Disconnect");
    ASSERT_TRUE(desk_.wait_ui([](const Json& f) { return f["screen"] == "connect" && Desktop::shows_text(f, "ms \xc2\xb7"); }));
    const auto frame = desk_.ui();
    for (const auto& t : (*frame)["texts"]) EXPECT_NE(t["text"], "127.0.0.1:1") << "a refused server was remembered";
}

TEST_F(Walk, AConnectThatHangsCanBeCancelled) {
    // A listening socket that never answers Hello: the client waits for a Welcome.
    asio::io_context io;
    asio::ip::tcp::acceptor silent(io, {asio::ip::make_address("127.0.0.1"), 0});
    desk_.start_client();
    connect_as("walker", "127.0.0.1:" + std::to_string(silent.local_endpoint().port()));
    desk_.click("Cancel", "button");
    ASSERT_TRUE(desk_.wait_ui([](const Json& f) { return Desktop::widget(f, "Connect", "button").has_value(); }, 5s,
                              "the Connect button back"));
    ASSERT_TRUE(desk_.wait_net([](const Json& n) { return n["lobby_state"] != "handshaking"; }, 5s));
}

TEST_F(Walk, ATakenNameIsExplainedAtOnce) {
    desk_.start_server();
    auto& bots = desk_.start_bots(1, 2, "taken");
    ASSERT_TRUE(bots.wait_for(std::regex("in match|in lobby|connected"), 30s)) << bots.output();
    desk_.start_client();
    connect_as("taken-0001", desk_.endpoint());
    ASSERT_TRUE(desk_.wait_ui([](const Json& f) { return Desktop::shows_text(f, "is taken on this server"); }, 4s,
                              "the server's reason, well before a 5 s Welcome timeout"));
    const auto frame = desk_.ui();
    for (const auto& t : (*frame)["texts"])
        EXPECT_EQ(t["text"].get<std::string>().find("no Welcome"), std::string::npos);
}

// A host's config file with a password and a message of the day: the connect
// screen says the server wants a password, the password is typed as stars
// (never drawn), and the lobby opens with the message of the day.
TEST_F(Walk, AServerWithAPasswordAsksForItAndThenShowsItsMessageOfTheDay) {
    const auto config = desk_.home() / "server.toml";
    std::ofstream(config) << "password = \"friday\"\nmotd = \"Welcome to the Friday LAN!\"\n";
    desk_.start_server({"--config", config.string()});
    desk_.start_client();
    connect_as("guest", desk_.endpoint());
    ASSERT_TRUE(desk_.wait_ui([](const Json& f) { return Desktop::shows_text(f, "this server needs a password"); }));
    EXPECT_EQ((*desk_.ui())["screen"], "connect");
    desk_.click("password", "text_field");
    desk_.type("friday");
    ASSERT_TRUE(desk_.wait_ui([](const Json& f) { return Desktop::shows_text(f, "******"); }, 15s, "the stars"));
    EXPECT_FALSE(Desktop::shows_text(*desk_.ui(), "friday")) << "the password is drawn";
    desk_.key("Return");
    ASSERT_TRUE(desk_.wait_screen("lobby"));
    ASSERT_TRUE(desk_.wait_ui([](const Json& f) { return Desktop::shows_text(f, "Welcome to the Friday LAN!"); }));
}

TEST_F(Walk, DisconnectFromInsideARoomReturnsToTheConnectScreen) {
    desk_.start_server();
    desk_.start_client();
    connect_as("roomer", desk_.endpoint());
    ASSERT_TRUE(desk_.wait_screen("lobby"));
    desk_.click("Create room\xe2\x80\xa6");
    desk_.click("Create", "button");
    ASSERT_TRUE(desk_.wait_screen("room"));
    desk_.click("chat", "text_field");
    desk_.type("anyone here");
    desk_.key("Return");
    ASSERT_TRUE(desk_.wait_ui([](const Json& f) { return Desktop::shows_text(f, "roomer: anyone here"); }));
    // Leaving the room leaves its chat behind.
    desk_.click("Leave room");
    ASSERT_TRUE(desk_.wait_screen("lobby"));
    EXPECT_FALSE(Desktop::shows_text(*desk_.ui(), "anyone here")) << "the old room's chat is still shown";
    // In a room again, Disconnect from inside it.
    desk_.click("Create room\xe2\x80\xa6");
    desk_.click("Create", "button");
    ASSERT_TRUE(desk_.wait_screen("room"));
    desk_.click("Disconnect");
    ASSERT_TRUE(desk_.wait_screen("connect"));
    EXPECT_TRUE(desk_.client().running()) << desk_.client().output();
    desk_.key("Return");
    ASSERT_TRUE(desk_.wait_screen("lobby"));
}

TEST_F(Walk, CreatesARoomChatsReadiesPlaysWithBotsAndDisconnectsFromTheMatch) {
    desk_.start_server();
    // The student's link: 150 ms round trip, 5 % loss each way (the game traffic only).
    desk_.start_client({"--latency-ms", "75", "--loss-pct", "5"});
    connect_as("host", desk_.endpoint());
    ASSERT_TRUE(desk_.wait_screen("lobby"));
    desk_.click("Create room\xe2\x80\xa6");
    // The room's lag compensation, off: everyone in the room sees it, the match applies it.
    desk_.click("Lag compensation (shots judged as you saw them)", "checkbox");
    desk_.click("Create", "button");
    ASSERT_TRUE(desk_.wait_screen("room"));
    ASSERT_TRUE(desk_.wait_ui([](const Json& f) { return Desktop::shows_text(f, "lag compensation off"); }, 5s,
                              "the room's setting"));
    // Chat: click the line, type, Enter: the line comes back from the server.
    desk_.click("chat", "text_field");
    desk_.type("good luck all");
    desk_.key("Return");
    ASSERT_TRUE(desk_.wait_ui([](const Json& f) { return Desktop::shows_text(f, "host: good luck all"); }));
    desk_.click("Ready");
    // Three bots quick-play into the fullest room with space: this one.
    desk_.start_bots(3, 4);
    ASSERT_TRUE(desk_.wait_screen("match", 30s));
    ASSERT_TRUE(desk_.wait_net([](const Json& n) { return n["players_seen"] == 4 && n["snapshots_per_s"] >= 25; }, 10s,
                               "four players and snapshots"));
    // The student's view at that link: the study panel (F2) and the net graph (F3).
    desk_.key("F2");
    desk_.key("F3");
    desk_.click("Snapshots of others: dots", "checkbox");
    desk_.click("My shots as the server judged", "checkbox");
    desk_.click("Nudge my player (a desync)", "button");
    for (const std::string caption :
         {"dots: their last 8 snapshots", "lag comp. off", "ms back, between snapshots", "nominal interval",
          "(last 10 s)", "in each packet", "corrected"})
        EXPECT_TRUE(desk_.wait_ui([&](const Json& f) { return Desktop::shows_text(f, caption); }, 10s, caption));
    desk_.key("F2");
    desk_.key("F3");
    // Tab holds the scoreboard open.
    desk_.key_down("Tab");
    EXPECT_TRUE(desk_.wait_ui([](const Json& f) { return Desktop::shows_text(f, "PLAYER"); }, 5s, "the scoreboard"));
    desk_.key_up("Tab");
    // Esc opens the menu; Disconnect from the match ends at the connect screen.
    desk_.key("Escape");
    desk_.click("Disconnect", "button");
    ASSERT_TRUE(desk_.wait_screen("connect"));
    EXPECT_TRUE(desk_.client().running()) << desk_.client().output();
}

TEST_F(Walk, JoinsAMatchThatHasRunForThirtySecondsByQuickPlayAndByJoin) {
    desk_.start_server();
    auto& bots = desk_.start_bots(2, 4);
    ASSERT_TRUE(bots.wait_for(std::regex("in match 2\\)"), 30s)) << bots.output();
    const auto started = std::chrono::steady_clock::now();
    desk_.start_client();
    connect_as("late", desk_.endpoint());
    ASSERT_TRUE(desk_.wait_screen("lobby"));
    // Wait until the bots' match has run for 30 s (the lobby stays open meanwhile).
    ASSERT_TRUE(desk_.wait_net([&](const Json&) { return std::chrono::steady_clock::now() - started >= 30s; }, 40s));

    desk_.click("Quick play");
    ASSERT_TRUE(desk_.wait_screen("match", 10s));
    auto entered = std::chrono::steady_clock::now();
    ASSERT_TRUE(desk_.wait_net([](const Json& n) { return n["screen"] == "match" && n["snapshots_per_s"] >= 29; }, 4s,
                               "snapshots at the full rate"));
    EXPECT_LE(std::chrono::steady_clock::now() - entered, 3s); // the net log's once-a-second line adds up to 1 s
    ASSERT_TRUE(desk_.wait_net([](const Json& n) { return n["players_seen"] == 3; }, 5s, "the bots drawn"));

    // Leave the match and the room, then Join the same running match from the room list.
    desk_.key("Escape");
    desk_.click("Leave the match", "button");
    ASSERT_TRUE(desk_.wait_screen("room"));
    desk_.click("Leave room");
    ASSERT_TRUE(desk_.wait_screen("lobby"));
    desk_.click("Join", "button");
    ASSERT_TRUE(desk_.wait_screen("match", 10s));
    entered = std::chrono::steady_clock::now();
    ASSERT_TRUE(desk_.wait_net([](const Json& n) {
        return n["screen"] == "match" && n["snapshots_per_s"] >= 29 && n["snapshots_undecodable"] == 0;
    }, 4s, "snapshots at the full rate after Join"));
    EXPECT_LE(std::chrono::steady_clock::now() - entered, 3s);
}

// A friend watches: the bots' room is full (two of two), so Join is off and
// Watch takes a spectator seat; in the match the camera follows a player (F)
// and flies free (C, the movement keys), and nothing the friend presses
// reaches the match.
TEST_F(Walk, WatchesAFullRoomsMatchFollowingAPlayerAndWithAFreeCamera) {
    desk_.start_server();
    auto& bots = desk_.start_bots(2, 2);
    ASSERT_TRUE(bots.wait_for(std::regex("in match 2\\)"), 30s)) << bots.output();
    desk_.start_client();
    connect_as("friend", desk_.endpoint());
    ASSERT_TRUE(desk_.wait_screen("lobby"));
    ASSERT_TRUE(desk_.wait_ui([](const Json& f) { return Desktop::widget(f, "Watch").has_value(); }, 10s,
                              "the bots' room listed"));
    desk_.click("Watch", "button");
    ASSERT_TRUE(desk_.wait_screen("match", 10s));
    ASSERT_TRUE(desk_.wait_net([](const Json& n) {
        return n["screen"] == "match" && n["spectating"] == true && n["players_seen"] == 2 &&
               n["snapshots_per_s"] >= 29 && n["snapshots_undecodable"] == 0;
    }, 10s, "the bots' match watched at the full snapshot rate"));
    ASSERT_TRUE(desk_.wait_ui([](const Json& f) { return Desktop::shows_text(f, "SPECTATING"); }, 5s));

    desk_.key("f");
    ASSERT_TRUE(desk_.wait_net([](const Json& n) {
        return n["spectator_camera"] == "follow" && n["followed"] != 0;
    }, 5s, "following a bot"));
    desk_.key("c");
    ASSERT_TRUE(desk_.wait_net([](const Json& n) { return n["spectator_camera"] == "free"; }, 5s, "the free camera"));
    desk_.key_down("d"); // pans the free camera (a player would walk)
    ASSERT_TRUE(desk_.wait_net([](const Json& n) { return n["spectator_camera"] == "free"; }, 3s));
    desk_.key_up("d");
    desk_.key("o");
    ASSERT_TRUE(desk_.wait_net([](const Json& n) { return n["spectator_camera"] == "overview"; }, 5s));
    const auto net = desk_.net();
    ASSERT_TRUE(net);
    EXPECT_EQ((*net)["players_seen"], 2) << "still two players: the friend has no entity";
}

TEST_F(Walk, EnterOnTheScoreboardGoesBackToTheRoomWithoutOpeningTheChatAndStatsShowTheMatch) {
    desk_.start_server();
    desk_.start_client();
    connect_as("scorer", desk_.endpoint());
    ASSERT_TRUE(desk_.wait_screen("lobby"));
    desk_.click("Create room\xe2\x80\xa6");
    // The shortest time limit: 5:00, 4:00 (steps of a minute from 5:00 up), then down to 0:30 in steps of 30 s.
    for (int left = 240; left >= 30; left -= 30) {
        std::optional<Json> minus;
        ASSERT_TRUE(desk_.wait_ui([&](const Json& f) { return (minus = Desktop::widget_after(f, "Time limit", "\xe2\x88\x92")).has_value(); }));
        desk_.click_at(centre(*minus));
        const std::string shown = std::to_string(left / 60) + ":" + (left % 60 ? "30" : "00");
        ASSERT_TRUE(desk_.wait_ui([&](const Json& f) { return Desktop::shows_text(f, shown); }, 5s, shown));
    }
    desk_.click("Create", "button");
    ASSERT_TRUE(desk_.wait_screen("room"));
    desk_.click("Ready");
    desk_.start_bots(1, 2);
    ASSERT_TRUE(desk_.wait_screen("match", 30s));
    // Time runs out after 30 s: the scoreboard.
    ASSERT_TRUE(desk_.wait_screen("scoreboard", 45s));
    desk_.key("Return");
    ASSERT_TRUE(desk_.wait_screen("room"));
    // Give the Enter every chance to have opened the chat, then look.
    ASSERT_TRUE(desk_.wait_ui([](const Json& f) { return Desktop::shows_text(f, "Last match"); }));
    const auto frame = desk_.ui();
    const auto chat = Desktop::widget(*frame, "chat", "text_field");
    ASSERT_TRUE(chat);
    EXPECT_FALSE((*chat)["active"].get<bool>()) << "Enter on the scoreboard opened the room's chat";
    EXPECT_TRUE(Desktop::overlapping_texts(*frame).empty()) << frame->dump();

    // The match just played is in the server's results database: Stats shows
    // the leaderboard with this player and the match among the recent ones.
    desk_.click("Stats", "button");
    ASSERT_TRUE(desk_.wait_ui([](const Json& f) {
        return Desktop::shows_text(f, "LEADERBOARD (2 players)") && Desktop::shows_text(f, "RECENT MATCHES (1 in all)");
    }, 5s, "the leaderboard and the recent matches"));
    const auto stats = desk_.ui();
    EXPECT_TRUE(Desktop::shows_text(*stats, "scorer")) << stats->dump();
    EXPECT_TRUE(Desktop::overlapping_texts(*stats).empty()) << stats->dump();
    bool listed = false;
    for (const auto& t : (*stats)["texts"])
        listed = listed || t["text"].get<std::string>().starts_with("arena  \xc2\xb7  ");
    EXPECT_TRUE(listed) << "the match on arena: " << stats->dump();
    desk_.click("Back", "button");
    ASSERT_TRUE(desk_.wait_ui([](const Json& f) { return Desktop::shows_text(f, "Last match"); }));
}

TEST_F(Walk, RemembersTheNameAndTheServerAfterQuitAndRestart) {
    desk_.start_server();
    desk_.start_client();
    connect_as("faithful", desk_.endpoint());
    ASSERT_TRUE(desk_.wait_screen("lobby"));
    desk_.key("Escape");
    desk_.click("Quit", "button");
    ASSERT_EQ(desk_.client().wait_for_exit(15s), 0) << desk_.client().output();

    desk_.start_client();
    ASSERT_TRUE(desk_.wait_screen("connect"));
    const auto frame = desk_.ui();
    EXPECT_TRUE(Desktop::shows_text(*frame, "faithful")) << frame->dump();
    EXPECT_TRUE(Desktop::shows_text(*frame, desk_.endpoint())) << frame->dump();
    // Enter connects with what was remembered.
    desk_.key("Return");
    ASSERT_TRUE(desk_.wait_net(in_lobby, 15s, "the lobby with the remembered server and name"));
    EXPECT_EQ((*desk_.net())["name"], "faithful");
}
