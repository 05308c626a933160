// client/app_sdl/lobby_screen.cpp
#include "client/app_sdl/lobby_screen.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace skirmish::app {

namespace lobby = protocol::lobby;

namespace {

constexpr auto kRefreshEvery = std::chrono::seconds(3);

std::string describe(const protocol::MatchSettings& s) {
    std::string out = fmt::format("{}  \xc2\xb7  up to {} players  \xc2\xb7  {} frags  \xc2\xb7  {}", s.map,
                                  s.max_players, s.frag_limit, format_clock(s.time_limit_s));
    if (s.join_in_progress) out += "  \xc2\xb7  join in progress";
    return out;
}

} // namespace

void LobbyScreen::draw(Frame& f) {
    Canvas& c = f.canvas;
    // The header's Disconnect acts at once and ends the room: look at the
    // session only after it.
    draw_header(f);
    const bool in_room = f.session.room().has_value();
    if (!in_room && f.now >= next_refresh_) {
        f.session.refresh_rooms();
        next_refresh_ = f.now + kRefreshEvery;
    }
    const float top = 76, margin = 24;
    const float left_w = std::max(560.0f, c.width() * 0.58f) - margin;
    const ScreenRect left{margin, top, left_w, c.height() - top - margin};
    const ScreenRect right{margin * 2 + left_w, top, c.width() - left_w - margin * 3, c.height() - top - margin};
    // Under the dialog, nothing takes the mouse.
    const UiInput input = f.ui.input();
    if (creating_) f.ui.begin(blind(input));
    if (showing_stats_) showing_stats_ = stats_.draw(f, left);
    else if (in_room) draw_room(f, left);
    else draw_rooms(f, left);
    draw_chat(f, right);
    if (creating_) {
        f.ui.begin(input);
        draw_create(f);
    }
    draw_problem(f, 64);
}

void LobbyScreen::draw_header(Frame& f) {
    Canvas& c = f.canvas;
    c.fill_rect({0, 0, c.width(), 56}, palette::kPanelTitle);
    c.fill_rect({0, 56, c.width(), 2}, palette::kAccent.with_alpha(0.6));
    c.text("SKIRMISH", {24, 13}, {24, palette::kAccent, Face::Bold});
    std::string where = fmt::format("{}  on  {}", f.session.player_name(), f.session.endpoint_text());
    if (const lobby::Welcome* w = f.session.welcome(); w && !w->server_name.empty())
        where += fmt::format("  ({}, {} Hz)", w->server_name, w->tick_rate_hz);
    c.text(where, {190, 18}, {15, palette::kTextDim});
    if (f.ui.button({c.width() - 272, 11, 116, 34}, "Stats") && !showing_stats_) {
        showing_stats_ = true;
        stats_.open(f);
    }
    if (f.ui.button({c.width() - 144, 11, 120, 34}, "Disconnect")) f.session.disconnect();
}

