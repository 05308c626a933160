// client/app_sdl/connect_screen.cpp
#include "client/app_sdl/connect_screen.hpp"

#include "client/app/host_port.hpp"
#include "shared/protocol/lobby_codec.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace skirmish::app {

void ConnectScreen::load(const Settings& settings) {
    address_.set(settings.servers.empty() ? "127.0.0.1:7777" : settings.servers.front());
    name_.set(settings.name);
}

bool ConnectScreen::connect(Frame& f) {
    auto endpoint = parse_endpoint(address_.text());
    if (!endpoint) {
        field_problem_ = endpoint.error();
        return false;
    }
    if (!protocol::lobby::is_valid_name(name_.text(), protocol::kMaxNameBytes)) {
        field_problem_ = "type a player name: 1 to 24 characters, not only spaces";
        return false;
    }
    if (!protocol::is_valid_text(password_.text(), protocol::free_text(protocol::lobby::kMaxPasswordBytes))) {
        field_problem_ = "a password has at most 64 bytes and no control characters";
        return false;
    }
    field_problem_.clear();
    f.settings.name = name_.text();
    // The server is remembered once it welcomes us (App::run), not before:
    // a refused address is no "recent server".
    f.session.connect(endpoint->host, endpoint->port, name_.text(), f.now, password_.text());
    return true;
}

void ConnectScreen::rejoin_now(Frame& f) {
    auto endpoint = parse_endpoint(rejoin_->server);
    if (!endpoint) {
        field_problem_ = endpoint.error();
        return;
    }
    field_problem_.clear();
    f.session.connect(endpoint->host, endpoint->port, rejoin_->name, f.now, password_.text(), rejoin_->ticket);
}

