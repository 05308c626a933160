// The lobby's host settings without sockets: the server password (wrong,
// missing, right, and a budget of wrong guesses per address that right
// answers never spend), the message of the day in Welcome, quick-play rooms
// made from the room defaults and the map rotation, the rotation moving on
// after each match, a reload's new settings, and the events the lobby logs.
#include "server/lobby/lobby.hpp"

#include "lobby_fakes.hpp"

#include "shared/net/connect_token.hpp"
#include "shared/protocol/version.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <fstream>
#include <unistd.h>

using namespace skirmish;
using namespace std::chrono_literals;
namespace pl = protocol::lobby;
using server::SessionId;

namespace {

class LobbyHosting : public ::testing::Test {
protected:
    LobbyHosting() {
        config.maps = {"arena", "courtyard", "dust"};
        config.token_key = net::generate_token_key();
        config.now_unix_ms = [] { return std::uint64_t{1'700'000'000'000}; };
    }
    server::Lobby& lobby() {
        if (!lobby_) lobby_.emplace(config, 7777, game, out, tokens, util::Logger("test", util::LogLevel::Off));
        return *lobby_;
    }
    SessionId hello(const std::string& name, const std::string& password = {},
                    const std::string& address = "10.0.0.1") {
        const SessionId id{next_++};
        lobby().on_connect(id, clock.now(), address);
        lobby().on_message(id, pl::Hello{protocol::kProtocolVersion, name, password}, clock.now());
        return id;
    }
    void say(SessionId id, const pl::ClientMessage& m) { lobby().on_message(id, m, clock.now()); }

    server::LobbyConfig config;
    test::LobbyRecorder out;
    test::FakeGameLink game;
    server::TokenRegistry tokens;
    util::ManualClock clock;

private:
    std::optional<server::Lobby> lobby_;
    std::uint64_t next_ = 1;
};

} // namespace

TEST_F(LobbyHosting, APasswordKeepsOutWhoeverDoesNotHaveIt) {
    config.hosting.password = "friday";
    const auto none = hello("nopass");
    ASSERT_TRUE(out.closed_with(none));
    EXPECT_EQ(out.closed_with(none)->code, pl::ErrorCode::WrongPassword);
    EXPECT_EQ(out.closed_with(none)->text,
              "this server needs a password: ask the host for it and type it in the Password field");
    EXPECT_EQ(out.closed_with(none)->in_reply_to, pl::MessageKind::Hello);
    EXPECT_TRUE(pl::closes_connection(pl::ErrorCode::WrongPassword));

    const auto wrong = hello("wrong", "thursday");
    ASSERT_TRUE(out.closed_with(wrong));
    EXPECT_EQ(out.closed_with(wrong)->text, "wrong password: check it with the host and try again");
    EXPECT_FALSE(out.last<pl::Welcome>(wrong));

    const auto right = hello("right", "friday");
    EXPECT_FALSE(out.closed_with(right));
    EXPECT_TRUE(out.last<pl::Welcome>(right));
    EXPECT_EQ(lobby().wrong_passwords(), 2u);
}

TEST_F(LobbyHosting, TooManyWrongPasswordsFromOneAddressStopTheGuessingThere) {
    config.hosting.password = "friday";
    for (int i = 0; i < 5; ++i) hello("guess" + std::to_string(i), "guess", "10.0.0.66");
    // The budget is spent: even the right password waits, from that address only.
    const auto blocked = hello("blocked", "friday", "10.0.0.66");
    ASSERT_TRUE(out.closed_with(blocked));
    EXPECT_EQ(out.closed_with(blocked)->text, "too many wrong passwords from 10.0.0.66: wait 2 s, then try again");
    const auto elsewhere = hello("elsewhere", "friday", "10.0.0.67");
    EXPECT_TRUE(out.last<pl::Welcome>(elsewhere));
    // Two seconds later one more try is allowed, and the right one gets in.
    clock.advance(2s);
    const auto later = hello("later", "friday", "10.0.0.66");
    EXPECT_TRUE(out.last<pl::Welcome>(later));
    // Right answers never spend the budget.
    for (int i = 0; i < 10; ++i) {
        EXPECT_TRUE(out.last<pl::Welcome>(hello("ok" + std::to_string(i), "friday", "10.0.0.68")));
    }
}

TEST_F(LobbyHosting, AnOldClientOfAnotherVersionHearsAboutTheVersionNotThePassword) {
    config.hosting.password = "friday";
    const SessionId id{99};
    lobby().on_connect(id, clock.now(), "10.0.0.1");
    lobby().on_message(id, pl::Hello{protocol::kProtocolVersion + 1, "old", ""}, clock.now());
    ASSERT_TRUE(out.closed_with(id));
    EXPECT_EQ(out.closed_with(id)->code, pl::ErrorCode::WrongProtocolVersion);
}

