// client/core/blocking_lobby_client.cpp
#include "client/core/blocking_lobby_client.hpp"

#include <fmt/format.h>

namespace skirmish::client {

namespace {
constexpr std::size_t kPassedOverKept = 256;
}

BlockingLobbyClient::BlockingLobbyClient(LobbyClientConfig config) : client_(io_, std::move(config)) {}

util::Result<protocol::lobby::Welcome, Disconnected> BlockingLobbyClient::connect(const std::string& host,
                                                                                  std::uint16_t port, Timeout timeout) {
    client_.connect(host, port);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (auto event = next_event(deadline)) {
        if (const auto* end = std::get_if<Disconnected>(&*event)) return util::fail(*end);
        auto& message = std::get<protocol::lobby::ServerMessage>(*event);
        if (auto* welcome = std::get_if<protocol::lobby::Welcome>(&message)) return std::move(*welcome);
        if (const auto* error = std::get_if<protocol::lobby::Error>(&message);
            error && !protocol::lobby::closes_connection(error->code) &&
            error->in_reply_to == protocol::lobby::MessageKind::Hello)
            return util::fail(Disconnected{LobbyDisconnect::ServerError, error->text, error->code});
        remember(std::move(message));
    }
    return util::fail(Disconnected{LobbyDisconnect::WelcomeTimeout,
                                   fmt::format("no Welcome from {} within {} ms", client_.endpoint_text(),
                                               timeout.count()),
                                   std::nullopt});
}

void BlockingLobbyClient::send(const protocol::lobby::ClientMessage& message) {
    client_.send(message);
    if (io_.stopped()) io_.restart();
    io_.poll();
}

std::optional<protocol::lobby::Error> BlockingLobbyClient::wait_for_error(protocol::lobby::ErrorCode code,
                                                                          Timeout timeout) {
    return wait_for<protocol::lobby::Error>(timeout, [code](const protocol::lobby::Error& e) { return e.code == code; });
}

std::optional<Disconnected> BlockingLobbyClient::wait_for_disconnect(Timeout timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!disconnected_) {
        auto event = next_event(deadline);
        if (!event) break;
        if (auto* message = std::get_if<protocol::lobby::ServerMessage>(&*event)) remember(std::move(*message));
    }
    return disconnected_;
}

std::optional<LobbyEvent> BlockingLobbyClient::next_event(std::chrono::steady_clock::time_point deadline) {
    for (;;) {
        if (auto event = client_.next_event()) {
            if (const auto* end = std::get_if<Disconnected>(&*event)) disconnected_ = *end;
            return event;
        }
        // Closed with nothing left to deliver, or out of time: stop waiting.
        if (client_.state() == LobbyState::Closed || std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        if (io_.stopped()) io_.restart();
        io_.run_one_until(deadline);
    }
}

void BlockingLobbyClient::remember(protocol::lobby::ServerMessage message) {
    passed_over_.push_back(std::move(message));
    if (passed_over_.size() > kPassedOverKept) passed_over_.pop_front();
}

} // namespace skirmish::client
