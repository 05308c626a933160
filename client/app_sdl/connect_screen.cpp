// client/app_sdl/connect_screen.cpp
#include "client/app_sdl/connect_screen.hpp"

#include "client/app/host_port.hpp"
#include "shared/protocol/lobby_codec.hpp"

#include <fmt/format.h>

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

void ConnectScreen::draw(Frame& f) {
    Canvas& c = f.canvas;
    Ui& ui = f.ui;
    const float cx = c.width() / 2;
    draw_title(c, {cx, 70}, 64);
    c.text("a small arena shooter, built like the big ones", {cx, 150},
           {17, palette::kTextDim, Face::Regular, Align::Center});

    const ScreenRect box{cx - 260, 190, 520, f.settings.servers.empty() ? 370.0f : 416.0f};
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
    y += 70;
    c.text("Your name", {box.x + 20, y}, {14, palette::kTextDim});
    enter |= ui.text_field({box.x + 20, y + 20, box.w - 40, 36}, "name", name_, "1-24 characters");
    y += 70;
    c.text("Password", {box.x + 20, y}, {14, palette::kTextDim});
    enter |= ui.text_field({box.x + 20, y + 20, box.w - 40, 36}, "password", password_,
                           "only if the server has one", true);
    if (ui.input().tab)
        ui.focus(ui.focused("address") ? "name" : ui.focused("name") ? "password" : "address");
    enter |= !ui.typing() && ui.input().enter; // Enter with no field focused connects too
    y += 74;
    if (busy) {
        // A connect can take the whole connect timeout: let the player give up on it.
        if (ui.button({box.x + 20, y, box.w - 40, 40}, "Cancel")) f.session.disconnect();
    } else if (ui.button({box.x + 20, y, box.w - 40, 40}, "Connect", true, true) || enter) {
        connect(f);
    }
    y += 54;

    // Remembered servers: click to fill in.
    if (!f.settings.servers.empty()) {
        c.text("Recent", {box.x + 20, y}, {14, palette::kTextDim});
        float x = box.x + 80;
        for (std::size_t i = 0; i < f.settings.servers.size() && i < 4; ++i) {
            const std::string& s = f.settings.servers[i];
            const float w = c.measure(s, {13}).x + 16;
            if (x + w > box.x + box.w - 20) break;
            const ScreenRect chip{x, y - 4, w, 26};
            if (ui.list_row(chip, s == address_.text())) address_.set(s);
            c.outline_rect(chip, palette::kPanelBorder);
            c.text(s, {x + 8, y}, {13, palette::kText});
            x += w + 8;
        }
    }

    // What is happening, or what went wrong and what to try.
    const float status_y = box.y + box.h + 20;
    if (busy) {
        const int dots = static_cast<int>(f.seconds * 3) % 4;
        c.text(fmt::format("connecting to {} as {}{}", f.session.endpoint_text(), f.session.player_name(),
                           std::string(static_cast<std::size_t>(dots), '.')),
               {cx, status_y}, {15, palette::kTextDim, Face::Regular, Align::Center});
    } else if (!field_problem_.empty()) {
        c.text(c.fit(field_problem_, c.width() - 80, {15}), {cx, status_y},
               {15, palette::kBad, Face::Regular, Align::Center});
    } else {
        draw_problem(f, status_y - 6, 1e9); // stays until the next try
    }
    c.text("Enter connects  \xc2\xb7  Tab switches field  \xc2\xb7  Esc menu", {cx, c.height() - 34},
           {13, palette::kTextDim, Face::Regular, Align::Center});
}

} // namespace skirmish::app
