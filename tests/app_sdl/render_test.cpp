// The SDL side without a display: widgets and screens drawn into an offscreen
// surface with SDL's software renderer. Widgets act on the clicks and keys
// they are given; the match view draws the arena's floor, walls and players
// where the camera puts them; every screen and overlay draws a real frame.
#include "client/app_sdl/connect_screen.hpp"
#include "client/app_sdl/hud.hpp"
#include "client/app_sdl/lobby_screen.hpp"
#include "client/app_sdl/match_view.hpp"
#include "client/app_sdl/menu_overlay.hpp"
#include "client/app_sdl/net_graph_view.hpp"
#include "client/app_sdl/settings_overlay.hpp"
#include "client/app_sdl/study_panel.hpp"
#include "support/test_ids.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <vector>

using namespace skirmish;
using namespace skirmish::test::ids;
using namespace skirmish::app;
using namespace std::chrono_literals;

namespace {

class Offscreen : public ::testing::Test {
protected:
    void SetUp() override {
        auto fonts = find_fonts("/usr/share/fonts/truetype/dejavu");
        if (!fonts) GTEST_SKIP() << fonts.error();
        ASSERT_EQ(TTF_Init(), 0) << TTF_GetError();
        surface_ = SDL_CreateRGBSurfaceWithFormat(0, 1280, 720, 32, SDL_PIXELFORMAT_ARGB8888);
        ASSERT_NE(surface_, nullptr) << SDL_GetError();
        renderer_ = SDL_CreateSoftwareRenderer(surface_);
        ASSERT_NE(renderer_, nullptr) << SDL_GetError();
        canvas_ = std::make_unique<Canvas>(renderer_, *fonts);
        ui_ = std::make_unique<Ui>(*canvas_);
        enet_ = std::make_unique<net::EnetLibrary>(net::EnetLibrary::initialize().value());
        session_ = std::make_unique<Session>(*enet_, io_, SessionOptions{}, util::Logger("test", util::LogLevel::Off));
    }
    void TearDown() override {
        session_.reset();
        ui_.reset();
        canvas_.reset();
        if (renderer_) SDL_DestroyRenderer(renderer_);
        if (surface_) SDL_FreeSurface(surface_);
        if (TTF_WasInit()) TTF_Quit();
    }

    // One frame: clear, let `draw` draw with `input`, finish.
    template <typename Draw>
    void frame(const UiInput& input, Draw&& draw) {
        canvas_->begin_frame();
        ui_->begin(input);
        canvas_->clear(palette::kBackground);
        Frame f{*canvas_, *ui_, *session_, settings_, util::TimePoint{} + 10s, 1.0};
        draw(f);
        canvas_->end_frame();
        SDL_RenderFlush(renderer_);
    }

    std::map<std::uint32_t, std::size_t> colours() const {
        std::map<std::uint32_t, std::size_t> out;
        for (int y = 0; y < surface_->h; ++y) {
            const auto* row = reinterpret_cast<const std::uint32_t*>(static_cast<const std::uint8_t*>(surface_->pixels) +
                                                                     static_cast<std::ptrdiff_t>(y) * surface_->pitch);
            for (int x = 0; x < surface_->w; ++x) ++out[row[x] & 0xFFFFFF];
        }
        return out;
    }
    static std::uint32_t rgb(Color c) { return (std::uint32_t{c.r} << 16) | (std::uint32_t{c.g} << 8) | c.b; }
    double share(Color c) const {
        const auto all = colours();
        const auto it = all.find(rgb(c));
        return it == all.end() ? 0.0 : static_cast<double>(it->second) / (1280.0 * 720.0);
    }
    std::uint32_t pixel(float x, float y) const {
        const auto* row = reinterpret_cast<const std::uint32_t*>(static_cast<const std::uint8_t*>(surface_->pixels) +
                                                                 static_cast<std::ptrdiff_t>(y) * surface_->pitch);
        return row[static_cast<int>(x)] & 0xFFFFFF;
    }

    static UiInput press_at(sim::Vec2 at) {
        UiInput in;
        in.mouse = at;
        in.mouse_pressed = in.mouse_down = true;
        return in;
    }
    static UiInput release_at(sim::Vec2 at) {
        UiInput in;
        in.mouse = at;
        in.mouse_released = true;
        return in;
    }