void ConnectScreen::draw(Frame& f, ServerBrowser& browser, LanBrowser& lan) {
    Canvas& c = f.canvas;
    Ui& ui = f.ui;
    const float cx = c.width() / 2;
    draw_title(c, {cx, 50}, 60);
    c.text("a small arena shooter, built like the big ones", {cx, 126},
           {17, palette::kTextDim, Face::Regular, Align::Center});

    // Two panels side by side: joining on the left, the servers on the right.
    const float gap = 20;
    const float join_w = std::min(420.0f, (c.width() - 3 * gap) * 0.42f);
    const float list_w = std::min(640.0f, c.width() - 3 * gap - join_w);
    const float left = (c.width() - join_w - gap - list_w) / 2;
    const ScreenRect box{left, 160, join_w, 318};
    ui.panel(box, "Join a server");
    if (!focused_once_) {
        ui.focus(name_.empty() ? "name" : "address");
        focused_once_ = true;
    }
    const bool busy = f.session.lobby_state() == client::LobbyState::Connecting ||
                      f.session.lobby_state() == client::LobbyState::Handshaking;
    float y = box.y + 52;
    c.text("Server address", {box.x + 20, y}, {14, palette::kTextDim});
    bool enter = ui.text_field({box.x + 20, y + 20, box.w - 40, 36}, "address", address_, "host:port");
    y += 64;
    c.text("Your name", {box.x + 20, y}, {14, palette::kTextDim});
    enter |= ui.text_field({box.x + 20, y + 20, box.w - 40, 36}, "name", name_, "1-24 characters");
    y += 64;
    c.text("Password", {box.x + 20, y}, {14, palette::kTextDim});
    enter |= ui.text_field({box.x + 20, y + 20, box.w - 40, 36}, "password", password_,
                           "only if the server has one", true);
    if (ui.input().tab)
        ui.focus(ui.focused("address") ? "name" : ui.focused("name") ? "password" : "address");
    enter |= !ui.typing() && ui.input().enter; // Enter with no field focused connects too
    y += 70;
    if (busy) {
        // A connect can take the whole connect timeout: let the player give up on it.
        if (ui.button({box.x + 20, y, box.w - 40, 40}, "Cancel")) f.session.disconnect();
    } else if (ui.button({box.x + 20, y, box.w - 40, 40}, "Connect", true, true) || enter) {
        connect(f);
    }
    // The remembered servers on top, the LAN's below, sharing the column.
    const ScreenRect column{box.x + join_w + gap, box.y, list_w, c.height() - box.y - 70};
    const float used = draw_servers(f, browser, {column.x, column.y, column.w, column.h * 0.5f - gap / 2});
    if (!lan.probed()) lan.refresh(f.now); // the screen's first open
    draw_lan(f, lan, {column.x, column.y + used + gap, column.w, column.h - used - gap});

    // A match this client was in and may still be running: back into it.
    float status_y = box.y + box.h + 20;
    if (rejoin_ && !busy) {
        if (ui.button({box.x, status_y, join_w, 40}, "Rejoin", true, true)) rejoin_now(f);
        c.text(c.fit(fmt::format("match {} on {} as {}", rejoin_->ticket.match_id, rejoin_->server, rejoin_->name),
                     join_w, {14}),
               {box.x + join_w / 2, status_y + 46}, {14, palette::kTextDim, Face::Regular, Align::Center});
        status_y += 76;
    }
    // What is happening, or what went wrong and what to try.
    const float status_x = box.x + join_w / 2;
    if (busy) {
        const int dots = static_cast<int>(f.seconds * 3) % 4;
        c.text(c.fit(fmt::format("connecting to {} as {}{}", f.session.endpoint_text(), f.session.player_name(),
                                 std::string(static_cast<std::size_t>(dots), '.')),
                     join_w, {15}),
               {status_x, status_y}, {15, palette::kTextDim, Face::Regular, Align::Center});
    } else if (!field_problem_.empty()) {
        draw_wrapped(c, field_problem_, {box.x, status_y}, join_w, {15, palette::kBad});
    } else if (!f.session.problem().empty()) {
        draw_wrapped(c, f.session.problem(), {box.x, status_y}, join_w, {15, palette::kBad}); // stays until the next try
    }
    // Played-back matches (docs/DEMO.md): the demos folder's files.
    if (ui.button({box.x + 20, c.height() - 78, join_w - 40, 32}, "Demos")) demos_requested_ = true;
    c.text("Enter connects  \xc2\xb7  Tab switches field  \xc2\xb7  Esc menu (settings)", {cx, c.height() - 34},
           {13, palette::kTextDim, Face::Regular, Align::Center});
}

float ConnectScreen::draw_servers(Frame& f, ServerBrowser& browser, const ScreenRect& area) {
    Canvas& c = f.canvas;
    Ui& ui = f.ui;
    // Starred servers first, then the recent ones, each once.
    std::vector<std::string> servers = f.settings.favourites;
    for (const auto& s : f.settings.servers) {
        if (std::find(servers.begin(), servers.end(), s) == servers.end()) servers.push_back(s);
    }
    browser.probe(servers, f.now);
    const float row_h = 46;
    const std::size_t fits = static_cast<std::size_t>(std::max(1.0f, (area.h - 92) / row_h));
    const std::size_t shown = std::min(servers.size(), fits);
    const ScreenRect box{area.x, area.y, area.w, 92 + row_h * static_cast<float>(std::max<std::size_t>(shown, 2))};
    ui.panel(box, "Servers");
    if (ui.button({box.x + box.w - 104, box.y + 4, 96, 26}, "Refresh", !servers.empty())) browser.refresh();
    float y = box.y + 44;
    if (servers.empty()) {
        draw_wrapped(c, "No servers yet. Type an address on the left and connect: the servers you join are listed "
                        "here with their ping and players; star one to keep it.",
                     {box.x + 16, y}, box.w - 32, {14, palette::kTextDim});
        return box.h;
    }
    for (std::size_t i = 0; i < shown; ++i) {
        const std::string& server = servers[i];
        const ScreenRect row{box.x + 8, y - 4, box.w - 16, row_h - 4};
        const bool selected = server == address_.text();
        const bool starred = is_favourite(f.settings, server);
        const ScreenRect star{row.x + 6, row.y + (row.h - 28) / 2, 28, 28};
        if (ui.icon_button(star, "star " + server, starred ? "\xe2\x98\x85" : "\xe2\x98\x86", starred)) {
            toggle_favourite(f.settings, server);
        } else if (ui.list_row(row, selected)) {
            pick(f, server);
        }
        const ServerStatus* status = browser.status(server);
        const float text_x = star.x + 40, text_w = row.w - (text_x - row.x) - 10;
        c.text(c.fit(server, text_w * 0.55f, {15}), {text_x, row.y + 3}, {15, palette::kText, Face::Bold});
        if (status && status->state == ServerStatus::State::Up)
            c.text(c.fit(status->server_name, text_w * 0.42f, {13}), {row.x + row.w - 10, row.y + 5},
                   {13, palette::kTextDim, Face::Regular, Align::Right});
        const std::string line = status ? summary(*status) : std::string("probing\xe2\x80\xa6");
        const bool down = status && status->state == ServerStatus::State::Down;
        c.text(c.fit(line, text_w, {13}), {text_x, row.y + 22}, {13, down ? palette::kBad : palette::kTextDim});
        y += row_h;
    }
    c.text("Click picks, double-click or Enter connects, \xe2\x98\x86 stars", {box.x + 16, box.y + box.h - 30},
           {12, palette::kTextDim});
    return box.h;
}

