// skirmish-client walked for what a player expects of a finished game (issue
// 8 part C), with real X input under Xvfb against a real server and bots: the
// settings screen (rebinding with a conflict, mute, volume, net graph corner)
// saved and read back after a restart; the server browser (ping and players
// probed, a star kept, double-click connects); sound with no audio device at
// all, and back into the match after the client is killed in it (Rejoin on
// the connect screen, score kept); every screen readable at 800x600 (no text over another); and a still
// connect screen that does not burn a core.
// Skipped (with the reason) only when Xvfb cannot start.
#include "desktop.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <sstream>

#include <csignal>

using namespace skirmish::test;
using namespace std::chrono_literals;

namespace {

class WalkPlayer : public ::testing::Test {
protected:
    void SetUp() override {
        if (!desk_.skipped().empty()) GTEST_SKIP() << desk_.skipped();
        ASSERT_TRUE(on_path("xdotool")) << "xdotool is not installed: install the xdotool package (scripts/test does)";
    }

    void connect_as(const std::string& name, const std::string& address) { desk_.connect_as(name, address); }

    // Esc opens the menu; on the connect screen the first Esc only leaves the
    // focused text field (as everywhere a field has the keyboard).
    void open_menu() {
        desk_.key("Escape");
        if (!desk_.wait_net([](const Json& n) { return n["overlay"] == "menu"; }, 3s)) desk_.key("Escape");
        ASSERT_TRUE(desk_.wait_net([](const Json& n) { return n["overlay"] == "menu"; }, 5s, "the menu"));
    }

    std::string settings_text() const {
        std::ifstream in(desk_.settings_file());
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }

    // No text drawn over another on the newest frame of this screen.
    void expect_readable(const std::string& where) {
        const auto frame = desk_.ui();
        ASSERT_TRUE(frame);
        const auto overlaps = Desktop::overlapping_texts(*frame);
        EXPECT_TRUE(overlaps.empty()) << where << ": " << (overlaps.empty() ? "" : overlaps.front()) << "\n"
                                      << frame->dump();
        // And everything is inside the window (800x600 here, 1280x720 at most).
        for (const auto& t : (*frame)["texts"]) {
            const auto& r = t["rect"];
            EXPECT_LE(r[0].get<int>() + r[2].get<int>(), window_w_ + 2) << where << ": " << t.dump();
            EXPECT_LE(r[1].get<int>() + r[3].get<int>(), window_h_ + 2) << where << ": " << t.dump();
        }
    }

    Desktop desk_;
    int window_w_ = 1280, window_h_ = 720;
};

bool in_lobby(const Json& net) { return net["screen"] == "lobby" && net["lobby_state"] == "ready"; }

bool overlay_is(const Json& net, const std::string& overlay) { return net["overlay"] == overlay; }

// A text drawn exactly so (shows_text matches a part).
bool shows_exactly(const Json& frame, const std::string& text) {
    for (const auto& t : frame["texts"]) {
        if (t["text"] == text) return true;
    }
    return false;
}

} // namespace

TEST_F(WalkPlayer, TheSettingsScreenRebindsMutesAndIsRememberedAfterARestart) {
    desk_.start_client();
    ASSERT_TRUE(desk_.wait_screen("connect"));
    open_menu();
    desk_.click("Settings", "button");
    ASSERT_TRUE(desk_.wait_net([](const Json& n) { return overlay_is(n, "settings"); }, 5s, "the settings screen"));
    // Fire's second slot: press-a-key-to-bind, and G (ghosts' key) is taken from ghosts.
    desk_.click("fire.2", "key");
    ASSERT_TRUE(desk_.wait_ui([](const Json& f) { return Desktop::shows_text(f, "press a key\xe2\x80\xa6"); }, 5s, "waiting for a key"));
    desk_.key("g");
    ASSERT_TRUE(desk_.wait_ui([](const Json& f) { return Desktop::shows_text(f, "G was bound to ghosts"); }, 5s,
                              "the conflict explained"));
    // Esc while waiting cancels and binds nothing.
    desk_.click("dash.1", "key");
    ASSERT_TRUE(desk_.wait_ui([](const Json& f) { return Desktop::shows_text(f, "press a key\xe2\x80\xa6"); }));
    desk_.key("Escape");
    ASSERT_TRUE(desk_.wait_ui([](const Json& f) { return !Desktop::shows_text(f, "press a key\xe2\x80\xa6"); }));
    // Mute, the volume slider dragged to its left end, the net graph moved one corner on.
    desk_.click("Mute", "checkbox");
    std::optional<Json> volume;
    ASSERT_TRUE(desk_.wait_ui([&](const Json& f) { return (volume = Desktop::widget(f, "volume", "slider")).has_value(); }));
    const auto& r = (*volume)["rect"];
    desk_.drag(centre(*volume), {r[0].get<int>() - 20, centre(*volume).y});
    ASSERT_TRUE(desk_.wait_ui([](const Json& f) { return shows_exactly(f, "0 %"); }, 5s, "the volume at 0 %"));
    desk_.click("Net graph at: bottom right", "button");
    ASSERT_TRUE(desk_.wait_ui([&](const Json& f) { return Desktop::widget(f, "Net graph at: top left").has_value(); }, 5s,
                              "the net graph's next corner"));
    expect_readable("the settings screen");
    desk_.click("Done", "button");
    ASSERT_TRUE(desk_.wait_net([](const Json& n) { return overlay_is(n, ""); }, 5s, "the settings screen closed"));
    const std::string saved = settings_text();
    EXPECT_NE(saved.find("bind.fire = Mouse1 G"), std::string::npos) << saved;
    EXPECT_NE(saved.find("bind.ghosts = none"), std::string::npos) << saved;
    EXPECT_NE(saved.find("bind.dash = Space Mouse2"), std::string::npos) << saved;
    EXPECT_NE(saved.find("mute = true"), std::string::npos) << saved;
    EXPECT_NE(saved.find("volume = 0\n"), std::string::npos) << saved;
    EXPECT_NE(saved.find("net_graph_position = top_left"), std::string::npos) << saved;

    // Quit and start again: the settings screen shows what was chosen.
    open_menu();
    desk_.click("Quit", "button");
    ASSERT_EQ(desk_.client().wait_for_exit(15s), 0) << desk_.client().output();
    desk_.start_client();
    ASSERT_TRUE(desk_.wait_screen("connect"));
    open_menu();
    desk_.click("Settings", "button");
    ASSERT_TRUE(desk_.wait_ui([](const Json& f) {
        const auto mute = Desktop::widget(f, "Mute", "checkbox");
        return mute && (*mute)["active"].get<bool>() && shows_exactly(f, "0 %") &&
               Desktop::widget(f, "Net graph at: top left").has_value();
    }, 5s, "mute and the volume read back"));
}