    SDL_Surface* surface_ = nullptr;
    SDL_Renderer* renderer_ = nullptr;
    std::unique_ptr<Canvas> canvas_;
    std::unique_ptr<Ui> ui_;
    std::unique_ptr<net::EnetLibrary> enet_;
    asio::io_context io_;
    std::unique_ptr<Session> session_;
    Settings settings_;
};

client::ClientView sample_view() {
    auto map = std::make_shared<sim::Map>();
    map->name = "test";
    map->width = 1600;
    map->height = 960;
    map->walls = {{700, 400, 200, 160}, {200, 100, 400, 30}};
    map->spawns = {{100, 100}};
    client::ClientView view;
    view.state = client::ConnectionState::InMatch;
    view.map = map;
    view.local_id = 1_player;
    view.time_left_s = 123;
    for (std::uint32_t id : {1u, 2u}) {
        client::ViewPlayer p;
        p.id = sim::PlayerId{id};
        p.name = id == 1 ? "me" : "them";
        p.local = id == 1;
        p.state.id = sim::PlayerId{id};
        p.state.alive = true;
        p.state.health = 100;
        p.state.position = id == 1 ? sim::Vec2{300, 700} : sim::Vec2{1300, 300};
        view.players.push_back(p);
    }
    view.server_ghost = sim::Vec2{320, 700};
    view.latest_received = {{2_player, sim::Vec2{1330, 300}}};
    view.tracers.push_back({2_player, {1300, 300}, {300, 700}, 0.05, false});
    view.kill_feed.push_back({2_player, 1_player, "them", "me", 1.0});
    return view;
}

} // namespace

TEST_F(Offscreen, ButtonClicksOnlyWhenPressedAndReleasedInside) {
    const ScreenRect r{100, 100, 200, 40};
    bool clicked = false;
    frame(press_at({150, 120}), [&](Frame&) { clicked = ui_->button(r, "OK"); });
    EXPECT_FALSE(clicked); // not on the press
    frame(release_at({160, 125}), [&](Frame&) { clicked = ui_->button(r, "OK"); });
    EXPECT_TRUE(clicked);
    frame(press_at({150, 120}), [&](Frame&) { ui_->button(r, "OK"); });
    frame(release_at({600, 600}), [&](Frame&) { clicked = ui_->button(r, "OK"); });
    EXPECT_FALSE(clicked); // dragged off before letting go
    frame(press_at({150, 120}), [&](Frame&) { ui_->button(r, "OK", false); });
    frame(release_at({150, 120}), [&](Frame&) { clicked = ui_->button(r, "OK", false); });
    EXPECT_FALSE(clicked); // disabled
}

TEST_F(Offscreen, TextFieldTakesTypingOnlyOnceFocused) {
    LineEdit edit(24);
    const ScreenRect r{100, 100, 300, 36};
    UiInput typing;
    typing.type("abc");
    frame(typing, [&](Frame&) { ui_->text_field(r, "name", edit, "name"); });
    EXPECT_TRUE(edit.empty());
    frame(press_at({120, 110}), [&](Frame&) { ui_->text_field(r, "name", edit, "name"); });
    frame(release_at({120, 110}), [&](Frame&) { ui_->text_field(r, "name", edit, "name"); });
    EXPECT_TRUE(ui_->focused("name"));
    frame(typing, [&](Frame&) { ui_->text_field(r, "name", edit, "name"); });
    EXPECT_EQ(edit.text(), "abc");
    UiInput back;
    back.edits = {{EditKey::Backspace}, {EditKey::Backspace}}; // two in one frame: both count
    back.enter = true;
    bool entered = false;
    frame(back, [&](Frame&) { entered = ui_->text_field(r, "name", edit, "name"); });
    EXPECT_EQ(edit.text(), "a");
    EXPECT_TRUE(entered);
}

TEST_F(Offscreen, TextFieldSelectsCopiesCutsAndPastesThroughTheClipboard) {
    std::string clipboard;
    Ui ui(*canvas_, Clipboard{[&] { return clipboard; }, [&](const std::string& t) { clipboard = t; }});
    LineEdit edit(64, "127.0.0.1:7777");
    const ScreenRect r{100, 100, 300, 36};
    const auto with = [&](std::vector<EditPress> keys, std::string typed = {}) {
        UiInput in;
        in.edits = std::move(keys);
        if (!typed.empty()) in.type(typed);
        canvas_->begin_frame();
        ui.begin(in);
        ui.text_field(r, "address", edit, "host:port");
        canvas_->end_frame();
    };
    ui.focus("address");
    with({{EditKey::SelectAll}, {EditKey::Copy}});
    EXPECT_EQ(clipboard, "127.0.0.1:7777");
    with({}, "example.org:7777"); // typing replaces the selection
    EXPECT_EQ(edit.text(), "example.org:7777");
    with({{EditKey::Left, true, true}, {EditKey::Cut}}); // ctrl+shift+left selects the port
    EXPECT_EQ(edit.text(), "example.org:");
    // Order within a frame holds: select all, then type, replaces everything.
    {
        UiInput in;
        in.edits = {{EditKey::SelectAll}};
        in.type("x");
        in.edits.push_back({EditKey::Home});
        in.type("<");
        canvas_->begin_frame();
        ui.begin(in);
        ui.text_field(r, "address", edit, "host:port");
        canvas_->end_frame();
        EXPECT_EQ(edit.text(), "<x");
        edit.set("example.org:");
    }
    EXPECT_EQ(clipboard, "7777");
    clipboard = "9000\nsecond line";
    with({{EditKey::Paste}});
    EXPECT_EQ(edit.text(), "example.org:9000"); // one line only
    with({{EditKey::Home}, {EditKey::Delete, true}});
    EXPECT_EQ(edit.text(), ".org:9000");
}

