// client/app_sdl/app.hpp
//
// skirmish-client's frame loop: SDL events → input (scancodes, mouse, text),
// the session (lobby and match) updated with the time of this frame, then the
// current screen drawn with its overlays (menu, study controls, net graph),
// presented, and paced. Also --screenshot: after N seconds the frame just
// drawn is written to a file and the client quits.
//
//   events → HeldInput / UiInput → io.poll() → session.update(now, intent)
//          → net graph figures → draw screen → overlays → [screenshot] → present
//
// IMPORTANT: main thread only. The one place that reads the real clock and
// hands the time down as values.
#pragma once

#include "client/app/host_port.hpp"
#include "client/app/input_mapper.hpp"
#include "client/app/lan_browser.hpp"
#include "client/app/net_graph.hpp"
#include "client/app/net_log.hpp"
#include "client/app/session.hpp"
#include "client/app/server_browser.hpp"
#include "client/app/settings.hpp"
#include "client/app/spectator_view.hpp"
#include "client/core/view_recording.hpp"
#include "client/app/sound_cues.hpp"
#include "client/app_sdl/audio.hpp"
#include "client/app_sdl/canvas.hpp"
#include "client/app_sdl/connect_screen.hpp"
#include "client/app_sdl/demos_screen.hpp"
#include "client/app_sdl/lobby_screen.hpp"
#include "client/app_sdl/match_view.hpp"
#include "client/app_sdl/menu_overlay.hpp"
#include "client/app_sdl/platform.hpp"
#include "client/app_sdl/playback_screen.hpp"
#include "client/app_sdl/settings_overlay.hpp"
#include "client/app_sdl/study_panel.hpp"
#include "client/app_sdl/ui.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace skirmish::app {

struct AppOptions {
    std::optional<Endpoint> connect;
    std::string password;        // with connect: the server's password (never saved)
    std::string name;            // overrides the settings' name
    bool quick_play = false;
    bool watch = false; // with connect: watch a match as a spectator (Session::watch)
    SessionOptions session;      // conditions, prediction, interpolation
    bool ghosts = false;
    bool snapshots = false;      // --snapshots: others' raw snapshot positions as dots
    bool rewinds = false;        // --rewinds: our shots' targets where the server checked them
    bool study_panel = false;
    std::optional<bool> net_graph; // overrides the settings
    std::string screenshot;      // write this file after screenshot_after_s, then quit
    double screenshot_after_s = 5.0;
    int max_fps = 240;
    int idle_fps = 15;           // the cap on screens where nothing moves by itself (connect, lobby, menus)
    int still_fps = 4;           // the same, once nobody has touched mouse or keys for kStillAfter
    std::string settings_path;   // the settings file
    std::string net_log;         // --net-log FILE: a JSON line a second of what the client sees
    std::string ui_log;          // --ui-log FILE: every widget and text shown, when it changes
    std::uint16_t discovery_port = client::kDiscoveryPort; // --discovery-port: where LAN servers listen
    std::vector<std::string> lan_addresses; // --lan-address: where LAN probes go (empty: every interface)
    FontFiles fonts;
    // --demo FILE (opened by main) and, with --view, the comparison with a view recording.
    std::optional<DemoPlayback> playback;
    std::optional<ShotComparison> comparison;
    std::string demo_dir;        // the Demos list's folder (--demo-dir, else the setting, else the default)
    std::string record_view;     // --record-view FILE: what this client sees in its next match
};

