// The client's screen flow without a display, against a real server (lobby
// and game port, in-process, ephemeral port): Connect → Lobby (create, join,
// chat, ready) → Match (through the in-process conditioner relay) → the
// Scoreboard at the frag limit → back to the Lobby in the same room. Also
// what a person is told when the server is not there, quick play, and
// watching a running match (--watch).
#include "client/app/server_browser.hpp"
#include "client/app/session.hpp"
#include "client/app_sdl/lobby_screen.hpp"
#include "server/server.hpp"
#include "shared/sim/quantise.hpp"
#include "support/test_maps.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <thread>

using namespace skirmish;
using namespace skirmish::app;
using namespace std::chrono_literals;

namespace {

class SessionWorld {
public:
    explicit SessionWorld(server::LobbyHosting hosting = {})
        : enet_(net::EnetLibrary::initialize().value()), log_("test", util::LogLevel::Warn) {
        server::ServerConfig config;
        config.hosting = std::move(hosting);
        config.bind_address = "127.0.0.1";
        config.port = 0;
        config.maps = {*test::open_map()};
        config.game.match_linger = 300ms;
        config.shutdown_grace = 300ms;
        server_ = server::Server::start(enet_, config, log_).value();
    }

    Session& add(SessionOptions options = {}) {
        options.scoreboard_time = 60s; // the test goes back by itself
        sessions_.push_back(std::make_unique<Session>(enet_, io_, options, log_));
        return *sessions_.back();
    }

    // Runs every session until `done` or the deadline; `intent` plays for them.
    bool run_until(std::chrono::milliseconds limit, const std::function<bool()>& done,
                   const std::function<client::InputIntent(const Session&)>& intent = {}) {
        const auto end = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < end) {
            io_.poll();
            const auto now = std::chrono::steady_clock::now();
            for (auto& s : sessions_) s->update(now, intent ? intent(*s) : client::InputIntent{});
            if (done()) return true;
            std::this_thread::sleep_for(1ms); // frame pacing, not synchronisation
        }
        return done();
    }

    std::uint16_t port() const { return server_->port(); }
    asio::io_context& io() { return io_; }
    util::TimePoint now() const { return std::chrono::steady_clock::now(); }

private:
    net::EnetLibrary enet_;
    util::Logger log_;
    asio::io_context io_;
    // As in the app: a poll() with nothing to do would stop io_, and a second
    // connect (after a refusal) would then never run.
    asio::executor_work_guard<asio::io_context::executor_type> io_work_{io_.get_executor()};
    std::unique_ptr<server::Server> server_;
    std::vector<std::unique_ptr<Session>> sessions_;
};

// Aim at the nearest other living player and hold the trigger.
client::InputIntent fight(const Session& s) {
    client::InputIntent in;
    const client::GameClient* game = s.game();
    if (!game) return in;
    const auto& view = game->view();
    const auto* me = view.local();
    float best = 1e9f;
    for (const auto& other : view.players) {
        if (other.local || !me || !other.state.alive) continue;
        const sim::Vec2 d = other.state.position - me->state.position;
        if (sim::length(d) < best) {
            best = sim::length(d);
            in.aim = sim::aim_from_radians(std::atan2(d.y, d.x));
            in.fire = true;
        }
    }
    return in;
}

} // namespace

