// client/app_sdl/connect_screen.hpp
//
// The first screen: server address, player name, the server's password if it
// has one, Connect; beside them a small server browser: the starred and recent
// servers with their ping and player counts (ServerBrowser probes them), a
// star to keep one, a click to pick, a double-click or Enter to connect; and
// under them the servers on the LAN (LanBrowser: a discovery probe when the
// screen opens and on its Refresh), each with its ping and players. While
// connecting it says so; when that fails it shows the lobby client's text
// (refused, timed out, wrong version, "this server needs a password", ...).
// The password is never saved. When the client kept a match it may still be
// in (a crash, a lost connection: rejoin.txt), a Rejoin button takes it back
// into that match with its score (docs/CLIENT.md, "Rejoin").
//
// IMPORTANT: draws and acts through a Frame; the settings it edits are saved by the app.
#pragma once

#include "client/app/lan_browser.hpp"
#include "client/app/rejoin_file.hpp"
#include "client/app/server_browser.hpp"
#include "client/app_sdl/frame.hpp"
#include "shared/protocol/lobby_codec.hpp"

#include <utility>

namespace skirmish::app {

class ConnectScreen {
public:
    void load(const Settings& settings);
    // The address shown (e.g. the one --connect tried, when it failed).
    void set_address(const std::string& address) { address_.set(address); }
    // The match Rejoin offers (none: no button).
    void set_rejoin(std::optional<SavedRejoin> rejoin) { rejoin_ = std::move(rejoin); }
    const std::optional<SavedRejoin>& rejoin() const noexcept { return rejoin_; }
    void draw(Frame& frame, ServerBrowser& browser, LanBrowser& lan);
    // Connects to what the fields hold; false (with a problem shown) if they are not valid.
    bool connect(Frame& frame);
    // The Demos button was clicked since the last call.
    bool take_demos_request() { return std::exchange(demos_requested_, false); }

private:
    LineEdit address_{255};
    LineEdit name_{protocol::kMaxNameBytes};
    LineEdit password_{protocol::lobby::kMaxPasswordBytes};
    std::string field_problem_;
    bool focused_once_ = false;
    // The last row clicked, for double-clicks (SDL says when a click is the second).
    std::string last_click_;
    bool demos_requested_ = false;
    std::optional<SavedRejoin> rejoin_;

    // Returns how much of `box`'s height it used.
    float draw_servers(Frame& frame, ServerBrowser& browser, const ScreenRect& box);
    void draw_lan(Frame& frame, LanBrowser& lan, const ScreenRect& box);
    // Rejoin was clicked: back into the kept match.
    void rejoin_now(Frame& frame);
    // A row of either list was clicked: pick its address; a double-click connects.
    void pick(Frame& frame, const std::string& address);
};

} // namespace skirmish::app