void ConnectScreen::pick(Frame& f, const std::string& address) {
    address_.set(address);
    f.ui.unfocus();
    // The second click of a double-click on the same row: connect.
    if (f.ui.input().double_click && last_click_ == address) connect(f);
    last_click_ = address;
}

void ConnectScreen::draw_lan(Frame& f, LanBrowser& lan, const ScreenRect& area) {
    Canvas& c = f.canvas;
    Ui& ui = f.ui;
    const auto& servers = lan.servers();
    const float row_h = 46;
    const std::size_t fits = static_cast<std::size_t>(std::max(1.0f, (area.h - 80) / row_h));
    const std::size_t shown = std::min(servers.size(), fits);
    const ScreenRect box{area.x, area.y, area.w, 80 + row_h * static_cast<float>(std::max<std::size_t>(shown, 1))};
    ui.panel(box, "On this LAN");
    if (ui.button({box.x + box.w - 128, box.y + 4, 120, 26}, "Refresh LAN")) lan.refresh(f.now);
    float y = box.y + 44;
    if (servers.empty()) {
        const std::string text = !lan.problem().empty() ? lan.problem()
                                 : lan.listening(f.now)
                                     ? std::string("looking for servers on the LAN\xe2\x80\xa6")
                                     : std::string("No server answered on the LAN (UDP port 7778). Refresh looks again; "
                                                   "a server elsewhere needs its address typed.");
        draw_wrapped(c, text, {box.x + 16, y}, box.w - 32, {14, lan.problem().empty() ? palette::kTextDim : palette::kBad});
        return;
    }
    for (std::size_t i = 0; i < shown; ++i) {
        const client::LanServer& s = servers[i];
        const std::string address =
            fmt::format("{}:{}", s.host.find(':') != std::string::npos ? "[" + s.host + "]" : s.host, s.info.port);
        const ScreenRect row{box.x + 8, y - 4, box.w - 16, row_h - 4};
        if (ui.list_row(row, address == address_.text())) pick(f, address);
        const float text_x = row.x + 12, text_w = row.w - 22;
        c.text(c.fit(s.info.name.empty() ? address : s.info.name, text_w * 0.55f, {15}), {text_x, row.y + 3},
               {15, palette::kText, Face::Bold});
        c.text(c.fit(address, text_w * 0.42f, {13}), {row.x + row.w - 10, row.y + 5},
               {13, palette::kTextDim, Face::Regular, Align::Right});
        c.text(c.fit(summary(s), text_w, {13}), {text_x, row.y + 22},
               {13, s.compatible() ? palette::kTextDim : palette::kBad});
        y += row_h;
    }
}

} // namespace skirmish::app