class App {
public:
    App(Platform& platform, const net::EnetLibrary& enet, AppOptions options, Settings settings, util::Logger log);
    ~App();
    // Runs until the window closes, Quit, or the screenshot is written. Returns the exit status.
    int run();

private:
    void handle_events(UiInput& ui_input);
    void handle_key_down(const SDL_KeyboardEvent& key, UiInput& ui_input);
    bool ui_wants_mouse() const;
    // Relative mouse mode (the crosshair moved by scaled motion) while aiming
    // in a match with a sensitivity other than 1; the pointer otherwise.
    void update_mouse_mode();
    client::InputIntent intent();
    void draw(Frame& frame);
    void draw_match(Frame& frame);
    // Watching a match: the spectator camera from this frame's keys, wheel and
    // click, into the overlays the arena is drawn with.
    void watch(Frame& frame, const client::ClientView& view, MatchOverlays& overlays);
    // F (follow the next player), C (free camera), O (the whole arena) while watching.
    bool handle_spectator_key(SDL_Scancode code);
    // Where the match view ends on the right: the study panel's edge when it is open.
    float right_edge() const;
    // The own player's place on screen in a match (what docked panels keep clear of).
    std::optional<sim::Vec2> own_on_screen() const;
    void carry_out(MenuChoice choice);
    void on_screen_change(Screen from, Screen to);
    // The connect screen as a person would have filled it in for this run.
    void load_connect_screen();
    void save();
    // Window and sound as the settings say (after the settings screen changed them).
    void apply_settings();
    // Sounds for this frame: the match's events and the room's chat.
    void play_sounds(double since_last_s);
    // Whether this frame shows something that moves by itself (a match, a
    // connect in progress, a text caret): then frames run at max_fps, else at idle_fps.
    bool animating() const;
    // Waits until `until`, handling network completions as they come (so the
    // server browser times a Pong to the millisecond) and waking early for input.
    void wait_until(util::TimePoint until);
    // Says goodbye to the server and waits (bounded) until it has gone out.
    void finish();
    // The screen as the net log names it: connect, lobby, room, match, scoreboard.
    std::string_view shown_screen() const;
    void write_net_log(util::TimePoint now, double t);
    // Demos (app_playback.cpp): the list, a demo played back, their keys.
    void open_demo(const std::filesystem::path& file);
    void draw_demos(Frame& frame);
    bool handle_playback_key(SDL_Scancode code);
    void log_playback(NetLogLine& line) const;
    // Rejoin (app_rejoin.cpp): rejoin.txt beside the settings file, read at
    // start for the connect screen's Rejoin, written at every MatchStart and
    // removed when the session has nothing to come back to.
    void load_rejoin();
    void keep_rejoin();
    // --record-view: the view tap set on the match's GameClient, finished when it ends.
    void update_view_recording(util::TimePoint now);

    Platform& platform_;
    AppOptions options_;
    Settings settings_;
    util::Logger log_;
    asio::io_context io_;
    // Keeps io_ from running out of work: poll() on an io_context with nothing
    // to do stops it, and a stopped io_context runs nothing (not even a later
    // connect from the connect screen) until restarted.
    asio::executor_work_guard<asio::io_context::executor_type> io_work_{io_.get_executor()};
    Session session_;
    Canvas canvas_;
    Clipboard clipboard_ = sdl_clipboard();
    Ui ui_;

    ConnectScreen connect_screen_;
    LobbyScreen lobby_screen_;
    MatchView match_view_;
    SpectatorView spectator_; // the camera while watching a match
    StudyPanel study_panel_;
    NetGraph net_graph_;

    SettingsOverlay settings_overlay_;
    PlaybackScreen playback_screen_;
    DemosScreen demos_screen_;
    std::unique_ptr<client::ViewRecording> view_recording_;
    const client::GameClient* recorded_game_ = nullptr;
    bool view_recording_finished_ = false; // --record-view records the first match only
    util::TimePoint last_playback_frame_{};
    util::TimePoint last_watch_frame_{};
    ServerBrowser browser_{io_};
    LanBrowser lan_{options_.discovery_port, options_.lan_addresses};
    Audio audio_;
    SoundCues cues_;
    std::map<std::string, std::uint64_t> sounds_requested_; // by name, for the net log
    util::TimePoint last_frame_{};
    util::TimePoint last_chat_at_{};
    // What was last applied to the window and the mixer.
    bool applied_fullscreen_ = false;
    bool applied_vsync_ = true;
    int applied_volume_ = -1;
    bool applied_mute_ = false;
    // The crosshair when the mouse sensitivity is not 1 (relative mouse mode).
    bool relative_mouse_ = false;

    HeldInput held_;
    // An input event held over to the next frame (see handle_events).
    std::optional<SDL_Event> deferred_event_;
    bool left_down_ = false; // the left button, as the events handled so far say
    bool events_this_frame_ = false; // any SDL event handled this frame (input, window)
    util::TimePoint last_event_at_{};
    sim::Vec2 mouse_{};
    std::uint16_t last_aim_ = 0;
    // The last match's arena, drawn empty behind its scoreboard once the game connection has ended.
    std::shared_ptr<const sim::Map> last_map_;
    sim::Rules last_rules_;
    bool menu_open_ = false;
    bool study_open_ = false;
    StudyShow study_show_; // ghosts (G), snapshots
    bool chat_open_ = false;
    LineEdit chat_{protocol::lobby::kMaxChatBytes};
    bool quit_ = false;
    Screen screen_ = Screen::Connect;
    std::uint64_t match_serial_ = 0;
    std::string rejoin_path_;
    std::uint64_t rejoin_serial_ = 0;
    client::LobbyState last_lobby_state_ = client::LobbyState::Idle;

    NetLog net_log_;
    UiLog ui_log_;
    UiRecord ui_record_;
    util::TimePoint next_net_log_{};
    std::string last_logged_screen_;
    std::uint64_t frames_this_second_ = 0;
    double fps_ = 0;
};

} // namespace skirmish::app