void LobbyScreen::draw_rooms(Frame& f, const ScreenRect& a) {
    Canvas& c = f.canvas;
    Ui& ui = f.ui;
    const auto& list = f.session.rooms();
    ui.panel(a, fmt::format("Rooms ({})", list.total_rooms));
    const float x = a.x + 16;
    float y = a.y + 46;
    const TextStyle head{13, palette::kTextDim, Face::Bold};
    c.text("ROOM", {x, y}, head);
    c.text("MAP", {x + a.w * 0.34f, y}, head);
    c.text("PLAYERS", {x + a.w * 0.52f, y}, head);
    c.text("STATE", {x + a.w * 0.70f, y}, head);
    y += 24;
    const float list_bottom = a.y + a.h - 70;
    if (ui.hovered({a.x, y, a.w, list_bottom - y})) room_scroll_ -= ui.input().wheel * 40;
    const float max_scroll = std::max(0.0f, static_cast<float>(list.rooms.size()) * 42 - (list_bottom - y));
    room_scroll_ = std::clamp(room_scroll_, 0.0f, max_scroll);
    c.set_clip({a.x, y, a.w, list_bottom - y});
    float row_y = y - room_scroll_;
    for (const auto& room : list.rooms) {
        const ScreenRect row{a.x + 6, row_y, a.w - 12, 38};
        row_y += 42;
        if (row.y + row.h < y || row.y > list_bottom) continue;
        const bool selected = room.room_id == selected_room_;
        if (ui.list_row(row, selected)) selected_room_ = room.room_id;
        const bool full = room.players >= room.settings.max_players;
        const bool joinable = !full && (room.phase == lobby::RoomPhase::Waiting || room.settings.join_in_progress);
        const bool watchable = room.spectators < room.settings.spectator_slots;
        const std::string title = room.name.empty() ? fmt::format("room {}", room.room_id) : room.name;
        c.text(c.fit(title, a.w * 0.34f - 20, {16}), {x, row.y + 9}, {16, palette::kText});
        c.text(c.fit(room.settings.map, a.w * 0.18f - 8, {15}), {x + a.w * 0.34f, row.y + 9}, {15, palette::kTextDim});
        const float players_w = c.text(fmt::format("{}/{}", room.players, room.settings.max_players),
                                       {x + a.w * 0.52f, row.y + 9}, {15, full ? palette::kBad : palette::kText, Face::Bold})
                                    .x;
        if (room.spectators > 0)
            c.text(fmt::format(" +{}", room.spectators), {x + a.w * 0.52f + players_w, row.y + 10},
                   {13, palette::kTextDim});
        const bool running = room.phase == lobby::RoomPhase::InMatch;
        c.text(running ? "playing" : "waiting", {x + a.w * 0.70f, row.y + 9},
               {14, running ? palette::kWarn : palette::kGood});
        if (ui.button({row.x + row.w - 74, row.y + 5, 66, 28}, "Join", joinable)) f.session.join_room(room.room_id);
        if (ui.button({row.x + row.w - 148, row.y + 5, 70, 28}, "Watch", watchable))
            f.session.join_room(room.room_id, true);
    }
    c.clear_clip();
    if (list.rooms.empty())
        c.text("No rooms yet: create one, or press Quick play.", {a.x + a.w / 2, y + 40},
               {15, palette::kTextDim, Face::Regular, Align::Center});

    const float by = a.y + a.h - 56;
    if (ui.button({a.x + 16, by, 160, 40}, "Quick play", true, true)) f.session.quick_play();
    if (ui.button({a.x + 188, by, 160, 40}, "Create room\xe2\x80\xa6")) {
        creating_ = true;
        if (const lobby::Welcome* w = f.session.welcome(); w && !w->maps.empty() &&
            std::find(w->maps.begin(), w->maps.end(), create_settings_.map) == w->maps.end())
            create_settings_.map = w->maps.front();
        if (room_name_.empty()) room_name_.set(fmt::format("{}'s room", f.session.player_name()));
    }
    if (ui.button({a.x + a.w - 136, by, 120, 40}, "Refresh")) f.session.refresh_rooms();
}