TEST(Session, WalksFromConnectThroughAMatchToTheScoreboardAndBackToTheRoom) {
    SessionWorld w;
    Session& host = w.add();
    Session& guest = w.add();
    EXPECT_EQ(host.screen(), Screen::Connect);
    host.connect("127.0.0.1", w.port(), "host", w.now());
    guest.connect("127.0.0.1", w.port(), "guest", w.now());
    ASSERT_TRUE(w.run_until(5s, [&] { return host.screen() == Screen::Lobby && guest.screen() == Screen::Lobby; }));
    EXPECT_EQ(host.endpoint_text(), "127.0.0.1:" + std::to_string(w.port()));
    ASSERT_NE(host.welcome(), nullptr);

    protocol::MatchSettings settings;
    settings.map = "open";
    settings.max_players = 2;
    settings.frag_limit = 1;
    settings.time_limit_s = 60;
    settings.lag_compensation = false; // the room's setting, which the guest sees and the match applies
    host.create_room("duel", settings);
    ASSERT_TRUE(w.run_until(5s, [&] { return host.room().has_value(); }));
    EXPECT_TRUE(host.is_host());
    guest.refresh_rooms();
    ASSERT_TRUE(w.run_until(5s, [&] { return !guest.rooms().rooms.empty(); }));
    EXPECT_EQ(guest.rooms().rooms[0].name, "duel");
    guest.join_room(guest.rooms().rooms[0].room_id);
    // Both must know: the host hearing of the guest does not mean the guest
    // has heard it is in (its chat would be refused as roomless).
    ASSERT_TRUE(w.run_until(5s, [&] { return host.room() && host.room()->members.size() == 2 && guest.room(); }));
    EXPECT_FALSE(guest.is_host());
    EXPECT_FALSE(guest.room()->settings.lag_compensation);

    guest.say("good luck");
    ASSERT_TRUE(w.run_until(5s, [&] { return !host.chat().empty() && host.chat().back().text == "good luck"; }));
    EXPECT_EQ(host.chat().back().from, "guest");

    host.set_ready(true);
    ASSERT_TRUE(w.run_until(5s, [&] { return host.is_ready(); }));
    guest.set_ready(true);
    ASSERT_TRUE(w.run_until(10s, [&] {
        return host.screen() == Screen::Match && guest.screen() == Screen::Match &&
               host.game()->state() == client::ConnectionState::InMatch &&
               guest.game()->state() == client::ConnectionState::InMatch && host.game()->view().players.size() == 2;
    }));
    // Game traffic goes through the conditioner relay.
    ASSERT_TRUE(host.relay_stats().has_value());
    EXPECT_GT(host.relay_stats()->up.delivered, 0u);

    EXPECT_FALSE(host.game()->view().settings.lag_compensation) << "Accepted carries the room's setting";
    // Each shot is judged for its shooter: the target where the server
    // checked it (no rewind here: the room has lag compensation off) and
    // where the shooter saw it.
    std::size_t judged = 0;
    double most_rewound_ms = 0;
    ASSERT_TRUE(w.run_until(30s, [&] {
        for (Session* s : {&host, &guest}) {
            if (!s->game()) continue;
            for (const auto& r : s->game()->view().rewinds) {
                if (r.seen_at) ++judged;
                most_rewound_ms = std::max(most_rewound_ms, r.rewind_ms);
            }
        }
        return host.screen() == Screen::Scoreboard && guest.screen() == Screen::Scoreboard;
    }, fight));
    EXPECT_GT(judged, 0u);
    EXPECT_EQ(most_rewound_ms, 0.0);
    ASSERT_TRUE(host.results().has_value());
    EXPECT_EQ(host.results()->reason, protocol::MatchEndReason::FragLimit);
    EXPECT_EQ(host.results()->scores.size(), 2u);

    host.back_to_room();
    guest.back_to_room();
    ASSERT_TRUE(w.run_until(10s, [&] {
        return host.screen() == Screen::Lobby && guest.screen() == Screen::Lobby && host.room() &&
               host.room()->phase == protocol::lobby::RoomPhase::Waiting;
    }));
    EXPECT_EQ(host.game(), nullptr);
    EXPECT_EQ(host.room()->members.size(), 2u);

    // The guest's room screen as it is drawn now (not the host: it says when
    // the match starts, under the last match's line): every text readable,
    // none over another.
    ASSERT_TRUE(w.run_until(5s, [&] { return guest.room() && guest.room()->last_results; }));
    auto fonts = find_fonts("/usr/share/fonts/truetype/dejavu");
    ASSERT_TRUE(fonts.has_value()) << fonts.error();
    ASSERT_EQ(TTF_Init(), 0) << TTF_GetError();
    SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, 1280, 720, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer* renderer = SDL_CreateSoftwareRenderer(surface);
    ASSERT_NE(renderer, nullptr) << SDL_GetError();
    {
        Canvas canvas(renderer, *fonts);
        Ui ui(canvas);
        UiRecord record;
        canvas.set_record(&record);
        Settings app_settings;
        LobbyScreen screen;
        Frame frame{canvas, ui, guest, app_settings, w.now(), 1.0};
        canvas.begin_frame();
        ui.begin(UiInput{});
        screen.draw(frame);
        canvas.end_frame();
        const auto shows = [&](std::string_view part) {
            return std::any_of(record.texts.begin(), record.texts.end(),
                               [&](const DrawnText& t) { return t.text.find(part) != std::string::npos; });
        };
        EXPECT_TRUE(shows("Last match: "));
        EXPECT_TRUE(shows("The match starts when everyone is ready"));
        EXPECT_TRUE(shows("lag compensation off")) << "the room's setting, shown to a guest";
        const auto overlaps = overlapping_texts(record.texts);
        EXPECT_TRUE(overlaps.empty()) << overlaps.front();
    }
    SDL_DestroyRenderer(renderer);
    SDL_FreeSurface(surface);
    TTF_Quit();
}

