// tests/app_sdl/desktop.hpp
//
// A desktop for walking the real skirmish-client the way a person does: an
// Xvfb display, a real skirmish-server on an ephemeral port, the client
// started with a fresh settings folder, and real X input events from
// xdotool (mouse moves, clicks, typed text, key presses) that reach the
// client through SDL's normal event queue. What the client shows is read from
// its --ui-log (every widget and text, with rectangles) and what it sees from
// its --net-log (a JSON line a second); waits are on conditions with
// deadlines, never sleeps.
//
// IMPORTANT: POSIX and X only; one thread. Construct, then check skipped():
// only a display that cannot start is a reason to skip.
#pragma once

#include "child_process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace skirmish::test {

using namespace std::chrono_literals;
using Json = nlohmann::json;

inline bool on_path(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        if (access((dir + "/" + program).c_str(), X_OK) == 0) return true;
    }
    return false;
}

class TempDir {
public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "skirmish-walk-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// The newest complete line of a JSON-lines file, parsed (nothing if none yet).
inline std::optional<Json> last_json_line(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::string line, last;
    while (std::getline(in, line)) {
        if (!line.empty() && !in.eof()) last = line; // a line without its newline is still being written
    }
    if (last.empty()) return std::nullopt;
    Json j = Json::parse(last, nullptr, false);
    if (j.is_discarded()) return std::nullopt;
    return j;
}

// Where a widget or text is: its centre, in window pixels.
struct Point {
    int x = 0, y = 0;
};
inline Point centre(const Json& item) {
    const auto& r = item["rect"];
    return {r[0].get<int>() + r[2].get<int>() / 2, r[1].get<int>() + r[3].get<int>() / 2};
}

class Desktop {
public:
    Desktop() {
        if (!on_path("Xvfb")) {
            skip_ = "Xvfb is not installed, so the client cannot get a display here: install the xvfb package "
                    "(scripts/test does)";
            return;
        }
        // Xvfb picks a free display number and writes it to fd 3 (-displayfd).
        xvfb_ = std::make_unique<ChildProcess>(std::vector<std::string>{"Xvfb", "-displayfd", "3", "-screen", "0",
                                                                        "1280x720x24", "-nolisten", "tcp", "-noreset"},
                                               std::vector<std::string>{}, 3);
        const auto display = xvfb_->started() ? xvfb_->side_line(15s) : std::nullopt;
        if (!display || display->empty()) {
            skip_ = "Xvfb did not start (no display number within 15 s), so the client cannot be tested here: " +
                    xvfb_->output();
            return;
        }
        display_ = ":" + *display;
    }

    ~Desktop() {
        if (client_) client_->stop(SIGTERM);
        for (auto& b : bots_) b->stop(SIGINT);
        if (server_) server_->stop(SIGTERM);
    }

    const std::string& skipped() const { return skip_; }
    const std::filesystem::path& home() const { return home_.path(); }

    // --- the server and bots ---