TEST_F(LobbyHosting, WelcomeCarriesTheMessageOfTheDay) {
    config.hosting.motd = {"Welcome to the Friday LAN!", "", "Be nice."};
    const auto a = hello("a");
    ASSERT_TRUE(out.last<pl::Welcome>(a));
    EXPECT_EQ(out.last<pl::Welcome>(a)->motd, config.hosting.motd);
}

TEST_F(LobbyHosting, QuickPlayRoomsTakeTheRoomDefaultsAndTheRotationInTurn) {
    config.hosting.map_rotation = {"dust", "courtyard"};
    config.hosting.room_defaults.frag_limit = 3;
    config.hosting.room_defaults.time_limit_s = 60;
    config.hosting.room_defaults.join_in_progress = false;
    const auto a = hello("a"), b = hello("b"), c = hello("c");
    say(a, pl::QuickPlay{2});
    say(b, pl::QuickPlay{2}); // joins a's room
    say(c, pl::QuickPlay{4}); // a's room is full: a new room, the next map
    const auto ra = out.last<pl::RoomState>(a), rc = out.last<pl::RoomState>(c);
    ASSERT_TRUE(ra && rc);
    EXPECT_EQ(ra->settings.map, "dust");
    EXPECT_EQ(ra->settings.frag_limit, 3);
    EXPECT_EQ(ra->settings.time_limit_s, 60);
    EXPECT_FALSE(ra->settings.join_in_progress);
    EXPECT_EQ(ra->settings.max_players, 2) << "the size QuickPlay asked for";
    EXPECT_EQ(rc->settings.map, "courtyard");
    EXPECT_EQ(rc->settings.max_players, 4);

    // After a match the quick-play room moves on to the next map.
    say(a, pl::SetReady{true});
    say(b, pl::SetReady{true});
    ASSERT_EQ(game.orders.size(), 1u);
    EXPECT_EQ(game.orders[0].settings.map, "dust");
    protocol::MatchResults results;
    results.match_id = protocol::to_int(game.orders[0].match_id);
    results.room_id = protocol::to_int(game.orders[0].room_id);
    lobby().on_match_ended(results);
    EXPECT_EQ(out.last<pl::RoomState>(a)->settings.map, "courtyard");

    // A room a player made keeps the map its host chose.
    const auto d = hello("d");
    say(d, pl::CreateRoom{"mine", protocol::MatchSettings{"arena", 2, 20, 300, true}});
    EXPECT_EQ(out.last<pl::RoomState>(d)->settings.map, "arena");
}

TEST_F(LobbyHosting, WithoutARotationQuickPlayStaysOnArena) {
    const auto a = hello("a");
    say(a, pl::QuickPlay{2});
    EXPECT_EQ(out.last<pl::RoomState>(a)->settings.map, "arena");
}

TEST_F(LobbyHosting, NewSettingsApplyToTheNextHelloAndTheRotationStartsAgain) {
    config.hosting.map_rotation = {"dust", "courtyard"};
    const auto a = hello("a");
    say(a, pl::QuickPlay{2}); // dust; the next would be courtyard
    const server::LobbyHosting before = config.hosting;
    config.hosting.password = "new";
    config.hosting.motd = {"reloaded"};
    config.hosting.map_rotation = {"courtyard", "arena"};
    lobby().on_hosting_changed(before);
    const auto b = hello("b", "new");
    ASSERT_TRUE(out.last<pl::Welcome>(b));
    EXPECT_EQ(out.last<pl::Welcome>(b)->motd, std::vector<std::string>{"reloaded"});
    say(b, pl::QuickPlay{4}); // joins a's room, which is then full
    const auto c = hello("c", "new");
    say(c, pl::QuickPlay{4});
    EXPECT_EQ(out.last<pl::RoomState>(c)->settings.map, "courtyard") << "the new rotation from its start";
}

TEST_F(LobbyHosting, TheLobbyLogsJoinsLeavesAndRooms) {
    std::string pattern = (std::filesystem::temp_directory_path() / "skirmish-lobby-events-XXXXXX").string();
    const std::filesystem::path dir = mkdtemp(pattern.data());
    const auto file = (dir / "events.jsonl").string();
    {
        auto events = server::EventLog::open(file, [] { return std::uint64_t{1'700'000'000'000}; },
                                             util::Logger("test", util::LogLevel::Off))
                          .value();
        config.events = events.get();
        const auto a = hello("alice", {}, "192.0.2.7");
        say(a, pl::QuickPlay{2});
        say(a, pl::LeaveRoom{});
        lobby().on_disconnect(a);
    }
    std::ifstream in(file);
    std::vector<nlohmann::json> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
    std::filesystem::remove_all(dir);
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(lines[0]["type"], "lobby_join");
    EXPECT_EQ(lines[0]["name"], "alice");
    EXPECT_EQ(lines[0]["address"], "192.0.2.7");
    EXPECT_EQ(lines[1]["type"], "room_created");
    EXPECT_EQ(lines[1]["quick_play"], true);
    EXPECT_EQ(lines[1]["map"], "arena");
    EXPECT_EQ(lines[1]["host"], "alice");
    EXPECT_EQ(lines[2]["type"], "room_removed");
    EXPECT_EQ(lines[2]["room_id"], lines[1]["room_id"]);
    EXPECT_EQ(lines[3]["type"], "lobby_leave");
    EXPECT_EQ(lines[3]["player_id"], lines[0]["player_id"]);
}

