// client/app_sdl/scoreboard_screen.cpp
#include "client/app_sdl/scoreboard_screen.hpp"

#include <fmt/format.h>

namespace skirmish::app {
namespace {

std::string_view reason_text(protocol::MatchEndReason reason) {
    switch (reason) {
    case protocol::MatchEndReason::FragLimit: return "frag limit reached";
    case protocol::MatchEndReason::TimeLimit: return "time is up";
    case protocol::MatchEndReason::NotEnoughPlayers: return "not enough players left";
    case protocol::MatchEndReason::ServerShutdown: return "the server is shutting down";
    }
    return "";
}

} // namespace

void draw_scoreboard_screen(Frame& f, util::Duration left_for) {
    Canvas& c = f.canvas;
    const auto& results = f.session.results();
    if (!results) return;
    c.fill_rect({0, 0, c.width(), c.height()}, palette::kBackground.with_alpha(std::uint8_t{200}));
    const auto& scores = results->scores;
    const float w = 600, h = std::min(c.height() - 40, 200 + 34 * static_cast<float>(scores.size()));
    const ScreenRect box{(c.width() - w) / 2, (c.height() - h) / 2, w, h};
    f.ui.panel(box, fmt::format("Match over  \xc2\xb7  {}  \xc2\xb7  {}", reason_text(results->reason),
                                format_clock(results->duration_s)));
    float y = box.y + 50;
    if (!scores.empty()) {
        const bool me = scores.front().player_id == f.session.player_id();
        c.text(me ? "You win!" : fmt::format("{} wins", scores.front().name), {box.x + w / 2, y},
               {28, palette::kAccent, Face::Bold, Align::Center});
        y += 48;
    }
    c.text("PLAYER", {box.x + 60, y}, {12, palette::kTextDim, Face::Bold});
    c.text("FRAGS", {box.x + w - 220, y}, {12, palette::kTextDim, Face::Bold, Align::Right});
    c.text("DEATHS", {box.x + w - 130, y}, {12, palette::kTextDim, Face::Bold, Align::Right});
    c.text("PING", {box.x + w - 30, y}, {12, palette::kTextDim, Face::Bold, Align::Right});
    // The pings the server last sent, while the game connection lingers after the end.
    static const std::vector<protocol::PlayerPing> kNoPings;
    const client::GameClient* game = f.session.game();
    const auto& pings = game ? game->view().stats.server.pings : kNoPings;
    y += 24;
    int rank = 1;
    for (const auto& s : scores) {
        if (y > box.y + h - 70) break;
        const bool me = s.player_id == f.session.player_id();
        if (me) c.fill_rect({box.x + 8, y - 4, w - 16, 30}, palette::kButton);
        c.text(fmt::format("{}", rank++), {box.x + 22, y}, {16, palette::kTextDim});
        c.fill_circle({box.x + 48, y + 10}, 6, palette::player(s.player_id));
        c.text(s.name, {box.x + 62, y}, {17, me ? palette::kAccent : palette::kText, Face::Bold});
        c.text(fmt::format("{}", s.frags), {box.x + w - 220, y}, {17, palette::kText, Face::Bold, Align::Right});
        c.text(fmt::format("{}", s.deaths), {box.x + w - 130, y}, {17, palette::kTextDim, Face::Regular, Align::Right});
        c.text(ping_text(pings, s.player_id), {box.x + w - 30, y}, {17, palette::kTextDim, Face::Regular, Align::Right});
        y += 34;
    }
    const double left = std::max(0.0, util::to_seconds(left_for));
    if (f.ui.button({box.x + w / 2 - 110, box.y + h - 56, 220, 40}, fmt::format("Back to the room ({:.0f})", left),
                    true, true) ||
        f.ui.input().enter)
        f.session.back_to_room();
}

} // namespace skirmish::app