TEST_F(Offscreen, AClickInATextFieldPutsTheCaretWhereItLands) {
    LineEdit edit(64, "abcdefgh");
    const ScreenRect r{100, 100, 300, 36};
    frame(press_at({105, 118}), [&](Frame&) { ui_->text_field(r, "f", edit, ""); }); // left of the first letter
    EXPECT_TRUE(ui_->focused("f"));
    EXPECT_EQ(edit.caret(), 0u);
    frame(release_at({105, 118}), [&](Frame&) { ui_->text_field(r, "f", edit, ""); });
    frame(press_at({390, 118}), [&](Frame&) { ui_->text_field(r, "f", edit, ""); }); // right of the last
    EXPECT_EQ(edit.caret(), 8u);
}

TEST_F(Offscreen, SliderFollowsTheDragInSteps) {
    double value = 0;
    const ScreenRect r{100, 100, 200, 40};
    UiInput grab = press_at({100 + 200 * 0.5f, 126});
    frame(grab, [&](Frame&) { ui_->slider(r, "latency", "Latency", value, 0, 300, 5, "ms"); });
    EXPECT_DOUBLE_EQ(value, 150);
    UiInput drag;
    drag.mouse = {100 + 200 * 0.26f, 300}; // off the track vertically: still dragging
    drag.mouse_down = true;
    frame(drag, [&](Frame&) { ui_->slider(r, "latency", "Latency", value, 0, 300, 5, "ms"); });
    EXPECT_DOUBLE_EQ(value, 80); // 78 rounded to a step of 5
    // Let go further right: the value follows to where the button came up
    // (a quick drag may move and end in one frame), and then changes no more.
    frame(release_at({100 + 200 * 0.5f, 126}), [&](Frame&) { ui_->slider(r, "latency", "Latency", value, 0, 300, 5, "ms"); });
    EXPECT_DOUBLE_EQ(value, 150);
    UiInput after;
    after.mouse = {400, 126};
    frame(after, [&](Frame&) { ui_->slider(r, "latency", "Latency", value, 0, 300, 5, "ms"); });
    EXPECT_DOUBLE_EQ(value, 150); // let go: no more changes
}

TEST_F(Offscreen, MatchViewDrawsTheArenaWherePlayersAreWhereTheCameraSays) {
    const client::ClientView view = sample_view();
    MatchView match;
    frame(UiInput{}, [&](Frame& f) {
        MatchOverlays overlays;
        overlays.ghosts = true;
        match.draw(f, view, overlays);
    });
    EXPECT_GT(share(palette::kFloor), 0.5);
    EXPECT_GT(share(palette::kWall), 0.02);
    // The middle of a wall is wall; a player's centre is darker than its colour; the floor between them is floor.
    const Camera& cam = match.camera();
    const sim::Vec2 wall = cam.to_screen({800, 480});
    EXPECT_EQ(pixel(wall.x, wall.y), rgb(palette::kWall));
    const sim::Vec2 them = cam.to_screen({1300 + 10, 300});
    EXPECT_EQ(pixel(them.x, them.y), rgb(palette::player(2)));
    const sim::Vec2 empty = cam.to_screen({1230, 810}); // between grid lines (every 80 units)
    EXPECT_EQ(pixel(empty.x, empty.y), rgb(palette::kFloor));
    // Narrowed by a panel on the right, the arena stays left of it.
    frame(UiInput{}, [&](Frame& f) {
        MatchOverlays overlays;
        overlays.right_edge = 900;
        match.draw(f, view, overlays);
    });
    EXPECT_LE(match.camera().to_screen({1600, 0}).x, 900.0f);
}

