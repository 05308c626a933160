// client/app/server_browser.cpp
#include "client/app/server_browser.hpp"

#include "client/app/host_port.hpp"
#include "shared/util/overloaded.hpp"

#include <fmt/format.h>

namespace skirmish::app {

ServerBrowser::ServerBrowser(asio::io_context& io, util::Duration refresh_every)
    : io_(io), refresh_every_(refresh_every) {}

void ServerBrowser::probe(const std::vector<std::string>& servers, util::TimePoint now) {
    for (const std::string& server : servers) {
        auto it = probes_.find(server);
        if (it != probes_.end()) {
            const Probe& p = it->second;
            if (p.status.state == ServerStatus::State::Probing) continue;
            if (now - p.status.checked_at < refresh_every_) continue;
        }
        Probe& p = probes_[server];
        const ServerStatus previous = p.status;
        p = Probe{};
        // Keep showing what was known while the new probe runs.
        p.status.server_name = previous.server_name;
        p.status.ping_ms = previous.ping_ms;
        p.status.players = previous.players;
        p.status.rooms = previous.rooms;
        p.status.needs_password = previous.needs_password;
        p.status.checked_at = now;
        auto endpoint = parse_endpoint(server);
        if (!endpoint) {
            p.status.state = ServerStatus::State::Down;
            p.status.problem = endpoint.error();
            continue;
        }
        client::LobbyClientConfig config;
        config.name = fmt::format("probe-{:06x}", random_() & 0xffffff);
        config.connect_timeout = std::chrono::seconds(3);
        config.welcome_timeout = std::chrono::seconds(3);
        p.client = std::make_unique<client::LobbyClient>(io_, config);
        p.nonce = random_();
        p.client->connect(endpoint->host, endpoint->port);
    }
}

void ServerBrowser::refresh() {
    for (auto& [server, p] : probes_) {
        if (p.status.state != ServerStatus::State::Probing) p.status.checked_at = {};
    }
}

bool ServerBrowser::busy() const {
    for (const auto& [server, p] : probes_) {
        if (p.status.state == ServerStatus::State::Probing) return true;
    }
    return false;
}

void ServerBrowser::update(util::TimePoint now) {
    for (auto& [server, p] : probes_) {
        if (!p.client) continue;
        while (p.client) {
            auto event = p.client->next_event();
            if (!event) break;
            handle(p, *event, now);
        }
    }
}

void ServerBrowser::handle(Probe& p, const client::LobbyEvent& event, util::TimePoint now) {
    namespace pl = protocol::lobby;
    const auto finish_if_done = [&] {
        if (!p.got_pong || !p.got_rooms) return;
        p.status.state = ServerStatus::State::Up;
        p.status.problem.clear();
        p.status.checked_at = now;
        p.client.reset(); // closes the connection: the probe's player leaves the lobby
    };
    std::visit(util::Overloaded{
                   [&](const pl::ServerMessage& message) {
                       std::visit(util::Overloaded{
                                      [&](const pl::Welcome& w) {
                                          p.status.server_name = w.server_name;
                                          p.status.needs_password = false;
                                          p.ping_sent = now;
                                          p.client->send(pl::Ping{p.nonce});
                                          p.client->send(pl::ListRooms{});
                                      },
                                      [&](const pl::Pong& pong) {
                                          if (pong.nonce != p.nonce || p.got_pong) return;
                                          p.got_pong = true;
                                          p.status.ping_ms = util::to_seconds(now - p.ping_sent) * 1000.0;
                                          finish_if_done();
                                      },
                                      [&](const pl::RoomList& list) {
                                          p.got_rooms = true;
                                          p.status.rooms = static_cast<int>(list.total_rooms);
                                          p.status.players = 0;
                                          for (const auto& room : list.rooms) p.status.players += room.players;
                                          finish_if_done();
                                      },
                                      [](const auto&) {},
                                  },
                                  message);
                   },
                   [&](const client::Disconnected& d) {
                       if (d.code == pl::ErrorCode::WrongPassword) {
                           // The lobby answered: it is up, behind a password (no ping or counts).
                           p.status.state = ServerStatus::State::Up;
                           p.status.needs_password = true;
                           p.status.problem.clear();
                           p.status.ping_ms.reset();
                           p.status.players = p.status.rooms = 0;
                           p.status.checked_at = now;
                           p.client.reset();
                           return;
                       }
                       p.status.needs_password = false;
                       p.status.state = ServerStatus::State::Down;
                       p.status.problem = d.text;
                       p.status.ping_ms.reset();
                       p.status.checked_at = now;
                       p.client.reset();
                   },
               },
               event);
}

const ServerStatus* ServerBrowser::status(const std::string& server) const {
    const auto it = probes_.find(server);
    return it == probes_.end() ? nullptr : &it->second.status;
}

std::string summary(const ServerStatus& s) {
    switch (s.state) {
    case ServerStatus::State::Probing:
        if (s.ping_ms || s.needs_password) break; // still show what was known while it is probed again
        return "probing\xe2\x80\xa6";
    case ServerStatus::State::Down: return "down: " + s.problem;
    case ServerStatus::State::Up: break;
    }
    if (s.needs_password) return "needs a password";
    return fmt::format("{:.0f} ms \xc2\xb7 {} player{} in {} room{}", s.ping_ms.value_or(0), s.players,
                       s.players == 1 ? "" : "s", s.rooms, s.rooms == 1 ? "" : "s");
}

} // namespace skirmish::app