TEST_F(WalkPlayer, TheServerBrowserShowsPingAndPlayersKeepsAStarAndConnectsOnADoubleClick) {
    desk_.start_server();
    desk_.start_bots(2, 4); // two players in a room for the browser to count
    desk_.start_client();
    connect_as("browser", desk_.endpoint());
    ASSERT_TRUE(desk_.wait_net(in_lobby, 15s, "the lobby"));
    desk_.click("Disconnect");
    ASSERT_TRUE(desk_.wait_screen("connect"));
    // The recent server, probed: its ping and the bots' room.
    const std::string star = "star " + desk_.endpoint();
    ASSERT_TRUE(desk_.wait_ui([](const Json& f) { return Desktop::shows_text(f, " ms \xc2\xb7 2 players in 1 room"); },
                              15s, "the server's ping and players"));
    desk_.click(star, "icon");
    ASSERT_TRUE(desk_.wait_ui([&](const Json& f) {
        const auto w = Desktop::widget(f, star, "icon");
        return w && (*w)["active"].get<bool>();
    }, 5s, "the star on"));
    // The star is kept in the settings file at once (the client saves when the server welcomes it and on exit; a
    // star is kept on the next save): connect by double-clicking the row.
    std::optional<Json> row;
    ASSERT_TRUE(desk_.wait_ui([&](const Json& f) { return (row = Desktop::widget_after(f, star, "")).has_value(); }));
    desk_.double_click_at(centre(*row));
    ASSERT_TRUE(desk_.wait_net(in_lobby, 15s, "the lobby after a double-click"));
    EXPECT_NE(settings_text().find("favourite = " + desk_.endpoint()), std::string::npos) << settings_text();
}