void LobbyScreen::draw_room(Frame& f, const ScreenRect& a) {
    Canvas& c = f.canvas;
    Ui& ui = f.ui;
    // A copy for this frame: a button below may change the session's room.
    const lobby::RoomState room = *f.session.room();
    const std::string title = room.name.empty() ? fmt::format("Room {}", room.room_id) : room.name;
    ui.panel(a, title);
    float y = a.y + 46;
    c.text(c.fit(describe(room.settings), a.w - 32, {14}), {a.x + 16, y}, {14, palette::kTextDim});
    y += 30;
    const std::size_t ready = static_cast<std::size_t>(
        std::count_if(room.members.begin(), room.members.end(), [](const lobby::Member& m) { return m.ready; }));
    const std::size_t watching = static_cast<std::size_t>(
        std::count_if(room.members.begin(), room.members.end(), [](const lobby::Member& m) { return m.spectator; }));
    const std::size_t players = room.members.size() - watching;
    c.text(fmt::format("PLAYERS {}/{}   READY {}   WATCHING {}/{}", players, room.settings.max_players, ready,
                       watching, room.settings.spectator_slots),
           {a.x + 16, y}, {13, palette::kTextDim, Face::Bold});
    // The host's choice, for everyone: off, shots are judged where targets are at the server's step.
    c.text(room.settings.lag_compensation ? "lag compensation on" : "lag compensation off", {a.x + a.w - 16, y},
           {13, room.settings.lag_compensation ? palette::kTextDim : palette::kWarn, Face::Bold, Align::Right});
    y += 24;
    // The bottom lines, upwards from the buttons: what happens next, then the last match.
    const float by = a.y + a.h - 56;
    const float status_y = by - 26;
    const bool show_last = room.last_results && !room.last_results->scores.empty();
    const float last_y = status_y - 26;
    const float members_bottom = (show_last ? last_y : status_y) - 6;
    for (const auto& m : room.members) {
        if (y + 32 > members_bottom) break;
        const bool me = m.player_id == f.session.player_id();
        const ScreenRect row{a.x + 8, y, a.w - 16, 32};
        if (me) c.fill_rect(row, palette::kButton);
        c.fill_circle({row.x + 18, row.y + 16}, 7, palette::player(m.player_id));
        c.text(m.name + (me ? "  (you)" : ""), {row.x + 36, row.y + 6}, {16, palette::kText, me ? Face::Bold : Face::Regular});
        if (m.player_id == room.host_id)
            c.text("\xe2\x98\x85 host", {row.x + row.w * 0.55f, row.y + 7}, {14, palette::kAccent});
        std::string state = m.spectator ? (m.in_match ? "watching the match" : "spectator")
                            : m.in_match ? "in match"
                            : m.ready    ? "\xe2\x9c\x94 ready"
                                         : "not ready";
        const Color state_color = m.spectator ? palette::kTextDim
                                  : m.in_match ? palette::kWarn
                                  : m.ready    ? palette::kGood
                                               : palette::kTextDim;
        c.text(state, {row.x + row.w - 12, row.y + 7}, {14, state_color, Face::Bold, Align::Right});
        y += 36;
    }
    if (show_last) {
        const auto& top = room.last_results->scores.front();
        c.text(c.fit(fmt::format("Last match: {} won with {} frags ({})", top.name, top.frags,
                                 protocol::name(room.last_results->reason)),
                     a.w - 32, {14}),
               {a.x + 16, last_y}, {14, palette::kTextDim});
    }
    const bool waiting = room.phase == lobby::RoomPhase::Waiting;
    const bool is_ready = f.session.is_ready();
    const bool spectator = f.session.is_spectator();
    if (ui.button({a.x + a.w - 136, by, 120, 40}, "Leave room")) f.session.leave_room();
    if (spectator) {
        // A spectator neither gets ready nor starts: it watches when the match runs.
        if (!waiting && ui.button({a.x + 16, by, 180, 40}, "Watch the match", true, true)) f.session.rejoin_match();
        c.text(c.fit(waiting ? "You are a spectator: the match shows here when the players start it."
                             : "A match is running: watch it, or leave the room.",
                     a.w - 32, {14}),
               {a.x + 16, status_y}, {14, waiting ? palette::kTextDim : palette::kWarn});
        return;
    }
    if (ui.button({a.x + 16, by, 160, 40}, is_ready ? "Not ready" : "Ready", waiting, !is_ready))
        f.session.set_ready(!is_ready);
    if (f.session.is_host() &&
        ui.button({a.x + 188, by, 160, 40}, "Start match", waiting && players >= 2, is_ready))
        f.session.start_match();
    if (!waiting && ui.button({a.x + 188, by, 160, 40}, "Rejoin the match", room.settings.join_in_progress, true))
        f.session.rejoin_match();
    if (!waiting)
        c.text("A match is running in this room.", {a.x + 16, status_y}, {14, palette::kWarn});
    else if (!f.session.is_host())
        c.text(c.fit("The match starts when everyone is ready, or when the host starts it.", a.w - 32, {14}),
               {a.x + 16, status_y}, {14, palette::kTextDim});
}

