// client/app_sdl/lobby_screen.hpp
//
// The lobby: the room list (players/max, map, running or waiting) with join,
// quick play and create room (map, max players 2-16, frag limit, time limit,
// join in progress); inside a room its members with ready marks and the
// host's star, Ready, Start (host only), Leave; and the room's chat. The
// header's Stats opens the leaderboard and recent matches in place of the
// rooms (stats_panel.hpp).
//
// IMPORTANT: draws and acts through a Frame; requests go out via the Session.
#pragma once

#include "client/app_sdl/frame.hpp"
#include "client/app_sdl/stats_panel.hpp"

namespace skirmish::app {

class LobbyScreen {
public:
    void draw(Frame& frame);
    // Enter pressed outside a text field: focus the chat line.
    void focus_chat(Ui& ui) { ui.focus("chat"); }
    bool creating() const noexcept { return creating_; }
    void close_dialog() { creating_ = false; }

private:
    void draw_header(Frame& f);
    void draw_rooms(Frame& f, const ScreenRect& area);
    void draw_room(Frame& f, const ScreenRect& area);
    void draw_chat(Frame& f, const ScreenRect& area);
    void draw_create(Frame& f);

    LineEdit chat_{protocol::lobby::kMaxChatBytes};
    LineEdit room_name_{protocol::kMaxRoomNameBytes};
    protocol::MatchSettings create_settings_;
    bool creating_ = false;
    std::uint32_t selected_room_ = 0;
    util::TimePoint next_refresh_{};
    float room_scroll_ = 0;
    StatsPanel stats_;
    bool showing_stats_ = false;
};

} // namespace skirmish::app
