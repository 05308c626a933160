// client/app_sdl/stats_panel.cpp
#include "client/app_sdl/stats_panel.hpp"

#include <fmt/format.h>

#include <chrono>

namespace skirmish::app {

namespace lobby = protocol::lobby;

namespace {

std::string accuracy(std::uint32_t hits, std::uint32_t shots) {
    if (shots == 0) return "\xe2\x80\x94"; // an em dash: no shots, no accuracy
    return fmt::format("{:.0f}%", 100.0 * hits / shots);
}

std::string ended_how(protocol::MatchEndReason reason) {
    switch (reason) {
    case protocol::MatchEndReason::FragLimit: return "frag limit";
    case protocol::MatchEndReason::TimeLimit: return "time limit";
    case protocol::MatchEndReason::NotEnoughPlayers: return "players left";
    case protocol::MatchEndReason::ServerShutdown: return "server stopped";
    }
    return "ended";
}

std::string ago(std::uint64_t unix_s) {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const auto s = now > static_cast<std::int64_t>(unix_s) ? now - static_cast<std::int64_t>(unix_s) : 0;
    if (s < 60) return "just now";
    if (s < 3600) return fmt::format("{} min ago", s / 60);
    if (s < 86400) return fmt::format("{} h ago", s / 3600);
    return fmt::format("{} days ago", s / 86400);
}

} // namespace

void StatsPanel::open(Frame& f) { f.session.request_stats(); }

bool StatsPanel::draw(Frame& f, const ScreenRect& a) {
    Ui& ui = f.ui;
    Canvas& c = f.canvas;
    ui.panel(a, "Stats");
    const float by = a.y + a.h - 56;
    const auto& stats = f.session.stats();
    if (stats && !stats->available) {
        c.text("This server keeps no results (it runs without a database).", {a.x + a.w / 2, a.y + 80},
               {15, palette::kTextDim, Face::Regular, Align::Center});
    } else {
        const float split = a.y + 40 + (by - a.y - 40) * 0.5f;
        draw_leaderboard(f, {a.x, a.y + 40, a.w, split - a.y - 40});
        draw_recent(f, {a.x, split, a.w, by - split - 8});
    }
    if (ui.button({a.x + a.w - 136, by, 120, 40}, "Refresh")) open(f);
    return !ui.button({a.x + 16, by, 120, 40}, "Back");
}

void StatsPanel::draw_leaderboard(Frame& f, const ScreenRect& a) {
    Canvas& c = f.canvas;
    const auto& stats = f.session.stats();
    const float x = a.x + 16;
    float y = a.y + 6;
    c.text(stats ? fmt::format("LEADERBOARD ({} players)", stats->total_players) : "LEADERBOARD", {x, y},
           {14, palette::kAccent, Face::Bold});
    y += 26;
    const TextStyle head{13, palette::kTextDim, Face::Bold};
    const float cols[] = {0.0f, 0.08f, 0.46f, 0.58f, 0.68f, 0.78f, 0.88f};
    const char* names[] = {"#", "PLAYER", "MATCHES", "WINS", "FRAGS", "DEATHS", "ACCURACY"};
    for (int i = 0; i < 7; ++i) c.text(names[i], {x + a.w * cols[i], y}, head);
    y += 22;
    if (!stats) {
        c.text("Loading\xe2\x80\xa6", {x, y}, {15, palette::kTextDim});
        return;
    }
    if (stats->players.empty()) c.text("No finished matches yet.", {x, y}, {15, palette::kTextDim});
    c.set_clip(a);
    for (const lobby::PlayerStats& p : stats->players) {
        if (y + 20 > a.y + a.h) break;
        const bool me = p.name == f.session.player_name();
        const TextStyle row{15, me ? palette::kAccent : palette::kText, me ? Face::Bold : Face::Regular};
        c.text(fmt::format("{}", p.rank), {x + a.w * cols[0], y}, row);
        c.text(c.fit(p.name, a.w * 0.36f, row), {x + a.w * cols[1], y}, row);
        c.text(fmt::format("{}", p.matches), {x + a.w * cols[2], y}, row);
        c.text(fmt::format("{}", p.wins), {x + a.w * cols[3], y}, row);
        c.text(fmt::format("{}", p.frags), {x + a.w * cols[4], y}, row);
        c.text(fmt::format("{}", p.deaths), {x + a.w * cols[5], y}, row);
        c.text(accuracy(p.hits, p.shots), {x + a.w * cols[6], y}, row);
        y += 22;
    }
    c.clear_clip();
}

void StatsPanel::draw_recent(Frame& f, const ScreenRect& a) {
    Canvas& c = f.canvas;
    const auto& recent = f.session.recent_matches();
    const float x = a.x + 16;
    float y = a.y + 6;
    c.text(recent ? fmt::format("RECENT MATCHES ({} in all)", recent->total_matches) : "RECENT MATCHES", {x, y},
           {14, palette::kAccent, Face::Bold});
    y += 28;
    if (!recent) return;
    if (recent->matches.empty()) c.text("No finished matches yet.", {x, y}, {15, palette::kTextDim});
    c.set_clip(a);
    for (const lobby::MatchSummary& m : recent->matches) {
        if (y + 40 > a.y + a.h) break;
        c.text(fmt::format("{}  \xc2\xb7  {}  \xc2\xb7  {}  \xc2\xb7  {}", m.map, ended_how(m.reason),
                           format_clock(m.duration_s), ago(m.ended_unix_s)),
               {x, y}, {14, palette::kTextDim});
        std::string line;
        for (const lobby::MatchLine& p : m.players)
            line += fmt::format("{}{}{} {}", line.empty() ? "" : "   ", p.won ? "\xe2\x98\x85 " : "", p.name, p.frags);
        c.text(c.fit(line, a.w - 32, {15}), {x, y + 18}, {15, palette::kText});
        y += 44;
    }
    c.clear_clip();
}

} // namespace skirmish::app
