// client/core/blocking_lobby_client.hpp
//
// A LobbyClient with its own io_context and calls that wait, each with a
// deadline: for tests, tools and scripts that want "connect, then wait for a
// RoomState" without writing an event loop. Games and bots use LobbyClient.
//
// IMPORTANT: waits run this client's io_context on the calling thread and
// return when the expected message arrives, the connection ends, or the
// deadline passes; nothing sleeps. One thread per BlockingLobbyClient.
#pragma once

#include "client/core/lobby_client.hpp"
#include "shared/util/result.hpp"

#include <chrono>
#include <deque>
#include <functional>
#include <optional>
#include <string>

namespace skirmish::client {

class BlockingLobbyClient {
public:
    using Timeout = std::chrono::milliseconds;
    static constexpr Timeout kDefaultTimeout{5'000};

    explicit BlockingLobbyClient(LobbyClientConfig config);

    // Connects, says Hello and waits for Welcome. On failure returns why: the
    // Disconnected event, a timeout described the same way, or the Error that
    // refused the Hello (BadName, NameTaken: reason ServerError with its code;
    // the connection then stays open for another Hello).
    util::Result<protocol::lobby::Welcome, Disconnected> connect(const std::string& host, std::uint16_t port,
                                                                 Timeout timeout = kDefaultTimeout);
    // Queues a request and pushes out what can be written without waiting, so
    // requests leave even while another client is the one being waited on.
    void send(const protocol::lobby::ClientMessage& message);

    // Waits for the next message of type T for which `accept` is true. Other
    // messages are passed over (the latest few are kept in passed_over()).
    template <typename T>
    std::optional<T> wait_for(Timeout timeout = kDefaultTimeout, std::function<bool(const T&)> accept = {}) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (auto event = next_event(deadline)) {
            if (auto* message = std::get_if<protocol::lobby::ServerMessage>(&*event)) {
                if (auto* wanted = std::get_if<T>(message); wanted && (!accept || accept(*wanted)))
                    return std::move(*wanted);
                remember(std::move(*message));
            }
        }
        return std::nullopt;
    }

    // Waits for an Error with this code.
    std::optional<protocol::lobby::Error> wait_for_error(protocol::lobby::ErrorCode code,
                                                         Timeout timeout = kDefaultTimeout);
    // Waits until the connection ends (messages on the way are passed over).
    std::optional<Disconnected> wait_for_disconnect(Timeout timeout = kDefaultTimeout);

    // Runs the io_context until an event is ready or the deadline passes.
    std::optional<LobbyEvent> next_event(std::chrono::steady_clock::time_point deadline);

    const std::optional<Disconnected>& disconnected() const noexcept { return disconnected_; }
    const std::deque<protocol::lobby::ServerMessage>& passed_over() const noexcept { return passed_over_; }
    LobbyClient& client() noexcept { return client_; }
    // The number, as the lobby's messages carry it (0 until Welcome).
    std::uint32_t player_id() const noexcept { return sim::to_int(client_.player_id()); }

private:
    void remember(protocol::lobby::ServerMessage message);

    asio::io_context io_;
    LobbyClient client_;
    std::optional<Disconnected> disconnected_;
    std::deque<protocol::lobby::ServerMessage> passed_over_;
};

} // namespace skirmish::client