void LobbyScreen::draw_chat(Frame& f, const ScreenRect& a) {
    Canvas& c = f.canvas;
    Ui& ui = f.ui;
    ui.panel(a, "Chat");
    const float input_y = a.y + a.h - 52;
    const bool in_room = f.session.room().has_value();
    if (ui.text_field({a.x + 12, input_y, a.w - 24, 38}, "chat", chat_,
                      in_room ? "Enter to chat with the room" : "join a room to chat")) {
        const std::string text = chat_.take();
        if (!text.empty()) f.session.say(text);
    }
    // Newest at the bottom, as many as fit.
    float y = input_y - 26;
    const auto& lines = f.session.chat();
    c.set_clip({a.x, a.y + 36, a.w, input_y - a.y - 40});
    for (auto it = lines.rbegin(); it != lines.rend() && y > a.y + 40; ++it) {
        const TextStyle style{14, it->from.empty() ? palette::kTextDim : palette::kText};
        const std::string who = it->from.empty() ? "" : it->from + ": ";
        c.text(c.fit(who + it->text, a.w - 28, style), {a.x + 14, y}, style);
        y -= 22;
    }
    c.clear_clip();
}

void LobbyScreen::draw_create(Frame& f) {
    Canvas& c = f.canvas;
    Ui& ui = f.ui;
    c.fill_rect({0, 0, c.width(), c.height()}, palette::kBackground.with_alpha(std::uint8_t{170}));
    const ScreenRect box{c.width() / 2 - 250, 90, 500, 506};
    ui.panel(box, "Create a room");
    float y = box.y + 52;
    const float x = box.x + 20, w = box.w - 40;
    c.text("Room name", {x, y}, {14, palette::kTextDim});
    ui.text_field({x, y + 20, w, 36}, "room_name", room_name_, "a name for the room");
    y += 74;
    // Map: cycle through the server's maps.
    const lobby::Welcome* welcome = f.session.welcome();
    c.text("Map", {x, y + 8}, {15, palette::kText});
    if (ui.button({x + w - 200, y, 200, 34}, create_settings_.map + "  \xe2\x96\xb8") && welcome && !welcome->maps.empty()) {
        auto it = std::find(welcome->maps.begin(), welcome->maps.end(), create_settings_.map);
        create_settings_.map = (it == welcome->maps.end() || std::next(it) == welcome->maps.end()) ? welcome->maps.front()
                                                                                                     : *std::next(it);
    }
    y += 46;
    int max_players = create_settings_.max_players;
    ui.stepper({x, y, w, 34}, "Max players", max_players, protocol::kMinRoomPlayers, protocol::kMaxRoomPlayers, 1,
               std::to_string(max_players));
    create_settings_.max_players = static_cast<std::uint8_t>(max_players);
    y += 46;
    int frags = create_settings_.frag_limit;
    ui.stepper({x, y, w, 34}, "Frag limit", frags, protocol::kMinFragLimit, protocol::kMaxFragLimit, frags < 10 ? 1 : 5,
               std::to_string(frags));
    create_settings_.frag_limit = static_cast<std::uint16_t>(frags);
    y += 46;
    int time_limit = create_settings_.time_limit_s;
    ui.stepper({x, y, w, 34}, "Time limit", time_limit, protocol::kMinTimeLimitS, protocol::kMaxTimeLimitS,
               time_limit < 300 ? 30 : 60, format_clock(time_limit));
    create_settings_.time_limit_s = static_cast<std::uint16_t>(time_limit);
    y += 46;
    int spectators = create_settings_.spectator_slots;
    ui.stepper({x, y, w, 34}, "Spectator seats", spectators, 0, protocol::kMaxSpectatorSlots, 1,
               std::to_string(spectators));
    create_settings_.spectator_slots = static_cast<std::uint8_t>(spectators);
    y += 46;
    ui.checkbox({x, y, w, 30}, "Players may join a running match", create_settings_.join_in_progress);
    y += 36;
    ui.checkbox({x, y, w, 30}, "Lag compensation (shots judged as you saw them)", create_settings_.lag_compensation);
    y += 50;
    if (ui.button({x, y, 150, 40}, "Create", true, true)) {
        f.session.create_room(room_name_.text().empty() ? fmt::format("{}'s room", f.session.player_name())
                                                        : room_name_.text(),
                              create_settings_);
        creating_ = false;
        ui.unfocus();
    }
    if (ui.button({x + w - 150, y, 150, 40}, "Cancel")) {
        creating_ = false;
        ui.unfocus();
    }
}

} // namespace skirmish::app