TEST(Session, QuickPlayGetsReadyAndIntoAMatchWithOthers) {
    SessionWorld w;
    SessionOptions quick;
    quick.auto_ready = true;
    quick.quick_play_size = 2;
    Session& a = w.add(quick);
    Session& b = w.add(quick);
    a.connect("127.0.0.1", w.port(), "a", w.now());
    a.quick_play();
    ASSERT_TRUE(w.run_until(5s, [&] { return a.room().has_value(); }));
    b.connect("127.0.0.1", w.port(), "b", w.now());
    b.quick_play();
    ASSERT_TRUE(w.run_until(10s, [&] { return a.screen() == Screen::Match && b.screen() == Screen::Match; }));
    // The scoreboard's ping column: the server's once-a-second figures name
    // everyone in the match with their round trip.
    const auto pings_of_both = [&](const Session& s) {
        const client::GameClient* game = s.game();
        if (!game) return false;
        const auto& pings = game->view().stats.server.pings;
        const auto has = [&](std::uint32_t id) {
            return std::any_of(pings.begin(), pings.end(), [&](const auto& p) { return p.player_id == id && p.ping_ms < 1000; });
        };
        return pings.size() == 2 && has(a.player_id()) && has(b.player_id());
    };
    EXPECT_TRUE(w.run_until(5s, [&] { return pings_of_both(a) && pings_of_both(b); }));
}

TEST(ServerBrowser, ProbesALobbyForItsPingAndPlayersAndSaysWhenOneIsDown) {
    SessionWorld w;
    Session& host = w.add();
    host.connect("127.0.0.1", w.port(), "host", w.now());
    host.quick_play();
    ASSERT_TRUE(w.run_until(5s, [&] { return host.room().has_value(); }));
    ServerBrowser browser(w.io());
    const std::string up = "127.0.0.1:" + std::to_string(w.port());
    browser.probe({up, "127.0.0.1:1", "not an address"}, w.now());
    ASSERT_TRUE(w.run_until(10s, [&] {
        browser.update(w.now());
        return !browser.busy();
    }));
    const ServerStatus* s = browser.status(up);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->state, ServerStatus::State::Up) << s->problem;
    ASSERT_TRUE(s->ping_ms);
    EXPECT_LT(*s->ping_ms, 1000);
    EXPECT_EQ(s->players, 1); // the host in its room; the probe itself is in none
    EXPECT_EQ(s->rooms, 1);
    EXPECT_FALSE(s->server_name.empty());
    EXPECT_NE(summary(*s).find("1 player in 1 room"), std::string::npos) << summary(*s);
    const ServerStatus* refused = browser.status("127.0.0.1:1");
    ASSERT_NE(refused, nullptr);
    EXPECT_EQ(refused->state, ServerStatus::State::Down);
    EXPECT_NE(refused->problem.find("refused"), std::string::npos) << refused->problem;
    EXPECT_EQ(browser.status("not an address")->state, ServerStatus::State::Down);
    // A second probe() within the refresh interval probes nothing again.
    browser.probe({up}, w.now());
    EXPECT_FALSE(browser.busy());
    browser.refresh();
    browser.probe({up}, w.now());
    EXPECT_TRUE(browser.busy());
}

