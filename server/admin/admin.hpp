// server/admin/admin.hpp
//
// Administration's own thread: every command, from the console
// (console.hpp) or from a remote admin through the lobby (AdminCommand,
// server/admin_link.hpp), is parsed (admin_command.hpp) and run here, one at
// a time: a remote admin's password is checked here first
// (crypto_pwhash_str_verify: ~0.1 s of CPU and 64 MiB on purpose, so never on
// the lobby's or the tick's thread). What a command needs of the lobby runs on
// the lobby thread (LobbyServer::run_on_lobby); of the game port, is queued
// for the next tick (GameServer::kick_player, end_match); bans are written
// through to their store here. Every action goes to the log and the event log.
//
// IMPORTANT: start() before the lobby takes AdminCommands, stop() before the
// lobby and the game port stop (it joins the thread). run() and submit() are
// thread-safe; at most kMaxQueued commands wait (submit() says false beyond).
#pragma once

#include "server/admin/admin_command.hpp"
#include "server/bans/ban_list.hpp"
#include "server/admin_link.hpp"
#include "server/events/event_log.hpp"
#include "server/game/game_server.hpp"
#include "server/lobby/lobby_server.hpp"
#include "shared/util/log.hpp"

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

namespace skirmish::server {

// What the host's process does for `reload` and `quit` (main.cpp); unset: not available.
struct AdminHooks {
    std::function<std::string()> reload; // what the reload did, one line (as SIGHUP logs it)
    std::function<void()> quit;          // asks the process to stop (as SIGTERM does); returns at once
};

struct AdminOutcome {
    bool ok = false;
    std::string text;
};

class Admin final : public AdminGate {
public:
    static constexpr std::size_t kMaxQueued = 4;

    struct Parts {
        LobbyServer* lobby = nullptr;
        GameServer* game = nullptr;
        BanList* bans = nullptr;     // null: ban and unban say that bans are off
        EventLog* events = nullptr;
        AdminHooks hooks;
        std::function<std::uint64_t()> unix_ms;
    };
    explicit Admin(util::Logger log) : log_(std::move(log)) {}
    ~Admin() override { stop(); }
    Admin(const Admin&) = delete;
    Admin& operator=(const Admin&) = delete;

    void start(Parts parts);
    void stop(); // idempotent; queued commands are answered "the server is stopping"

    // The console: runs `line` as `actor` ("console") and waits for the answer.
    AdminOutcome run(std::string line, std::string actor);
    // AdminGate: a remote command, answered through request.reply.
    bool submit(AdminRequest request) override;

private:
    struct Job {
        AdminRequest request;
        std::string actor;
        bool console = false;
        std::shared_ptr<std::promise<AdminOutcome>> done; // the console's
    };
    void loop();
    void work(Job& job);
    AdminOutcome execute(const AdminCommandLine& command, const std::string& actor);
    AdminOutcome status();
    AdminOutcome list_players();
    AdminOutcome list_rooms();
    AdminOutcome list_bans();
    AdminOutcome remove_players(const AdminCommandLine& command, const std::string& actor, bool ban);
    AdminOutcome unban(const AdminCommandLine& command, const std::string& actor);
    AdminOutcome say(const AdminCommandLine& command, const std::string& actor);
    AdminOutcome end_match(const AdminCommandLine& command, const std::string& actor);
    AdminOutcome next_map(const AdminCommandLine& command, const std::string& actor);
    // Runs `fn` on the lobby thread; false (and a reply saying so) if the lobby did not answer.
    bool on_lobby(std::function<void(Lobby&)> fn);
    void record(const std::string& actor, std::string_view action, EventFields fields);

    util::Logger log_;
    Parts parts_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> queue_;
    bool stopping_ = false;
    std::thread thread_;
};

// Whether `candidate` is the password `hash` (a crypto_pwhash_str string) was made from.
bool verify_admin_password(const std::string& hash, const std::string& candidate);

} // namespace skirmish::server
