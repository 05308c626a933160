// client/app_sdl/app_rejoin.cpp
//
// App's rejoin half (App is declared in app.hpp; docs/CLIENT.md, "Rejoin"):
// rejoin.txt beside the settings file keeps the server, name, match and
// reconnect secret of the match this client is in, so that after a crash the
// connect screen offers Rejoin. A file whose match cannot still be running
// (past its time limit) is removed at start.
// IMPORTANT: the secret is never logged.
#include "client/app_sdl/app.hpp"

#include <chrono>
#include <filesystem>

namespace skirmish::app {

namespace {
std::uint64_t unix_now_s() {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}
// Slack over the match's time limit: a match may have waited a little before it started.
constexpr std::uint64_t kRejoinSlackS = 60;
} // namespace

void App::load_rejoin() {
    if (options_.settings_path.empty()) return;
    rejoin_path_ = (std::filesystem::path(options_.settings_path).parent_path() / "rejoin.txt").string();
    auto saved = app::load_rejoin(rejoin_path_);
    if (saved && saved->until_unix_s > unix_now_s()) {
        log_.info("the match {} on {} may still be running: Rejoin is offered", saved->ticket.match_id, saved->server);
        connect_screen_.set_rejoin(std::move(saved));
    } else {
        forget_rejoin(rejoin_path_);
    }
}

void App::keep_rejoin() {
    if (session_.rejoin_serial() == rejoin_serial_) return;
    rejoin_serial_ = session_.rejoin_serial();
    const auto& ticket = session_.rejoin_ticket();
    if (!ticket) {
        connect_screen_.set_rejoin(std::nullopt);
        if (!rejoin_path_.empty()) forget_rejoin(rejoin_path_);
        return;
    }
    SavedRejoin saved{session_.endpoint_text(), session_.player_name(), *ticket,
                      unix_now_s() + session_.rejoin_time_limit_s() + kRejoinSlackS};
    if (!rejoin_path_.empty()) {
        if (auto written = save_rejoin(rejoin_path_, saved); !written) log_.warn("rejoin not kept: {}", written.error());
    }
    connect_screen_.set_rejoin(std::move(saved));
}

} // namespace skirmish::app