TEST_F(Offscreen, TheNetGraphDocksInItsCornerAndStepsAsideFromTheOwnPlayer) {
    Canvas& c = *canvas_;
    const ScreenRect br = net_graph_box(c, 12, 1e9f, Corner::BottomRight, std::nullopt);
    EXPECT_GT(br.x, 640);
    EXPECT_GT(br.y, 300);
    const ScreenRect tl = net_graph_box(c, 12, 1e9f, Corner::TopLeft, std::nullopt);
    EXPECT_LT(tl.x, 100);
    EXPECT_GE(tl.y, 52); // below the top bar
    const sim::Vec2 under_br{br.x + br.w / 2, br.y + br.h / 2};
    const ScreenRect moved = net_graph_box(c, 12, 1e9f, Corner::BottomRight, under_br);
    EXPECT_LT(moved.x, 100);
    EXPECT_EQ(moved.y, br.y);
    EXPECT_FALSE(under_br.x > moved.x && under_br.x < moved.x + moved.w);
}

TEST_F(Offscreen, SpawnProtectionIsARingEveryoneSees) {
    client::ClientView view = sample_view();
    view.rules.player_radius = 14;
    MatchView match;
    // Another player (not us): drawn with and without protection, the ring is the difference.
    const auto ring_pixels = [&](bool protected_) {
        view.server_tick = 100;
        view.players[1].state.protected_until_tick = protected_ ? 160 : 0;
        frame(UiInput{}, [&](Frame& f) { match.draw(f, view, {}); });
        const sim::Vec2 at = match.camera().to_screen(view.players[1].state.position);
        const float r = std::max(10.0f, match.camera().to_screen(14.0f));
        // The column of pixels just below the body, out to where the ring ends.
        std::vector<std::uint32_t> column;
        for (int d = 2; d < 14; ++d) column.push_back(pixel(at.x, at.y + r + static_cast<float>(d)));
        return column;
    };
    const auto plain = ring_pixels(false);
    const auto shielded = ring_pixels(true);
    std::size_t bright = 0; // the ring's pale blue: blue and green well above red
    for (std::size_t i = 0; i < plain.size(); ++i) {
        const std::uint32_t p = shielded[i];
        if (p != plain[i] && (p & 0xff) > 0xc0 && ((p >> 8) & 0xff) > 0xa0) ++bright;
    }
    EXPECT_GE(bright, 1u) << "no ring around a protected player";
}

TEST_F(Offscreen, EveryScreenAndOverlayDrawsARealFrame) {
    const client::ClientView view = sample_view();
    NetGraph graph;
    std::deque<client::SnapshotArrival> arrivals;
    for (int i = 0; i < 60; ++i)
        arrivals.push_back({util::TimePoint{} + 5s + i * 33ms, static_cast<sim::Tick>(100 + 2 * i + (i > 30 ? 2 : 0)), 90, i == 0});
    client::NetStats stats;
    stats.rtt_ms = 80;
    for (int i = 0; i < 100; ++i) graph.record_match(util::TimePoint{} + 5s + i * 50ms, stats, arrivals, 2);

    ConnectScreen connect;
    asio::io_context io;
    ServerBrowser browser(io);
    LanBrowser lan(client::kDiscoveryPort, {"127.255.255.255"}); // its probe stays on loopback
    SettingsOverlay settings;
    LobbyScreen lobby;
    StudyPanel study;
    MatchView match;
    StudyShow show;
    const std::vector<std::pair<const char*, std::function<void(Frame&)>>> screens{
        {"connect", [&](Frame& f) { connect.draw(f, browser, lan); }},
        {"settings", [&](Frame& f) {
             if (!settings.is_open()) settings.open(f.settings);
             settings.draw(f);
         }},
        {"lobby", [&](Frame& f) { lobby.draw(f); }},
        {"menu", [&](Frame& f) { draw_menu(f, false); }},
        {"study", [&](Frame& f) { study.draw(f, show); }},
        {"net graph", [&](Frame& f) { draw_net_graph(f, graph, 2, 60, 1280); }},
        {"net graph top left", [&](Frame& f) { draw_net_graph(f, graph, 2, 60, 1280, Corner::TopLeft); }},
        {"match and hud", [&](Frame& f) {
             match.draw(f, view, {});
             HudState hud;
             hud.scoreboard = true;
             draw_hud(f, view, hud);
         }},
    };
    for (const auto& [name, draw] : screens) {
        frame(UiInput{}, draw);
        const auto all = colours();
        std::size_t top = 0;
        for (const auto& [c, n] : all) top = std::max(top, n);
        EXPECT_GT(all.size(), 8u) << name;
        EXPECT_LT(static_cast<double>(top) / (1280.0 * 720.0), 0.95) << name;
    }
}
