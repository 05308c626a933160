// client/app/server_browser.hpp
//
// The connect screen's server list: each remembered or starred server probed
// through its lobby with what the lobby already answers, no new message: a
// Hello under a throw-away name ("probe-XXXXXX"), then Ping and ListRooms
// after the Welcome, then close. The Welcome gives the server's name, the
// Ping/Pong its round trip, the RoomList its rooms and the players in them.
// A server with a password refuses the probe's Hello (WrongPassword): it is
// up, and says it needs a password (no ping or counts then).
//
//   Hello ─▶ Welcome ─▶ Ping{nonce}, ListRooms ─▶ Pong (ping), RoomList (counts) ─▶ close
//
// IMPORTANT: one thread, on the app's io_context; update() drains the probes'
// events and must be called with the time the events were polled at (the app
// calls it while it waits between frames, so a Pong is timed to the
// millisecond, not to the frame). At most one probe per server at a time,
// each bounded by the lobby client's connect and Welcome timeouts.
#pragma once

#include "client/core/lobby_client.hpp"
#include "shared/util/clock.hpp"

#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace skirmish::app {

struct ServerStatus {
    enum class State : std::uint8_t { Probing, Up, Down };
    State state = State::Probing;
    std::string server_name;
    std::optional<double> ping_ms;
    int players = 0; // in the rooms listed (at most 128 rooms)
    int rooms = 0;   // total_rooms
    std::string problem; // Down: why, for a person
    bool needs_password = false; // Up: it refused the probe's Hello for want of its password
    util::TimePoint checked_at{};
};

class ServerBrowser {
public:
    explicit ServerBrowser(asio::io_context& io, util::Duration refresh_every = std::chrono::seconds(15));

    // Starts a probe of each server in `servers` that has none running and
    // none newer than the refresh interval. Invalid addresses are Down at once.
    void probe(const std::vector<std::string>& servers, util::TimePoint now);
    // Probes every server again at the next probe().
    void refresh();
    // Drains the probes' events; `now` is when they were polled.
    void update(util::TimePoint now);
    bool busy() const;

    const ServerStatus* status(const std::string& server) const;

private:
    struct Probe {
        std::unique_ptr<client::LobbyClient> client;
        ServerStatus status;
        std::uint64_t nonce = 0;
        util::TimePoint ping_sent{};
        bool got_pong = false;
        bool got_rooms = false;
    };
    void handle(Probe& probe, const client::LobbyEvent& event, util::TimePoint now);

    asio::io_context& io_;
    util::Duration refresh_every_;
    std::map<std::string, Probe> probes_;
    std::mt19937_64 random_{std::random_device{}()};
};

// "12 ms · 5 players in 2 rooms", "needs a password", "probing…", "down: connection refused …".
std::string summary(const ServerStatus& status);

} // namespace skirmish::app