    void start_server(std::vector<std::string> extra = {}) {
        std::vector<std::string> argv{SKIRMISH_SERVER_BINARY, "--port", "0", "--log-level", "warn"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        server_ = std::make_unique<ChildProcess>(argv);
        const auto port = server_->wait_for(std::regex("game on UDP port (\\d+)"), 30s);
        ASSERT_TRUE(port) << "skirmish-server did not say its port: " << server_->output();
        endpoint_ = "127.0.0.1:" + (*port)[1].str();
    }
    const std::string& endpoint() const { return endpoint_; }

    ChildProcess& start_bots(int bots, int room_size, const std::string& prefix = "bot") {
        bots_.push_back(std::make_unique<ChildProcess>(std::vector<std::string>{
            SKIRMISH_BOTS_BINARY, "--server", endpoint_, "--bots", std::to_string(bots), "--room-size",
            std::to_string(room_size), "--duration", "600", "--name-prefix", prefix}));
        return *bots_.back();
    }

    // --- the client ---

    // Starts skirmish-client as a person does (no arguments) with this
    // desktop's settings folder, plus the logs the test reads.
    void start_client(std::vector<std::string> extra = {}, std::vector<std::string> env = {}) {
        net_log_ = home_.path() / ("net-" + std::to_string(++client_runs_) + ".jsonl");
        ui_log_ = home_.path() / ("ui-" + std::to_string(client_runs_) + ".jsonl");
        std::vector<std::string> argv{SKIRMISH_CLIENT_BINARY, "--net-log", net_log_.string(), "--ui-log",
                                      ui_log_.string(), "--max-fps", "30", "--log-level", "info"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        // SDL and the GL/dbus libraries it loads keep a few allocations to the
        // end of the process; LeakSanitizer's report of those is not the client's.
        std::vector<std::string> environment{"DISPLAY=" + display_, "XDG_DATA_HOME=" + (home_.path() / "data").string(),
                                             "HOME=" + home_.path().string(), "SDL_RENDER_DRIVER=software",
                                             "ASAN_OPTIONS=detect_leaks=0"};
        // No sound card here: the dummy driver, unless the test says otherwise.
        if (std::none_of(env.begin(), env.end(), [](const std::string& e) { return e.starts_with("SDL_AUDIODRIVER="); }))
            environment.push_back("SDL_AUDIODRIVER=dummy");
        environment.insert(environment.end(), env.begin(), env.end());
        window_.clear();
        client_ = std::make_unique<ChildProcess>(argv, environment);
        ASSERT_TRUE(client_->started());
        // The client's window: found by its process id (SDL sets _NET_WM_PID).
        const auto deadline = std::chrono::steady_clock::now() + 30s;
        while (window_.empty() && std::chrono::steady_clock::now() < deadline) {
            ChildProcess search({"xdotool", "search", "--onlyvisible", "--pid", std::to_string(client_pid()), "--name",
                                 ""},
                                {"DISPLAY=" + display_});
            if (search.wait_for_exit(10s) == 0) {
                // The search also lists the root window: keep the one that is the client's.
                std::stringstream ids(search.output());
                for (std::string id; window_.empty() && ids >> id;) {
                    ChildProcess owner({"xdotool", "getwindowpid", id}, {"DISPLAY=" + display_});
                    if (owner.wait_for_exit(10s) == 0 && std::stoi("0" + owner.output()) == client_pid()) window_ = id;
                }
            }
            ASSERT_TRUE(client_->running()) << "skirmish-client ended at start: " << client_->output();
            if (window_.empty()) pause();
        }
        ASSERT_FALSE(window_.empty()) << "no window of skirmish-client within 30 s: " << client_->output();
        xdotool({"windowfocus", "--sync", window_});
    }

    ChildProcess& client() { return *client_; }
    // Where a client started with a fresh settings folder keeps its settings.
    std::filesystem::path settings_file() const {
        return home_.path() / "data" / "skirmish" / "skirmish-client" / "settings.txt";
    }
    pid_t client_pid() const { return client_->pid(); }

    // --- what the client shows and sees ---

    std::optional<Json> ui() const { return last_json_line(ui_log_); }
    std::optional<Json> net() const { return last_json_line(net_log_); }

    // Waits until the newest UI frame satisfies `done`; fails with the last frame otherwise.
    ::testing::AssertionResult wait_ui(const std::function<bool(const Json&)>& done,
                                       std::chrono::milliseconds timeout = 15s, const std::string& what = "") {
        return wait(timeout, what, [&] {
            auto frame = ui();
            return frame && done(*frame);
        });
    }
    ::testing::AssertionResult wait_net(const std::function<bool(const Json&)>& done,
                                        std::chrono::milliseconds timeout = 15s, const std::string& what = "") {
        return wait(timeout, what, [&] {
            auto line = net();
            return line && done(*line);
        });
    }
    ::testing::AssertionResult wait_screen(const std::string& screen, std::chrono::milliseconds timeout = 15s) {
        return wait_ui([&](const Json& f) { return f["screen"] == screen; }, timeout, "the " + screen + " screen");
    }

    // The first widget with this label (and kind, if given) on the newest frame.
    static std::optional<Json> widget(const Json& frame, const std::string& label, const std::string& kind = "") {
        for (const auto& w : frame["widgets"]) {
            if (w["label"] == label && (kind.empty() || w["kind"] == kind)) return w;
        }
        return std::nullopt;
    }
    // The first widget labelled `label` after the widget labelled `anchor`.
    static std::optional<Json> widget_after(const Json& frame, const std::string& anchor, const std::string& label) {
        bool seen = false;
        for (const auto& w : frame["widgets"]) {
            if (seen && w["label"] == label) return w;
            if (w["label"] == anchor) seen = true;
        }
        return std::nullopt;
    }
    // A paragraph wrapped over several lines is read as a person reads it:
    // the lines joined by a space, in the order they were drawn.
    static bool shows_text(const Json& frame, const std::string& part) {
        std::string read;
        for (const auto& t : frame["texts"]) {
            const auto text = t["text"].get<std::string>();
            if (text.find(part) != std::string::npos) return true;
            read += text;
            read += ' ';
        }
        return read.find(part) != std::string::npos;
    }

    // --- real input events ---

    // Waits for an enabled widget with this label, then clicks its centre.
    void click(const std::string& label, const std::string& kind = "") {
        std::optional<Json> target;
        ASSERT_TRUE(wait_ui([&](const Json& f) {
            target = widget(f, label, kind);
            return target && (*target)["enabled"].get<bool>();
        }, 15s, "an enabled '" + label + "'"));
        click_at(centre(*target));
    }
    // Real input goes through the X server's XTEST extension to the focused
    // window (xdotool's --window on key or click would send synthetic events,
    // which is not what a person's keyboard does); --window on mousemove only
    // makes the coordinates relative to the client's window.
    void click_at(Point p) {
        xdotool({"mousemove", "--window", window_, std::to_string(p.x), std::to_string(p.y)});
        xdotool({"click", "1"});
    }
    // Presses the left button at `from`, moves to `to` and releases there (a drag, e.g. a slider).
    void drag(Point from, Point to) {
        xdotool({"mousemove", "--window", window_, std::to_string(from.x), std::to_string(from.y)});
        xdotool({"mousedown", "1"});
        xdotool({"mousemove", "--window", window_, std::to_string((from.x + to.x) / 2), std::to_string(to.y)});
        xdotool({"mousemove", "--window", window_, std::to_string(to.x), std::to_string(to.y)});
        xdotool({"mouseup", "1"});
    }
    // Holds the left button down at `p` (fire in a match) until mouse_up().
    void mouse_down_at(Point p) {
        xdotool({"mousemove", "--window", window_, std::to_string(p.x), std::to_string(p.y)});
        xdotool({"mousedown", "1"});
    }
    void mouse_up() { xdotool({"mouseup", "1"}); }
    void double_click_at(Point p) {
        xdotool({"mousemove", "--window", window_, std::to_string(p.x), std::to_string(p.y)});
        xdotool({"click", "--repeat", "2", "--delay", "80", "1"});
    }
    // From the connect screen: type a name and an address, as a person
    // does (click the field, select all, type), then Enter.
    void connect_as(const std::string& name, const std::string& address) {
        ASSERT_TRUE(wait_screen("connect"));
        click("name", "text_field");
        key("ctrl+a");
        type(name);
        click("address", "text_field");
        key("ctrl+a");
        type(address);
        key("Return");
    }
    void type(const std::string& text) { xdotool({"type", "--delay", "30", text}); }
    void key(const std::string& keys) { xdotool({"key", "--delay", "40", keys}); }
    void key_down(const std::string& k) { xdotool({"keydown", k}); }
    void key_up(const std::string& k) { xdotool({"keyup", k}); }

    // Every text on the frame that overlaps another (shadows, the same text
    // drawn twice slightly offset, excepted): layout bugs a person sees.
    static std::vector<std::string> overlapping_texts(const Json& frame) {
        std::vector<std::string> out;
        const auto& texts = frame["texts"];
        for (std::size_t i = 0; i < texts.size(); ++i) {
            for (std::size_t j = i + 1; j < texts.size(); ++j) {
                if (texts[i]["text"] == texts[j]["text"]) continue;
                const auto& a = texts[i]["rect"];
                const auto& b = texts[j]["rect"];
                const int ox = std::min(a[0].get<int>() + a[2].get<int>(), b[0].get<int>() + b[2].get<int>()) -
                               std::max(a[0].get<int>(), b[0].get<int>());
                const int oy = std::min(a[1].get<int>() + a[3].get<int>(), b[1].get<int>() + b[3].get<int>()) -
                               std::max(a[1].get<int>(), b[1].get<int>());
                if (ox > 2 && oy > 4)
                    out.push_back("'" + texts[i]["text"].get<std::string>() + "' and '" +
                                  texts[j]["text"].get<std::string>() + "'");
            }
        }
        return out;
    }

private:
    ::testing::AssertionResult wait(std::chrono::milliseconds timeout, const std::string& what,
                                    const std::function<bool()>& done) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            if (done()) return ::testing::AssertionSuccess();
            if (client_ && !client_->running())
                return ::testing::AssertionFailure()
                       << "skirmish-client ended (status " << client_->exit_status().value_or(-1)
                       << ") while waiting for " << what << ": " << client_->output();
            if (std::chrono::steady_clock::now() >= deadline) {
                auto frame = ui();
                return ::testing::AssertionFailure()
                       << "waited " << timeout.count() << " ms for " << what << "; last UI frame: "
                       << (frame ? frame->dump() : "none") << "\nlast net log line: "
                       << (net() ? net()->dump() : "none") << "\nclient output: " << client_->output();
            }
            pause();
        }
    }

    // Between looks at a log: drain the children's pipes (a full pipe would
    // block them) and give the client a moment; the deadline is the caller's.
    void pause() {
        if (client_) client_->drain();
        if (server_) server_->drain();
        for (auto& b : bots_) b->drain();
        std::this_thread::sleep_for(20ms); // polling interval, not synchronisation
    }

    void xdotool(std::vector<std::string> args) {
        args.insert(args.begin(), "xdotool");
        ChildProcess x(args, {"DISPLAY=" + display_});
        const auto status = x.wait_for_exit(20s);
        ASSERT_EQ(status, 0) << "xdotool failed: " << x.output();
    }

    std::string skip_;
    std::unique_ptr<ChildProcess> xvfb_;
    std::string display_;
    TempDir home_;
    std::unique_ptr<ChildProcess> server_;
    std::vector<std::unique_ptr<ChildProcess>> bots_;
    std::unique_ptr<ChildProcess> client_;
    std::string endpoint_;
    std::string window_;
    std::filesystem::path net_log_, ui_log_;
    int client_runs_ = 0;
};

} // namespace skirmish::test