// A server with a password refuses the probe's Hello: the browser lists it as
// up and needing a password, not as down.
TEST(ServerBrowser, AServerWithAPasswordIsUpAndSaysSo) {
    server::LobbyHosting hosting;
    hosting.password = "friday";
    SessionWorld w(hosting);
    ServerBrowser browser(w.io());
    const std::string locked = "127.0.0.1:" + std::to_string(w.port());
    browser.probe({locked}, w.now());
    ASSERT_TRUE(w.run_until(10s, [&] {
        browser.update(w.now());
        return !browser.busy();
    }));
    const ServerStatus* s = browser.status(locked);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->state, ServerStatus::State::Up) << s->problem;
    EXPECT_TRUE(s->needs_password);
    EXPECT_EQ(summary(*s), "needs a password");
    browser.refresh();
    browser.probe({locked}, w.now());
    EXPECT_EQ(summary(*browser.status(locked)), "needs a password") << "what was known, while it is probed again";
}

TEST(Session, StudyControlsReachTheRelayAndTheClientCore) {
    SessionWorld w;
    SessionOptions quick;
    quick.auto_ready = true;
    quick.quick_play_size = 2;
    Session& a = w.add(quick);
    Session& b = w.add(quick);
    for (Session* s : {&a, &b}) {
        s->connect("127.0.0.1", w.port(), s == &a ? "a" : "b", w.now());
        s->quick_play();
    }
    ASSERT_TRUE(w.run_until(10s, [&] {
        return a.game() && a.game()->state() == client::ConnectionState::InMatch && b.game() &&
               b.game()->state() == client::ConnectionState::InMatch;
    }));
    net::ConditionerConfig bad;
    bad.up.latency_ms = bad.down.latency_ms = 40;
    ASSERT_TRUE(a.set_conditions(bad).has_value());
    // 40 ms each way through the relay: the measured added delay shows it.
    ASSERT_TRUE(w.run_until(5s, [&] { return a.relay_stats()->down.mean_added_delay_ms() > 10; }));
    net::ConditionerConfig invalid;
    invalid.up.loss_pct = 150;
    EXPECT_FALSE(a.set_conditions(invalid).has_value());
    EXPECT_EQ(a.conditions().up.latency_ms, 40); // unchanged

    // A nudge is a local desync: the next snapshots correct it.
    ASSERT_TRUE(w.run_until(5s, [&] { return a.game()->predictor()->ready(); }));
    const std::uint64_t corrections = a.game()->stats().corrections;
    EXPECT_GT(a.nudge_prediction({40, 0}) + a.nudge_prediction({-40, 0}) + a.nudge_prediction({0, 40}), 0.0f);
    ASSERT_TRUE(w.run_until(5s, [&] { return a.game()->stats().corrections > corrections; }));

    client::PredictionOptions off;
    off.enabled = false;
    a.set_prediction(off);
    EXPECT_FALSE(a.game()->options().prediction.enabled);
    client::InterpolationOptions none;
    none.enabled = false;
    a.set_interpolation(none);
    EXPECT_FALSE(a.client_options().interpolation.enabled);
}

TEST(Session, ARefusedConnectionIsExplainedOnTheConnectScreen) {
    SessionWorld w;
    Session& s = w.add();
    s.connect("127.0.0.1", 1, "nobody", w.now()); // nothing listens on port 1
    ASSERT_TRUE(w.run_until(5s, [&] { return !s.problem().empty(); }));
    EXPECT_EQ(s.screen(), Screen::Connect);
    EXPECT_NE(s.problem().find("refused"), std::string::npos) << s.problem();
    EXPECT_NE(s.problem().find("127.0.0.1:1"), std::string::npos) << s.problem();
}