TEST_F(WalkPlayer, PlaysAMatchWithNoAudioDeviceAtAllAndRejoinsItAfterACrash) {
    desk_.start_server();
    desk_.start_client({}, {"SDL_AUDIODRIVER=no-such-driver"});
    connect_as("deaf", desk_.endpoint());
    ASSERT_TRUE(desk_.wait_net(in_lobby, 15s, "the lobby"));
    EXPECT_EQ((*desk_.net())["audio"], false);
    desk_.click("Quick play");
    ASSERT_TRUE(desk_.wait_screen("room"));
    desk_.click("Ready");
    desk_.start_bots(2, 8);
    ASSERT_TRUE(desk_.wait_screen("match", 30s));
    // The sounds are asked for (and play nowhere): the match's start, and shots.
    ASSERT_TRUE(desk_.wait_net([](const Json& n) {
        const auto& s = n["sounds"];
        return s.contains("match_start") && s.contains("other_shot");
    }, 30s, "the match's sounds asked for"));
    EXPECT_TRUE(desk_.client().running());

    // Rejoin (docs/CLIENT.md): the client dies mid-match once it has a score
    // (the bots shoot it), and starts again with no audio device either.
    std::optional<Json> before;
    ASSERT_TRUE(desk_.wait_net([&](const Json& n) {
        if (n["frags"].get<int>() + n["deaths"].get<int>() == 0) return false;
        before = n;
        return true;
    }, 60s, "a score to keep"));
    const auto rejoin_file = desk_.settings_file().parent_path() / "rejoin.txt";
    const auto kept_secret = [&] {
        std::ifstream in(rejoin_file);
        std::string line;
        while (std::getline(in, line))
            if (line.starts_with("secret = ")) return line.substr(9);
        return std::string();
    };
    const std::string first_secret = kept_secret();
    EXPECT_EQ(first_secret.size(), 64u) << "rejoin.txt keeps the match's secret";
    ::kill(desk_.client_pid(), SIGKILL);
    ASSERT_TRUE(desk_.client().wait_for_exit(15s));
    desk_.start_client({}, {"SDL_AUDIODRIVER=no-such-driver"});
    ASSERT_TRUE(desk_.wait_screen("connect"));
    const std::string offer = "match " + std::to_string((*before)["match_id"].get<int>()) + " on " +
                              desk_.endpoint() + " as deaf";
    ASSERT_TRUE(desk_.wait_ui([&](const Json& f) { return Desktop::shows_text(f, offer); }, 5s, "Rejoin offered"));
    desk_.click("Rejoin", "button");
    ASSERT_TRUE(desk_.wait_net([&](const Json& n) {
        return n["screen"] == "match" && n["match_id"] == (*before)["match_id"] && n["players_seen"].get<int>() >= 3 &&
               n["deaths"].get<int>() >= (*before)["deaths"].get<int>() &&
               n["frags"].get<int>() >= (*before)["frags"].get<int>();
    }, 20s, "back in the same match with the score kept"));
    const std::string second_secret = kept_secret();
    EXPECT_EQ(second_secret.size(), 64u);
    EXPECT_NE(second_secret, first_secret) << "each MatchStart gives a new secret";
    desk_.key("Escape");
    desk_.click("Quit", "button");
    ASSERT_EQ(desk_.client().wait_for_exit(15s), 0) << desk_.client().output();
    EXPECT_FALSE(std::filesystem::exists(rejoin_file)) << "quitting is leaving on purpose: nothing to rejoin";
    // One line says there is no sound, and nothing else complains (the
    // killed client's buffered output is lost with it: this is the second's).
    const std::string out = desk_.client().output();
    std::size_t lines = 0;
    for (std::size_t at = out.find("no audio device"); at != std::string::npos; at = out.find("no audio device", at + 1))
        ++lines;
    EXPECT_EQ(lines, 1u) << out;
    EXPECT_NE(out.find("may still be running: Rejoin is offered"), std::string::npos) << out;
    EXPECT_EQ(out.find(second_secret), std::string::npos) << "the secret is never logged";
}

TEST_F(WalkPlayer, EveryScreenIsReadableAt800x600) {
    desk_.start_server();
    std::filesystem::create_directories(desk_.settings_file().parent_path());
    std::ofstream(desk_.settings_file()) << "window = 800x600\n";
    window_w_ = 800;
    window_h_ = 600;
    desk_.start_client();
    ASSERT_TRUE(desk_.wait_screen("connect"));
    expect_readable("connect");
    open_menu();
    expect_readable("menu");
    desk_.click("Settings", "button");
    ASSERT_TRUE(desk_.wait_net([](const Json& n) { return overlay_is(n, "settings"); }));
    expect_readable("settings");
    desk_.click("Done", "button");
    connect_as("small", desk_.endpoint());
    ASSERT_TRUE(desk_.wait_screen("lobby"));
    expect_readable("lobby");
    desk_.click("Quick play");
    ASSERT_TRUE(desk_.wait_screen("room"));
    expect_readable("room");
    desk_.click("Ready");
    desk_.start_bots(3, 8);
    ASSERT_TRUE(desk_.wait_screen("match", 30s));
    ASSERT_TRUE(desk_.wait_net([](const Json& n) { return n["players_seen"] == 4; }, 15s, "four players"));
    expect_readable("match");
    desk_.key_down("Tab");
    ASSERT_TRUE(desk_.wait_ui([](const Json& f) { return Desktop::shows_text(f, "PING"); }, 5s, "the scoreboard"));
    expect_readable("scoreboard");
    desk_.key_up("Tab");
}

TEST_F(WalkPlayer, AStillConnectScreenDoesNotBurnACore) {
    desk_.start_client();
    ASSERT_TRUE(desk_.wait_screen("connect"));
    const auto cpu_seconds = [&] {
        std::ifstream in("/proc/" + std::to_string(desk_.client_pid()) + "/stat");
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
        std::istringstream fields(text.substr(text.rfind(')') + 2));
        std::string f;
        long utime = 0, stime = 0;
        for (int i = 1; i <= 13 && fields >> f; ++i) {
            if (i == 12) utime = std::stol(f);
            if (i == 13) stime = std::stol(f);
        }
        return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
    };
    const double before = cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    // Measured over 3 s of a screen nobody touches (the caret blinks).
    ASSERT_TRUE(desk_.wait_net([&](const Json&) { return std::chrono::steady_clock::now() - start >= 3s; }, 10s));
    const double share = (cpu_seconds() - before) /
                         std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(share, 0.30) << "the still connect screen used " << share * 100 << " % of a core";
}