namespace {

// The admin thread, answering at once: the password "right" proves itself.
struct InstantAdmin final : server::AdminGate {
    std::vector<server::AdminRequest> seen;
    bool submit(server::AdminRequest request) override {
        const bool ok = request.authenticated || request.password == "right";
        request.reply(ok, ok && !request.authenticated, ok ? "ran " + request.command : "wrong admin password");
        seen.push_back(std::move(request));
        return true;
    }
};

} // namespace

// A remote admin proves the password once per connection; the login lasts
// while that password is the server's: a reload with a new one (a leaked
// password rotated) logs every such connection out.
TEST_F(LobbyHosting, AnAdminLoginLastsOnlyWhileItsPasswordIsTheServers) {
    InstantAdmin admin;
    config.admin = &admin;
    config.hosting.admin_password_hash = "hash of the first password";
    std::vector<std::function<void()>> posted; // the lobby thread's queue
    lobby().set_poster([&](std::function<void()> f) { posted.push_back(std::move(f)); });
    const auto command = [&](SessionId id, std::string password, std::string line) {
        say(id, pl::AdminCommand{std::move(password), std::move(line)});
        for (auto queued = std::exchange(posted, {}); auto& f : queued) f();
        return out.last<pl::AdminReply>(id).value_or(pl::AdminReply{false, "no reply"});
    };
    const SessionId id{100};
    lobby().on_connect(id, clock.now(), "10.0.0.9");

    EXPECT_EQ(command(id, "", "status").text, "send the admin password with the command");
    EXPECT_TRUE(admin.seen.empty()) << "refused in the lobby, without a check";
    EXPECT_EQ(command(id, "right", "status").text, "ran status");
    EXPECT_FALSE(admin.seen.back().authenticated);
    const auto again = command(id, "", "players");
    EXPECT_TRUE(again.ok) << again.text;
    EXPECT_TRUE(admin.seen.back().authenticated) << "the connection proved the password before";

    const server::LobbyHosting before = config.hosting;
    config.hosting.admin_password_hash = "hash of the new password";
    lobby().on_hosting_changed(before);
    const auto after = command(id, "", "players");
    EXPECT_FALSE(after.ok);
    EXPECT_EQ(after.text, "send the admin password with the command");
    EXPECT_EQ(admin.seen.size(), 2u);

    config.hosting.admin_password_hash.clear(); // remote administration turned off
    lobby().on_hosting_changed(config.hosting);
    EXPECT_NE(command(id, "right", "status").text.find("remote administration is off"), std::string::npos);
}

// The admin password's two budgets, one per address and one for everyone: an
// attempt the shared one refuses costs its address nothing, so a flood from
// elsewhere does not use up the budget of the admin's own address.
TEST_F(LobbyHosting, AnAttemptRefusedByEveryonesBudgetCostsItsAddressNothing) {
    InstantAdmin admin;
    config.admin = &admin;
    config.hosting.admin_password_hash = "hash";
    config.limits.admin_attempt_burst = 1;
    config.limits.admin_attempts_per_second = 0.001; // no refill during the test
    config.limits.admin_attempt_burst_total = 1;
    config.limits.admin_attempts_per_second_total = 1;
    std::vector<std::function<void()>> posted;
    lobby().set_poster([&](std::function<void()> f) { posted.push_back(std::move(f)); });
    const auto command = [&](SessionId id, std::string password) {
        say(id, pl::AdminCommand{std::move(password), "status"});
        for (auto queued = std::exchange(posted, {}); auto& f : queued) f();
        return out.last<pl::AdminReply>(id).value_or(pl::AdminReply{false, "no reply"});
    };
    const SessionId flooder{100}, admin_id{101};
    lobby().on_connect(flooder, clock.now(), "10.0.0.66");
    lobby().on_connect(admin_id, clock.now(), "10.0.0.9");
    EXPECT_EQ(command(flooder, "guess").text, "wrong admin password"); // spends the shared budget
    EXPECT_NE(command(admin_id, "right").text.find("too many admin password attempts"), std::string::npos)
        << "the shared budget is spent";
    clock.advance(1s); // it refills; the admin's own budget was never touched
    const auto reply = command(admin_id, "right");
    EXPECT_TRUE(reply.ok) << reply.text;
    EXPECT_EQ(reply.text, "ran status");
}
