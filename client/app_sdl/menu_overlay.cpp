// client/app_sdl/menu_overlay.cpp
#include "client/app_sdl/menu_overlay.hpp"

#include "skirmish/version.hpp"

#include <fmt/format.h>

namespace skirmish::app {

MenuChoice draw_menu(Frame& f, bool study_open) {
    Canvas& c = f.canvas;
    Ui& ui = f.ui;
    c.fill_rect({0, 0, c.width(), c.height()}, palette::kBackground.with_alpha(std::uint8_t{160}));
    const Screen screen = f.session.screen();
    const bool in_match = screen == Screen::Match || screen == Screen::Scoreboard;
    const client::LobbyState lobby = f.session.lobby_state();
    const bool connected = screen != Screen::Connect || lobby == client::LobbyState::Connecting ||
                           lobby == client::LobbyState::Handshaking;
    const float w = 340, h = 516;
    const ScreenRect box{(c.width() - w) / 2, (c.height() - h) / 2, w, h};
    ui.panel(box, "Menu");
    const float x = box.x + 20, bw = w - 40;
    float y = box.y + 52;
    MenuChoice choice = MenuChoice::None;
    const auto item = [&](std::string_view label, MenuChoice what, bool enabled = true, bool primary = false) {
        if (ui.button({x, y, bw, 38}, label, enabled, primary)) choice = what;
        y += 46;
    };
    item("Resume", MenuChoice::Resume, true, true);
    item("Settings", MenuChoice::Settings);
    item(fmt::format("Net graph: {}   (F3)", f.settings.net_graph ? "on" : "off"), MenuChoice::NetGraph);
    item(fmt::format("Study controls: {}   (F2)", study_open ? "shown" : "hidden"), MenuChoice::StudyPanel);
    item(fmt::format("Fullscreen: {}", f.settings.fullscreen ? "on" : "off"), MenuChoice::Fullscreen);
    item(fmt::format("Vsync: {}", f.settings.vsync ? "on" : "off"), MenuChoice::Vsync);
    item("Leave the match", MenuChoice::LeaveMatch, in_match);
    item("Disconnect", MenuChoice::Disconnect, connected);
    item("Quit", MenuChoice::Quit);
    c.text(fmt::format("skirmish-client {}", kVersion), {box.x + w / 2, box.y + h - 26},
           {12, palette::kTextDim, Face::Regular, Align::Center});
    return choice;
}

} // namespace skirmish::app