// A server with a password and a message of the day: without the password the
// connect screen says so; with it the lobby opens and the chat starts with the
// message of the day, which stays at the top of a room's chat too.
TEST(Session, AskedForThePasswordThenShownTheMessageOfTheDay) {
    server::LobbyHosting hosting;
    hosting.password = "friday";
    hosting.motd = {"Welcome to the Friday LAN!", "Be nice."};
    SessionWorld w(hosting);
    Session& s = w.add();
    s.connect("127.0.0.1", w.port(), "guest", w.now());
    ASSERT_TRUE(w.run_until(10s, [&] { return !s.problem().empty(); }));
    EXPECT_EQ(s.screen(), Screen::Connect);
    EXPECT_NE(s.problem().find("this server needs a password: ask the host for it"), std::string::npos) << s.problem();

    s.connect("127.0.0.1", w.port(), "guest", w.now(), "friday");
    ASSERT_TRUE(w.run_until(10s, [&] { return s.screen() == Screen::Lobby && s.chat().size() >= 2; }))
        << name(s.screen()) << ", " << s.chat().size() << " chat lines, problem: " << s.problem();
    EXPECT_EQ(s.chat()[0].text, "Welcome to the Friday LAN!");
    EXPECT_EQ(s.chat()[1].text, "Be nice.");
    EXPECT_TRUE(s.chat()[0].from.empty()) << "from the server";

    s.quick_play();
    ASSERT_TRUE(w.run_until(10s, [&] { return s.room().has_value(); }));
    ASSERT_GE(s.chat().size(), 3u);
    EXPECT_EQ(s.chat()[0].text, "Welcome to the Friday LAN!");
    EXPECT_NE(s.chat().back().text.find("you joined"), std::string::npos);
}

TEST(Session, WatchTakesASpectatorSeatInTheRunningMatch) {
    SessionWorld w;
    Session& host = w.add();
    Session& guest = w.add();
    Session& friend_ = w.add();
    host.connect("127.0.0.1", w.port(), "host", w.now());
    guest.connect("127.0.0.1", w.port(), "guest", w.now());
    friend_.connect("127.0.0.1", w.port(), "friend", w.now());
    ASSERT_TRUE(w.run_until(5s, [&] {
        return host.screen() == Screen::Lobby && guest.screen() == Screen::Lobby && friend_.screen() == Screen::Lobby;
    }));
    // A waiting room, and a room whose match runs: the friend watches the match.
    protocol::MatchSettings settings;
    settings.map = "open";
    settings.max_players = 2;
    Session& other = w.add();
    other.connect("127.0.0.1", w.port(), "other", w.now());
    ASSERT_TRUE(w.run_until(5s, [&] { return other.screen() == Screen::Lobby; }));
    other.create_room("not yet", settings); // listed first (lower id), but waiting
    ASSERT_TRUE(w.run_until(5s, [&] { return other.room().has_value(); }));
    host.create_room("duel", settings);
    ASSERT_TRUE(w.run_until(5s, [&] { return host.room().has_value(); }));
    guest.join_room(host.room()->room_id);
    ASSERT_TRUE(w.run_until(5s, [&] { return guest.room().has_value(); }));
    host.start_match();
    ASSERT_TRUE(w.run_until(10s, [&] { return host.screen() == Screen::Match && guest.screen() == Screen::Match; }));

    friend_.watch();
    EXPECT_TRUE(friend_.watch_pending());
    ASSERT_TRUE(w.run_until(10s, [&] {
        return friend_.screen() == Screen::Match && friend_.game() &&
               friend_.game()->state() == client::ConnectionState::InMatch;
    }));
    EXPECT_FALSE(friend_.watch_pending());
    EXPECT_TRUE(friend_.is_spectator());
    EXPECT_TRUE(friend_.game()->view().spectating);
    EXPECT_EQ(friend_.room()->room_id, host.room()->room_id);
    ASSERT_TRUE(w.run_until(5s, [&] { return friend_.game()->view().players.size() == 2; }));
}
