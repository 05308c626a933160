// tests/server/lobby_test_support.hpp: a LobbyServer on 127.0.0.1 with an
// ephemeral port, a GameLink that records match orders, a raw TCP connection
// for sending bytes no well-behaved client would, and the "a good client still
// completes the flow" check the robustness tests end with.
#pragma once

#include "client/core/blocking_lobby_client.hpp"
#include "server/game_link.hpp"
#include "server/lobby/lobby_server.hpp"
#include "shared/net/connect_token.hpp"
#include "shared/net/lobby_framing.hpp"
#include "shared/protocol/lobby_codec.hpp"
#include "shared/protocol/version.hpp"

#include <gtest/gtest.h>

#include <asio.hpp>

#include <chrono>
#include <initializer_list>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace skirmish::test {

namespace pl = protocol::lobby;
using namespace std::chrono_literals;

inline std::uint64_t unix_ms_now() {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
}

// Records every match order; thread-safe (called on the lobby thread).
class RecordingGameLink final : public server::GameLink {
public:
    void start_match(server::MatchOrder order) override {
        const std::lock_guard lock(mutex_);
        orders_.push_back(std::move(order));
    }
    void stop_watching(protocol::MatchId, sim::PlayerId) override {} // the flows here have no spectators
    std::vector<server::MatchOrder> orders() const {
        const std::lock_guard lock(mutex_);
        return orders_;
    }
    std::optional<server::MatchOrder> find(protocol::MatchId match_id) const {
        const std::lock_guard lock(mutex_);
        for (const auto& o : orders_)
            if (o.match_id == match_id) return o;
        return std::nullopt;
    }

private:
    mutable std::mutex mutex_;
    std::vector<server::MatchOrder> orders_;
};

inline server::LobbyConfig test_config(const net::TokenKey& key) {
    server::LobbyConfig c;
    c.bind_address = "127.0.0.1";
    c.port = 0;
    c.game_port = 7777;
    c.hosting.server_name = "test lobby";
    c.maps = {"arena", "courtyard"};
    c.token_key = key;
    c.now_unix_ms = unix_ms_now;
    c.limits.close_linger = 500ms;
    return c;
}

// A started LobbyServer; tweak the config before start().
struct LobbyUnderTest {
    net::TokenKey key = net::generate_token_key();
    RecordingGameLink game;
    server::LobbyConfig config = test_config(key);
    std::optional<server::LobbyServer> server;
    std::uint16_t port = 0;

    void start() {
        server.emplace(config, game, util::Logger("test", std::getenv("LOBBY_TEST_DEBUG") ? util::LogLevel::Debug : util::LogLevel::Warn));
        auto bound = server->start();
        ASSERT_TRUE(bound.has_value()) << bound.error();
        port = *bound;
    }
    ~LobbyUnderTest() {
        if (server) server->stop();
    }
};

inline client::LobbyClientConfig client_config(std::string name) {
    client::LobbyClientConfig c;
    c.name = std::move(name);
    return c;
}

// Connects and waits for Welcome; fails the test otherwise.
inline std::unique_ptr<client::BlockingLobbyClient> welcomed(std::uint16_t port, std::string name) {
    auto c = std::make_unique<client::BlockingLobbyClient>(client_config(std::move(name)));
    auto welcome = c->connect("127.0.0.1", port);
    EXPECT_TRUE(welcome.has_value()) << (welcome ? "" : welcome.error().text);
    return c;
}

// The RoomState in which `who` sees the room with `members` members.
inline std::optional<pl::RoomState> wait_room(client::BlockingLobbyClient& who, std::size_t members,
                                              std::chrono::milliseconds timeout = 5s) {
    return who.wait_for<pl::RoomState>(timeout, [members](const pl::RoomState& s) { return s.members.size() == members; });
}

// `host` creates room "r" with default settings, then each of `joiners` joins
// it in turn, each waiting until it sees itself in. Returns the room as the
// host first saw it (empty if any step timed out).
inline std::optional<pl::RoomState> make_room(client::BlockingLobbyClient& host,
                                              std::initializer_list<client::BlockingLobbyClient*> joiners) {
    host.send(pl::CreateRoom{"r", {}});
    auto room = wait_room(host, 1);
    if (!room) return std::nullopt;
    std::size_t members = 1;
    for (auto* joiner : joiners) {
        joiner->send(pl::JoinRoom{room->room_id});
        if (!wait_room(*joiner, ++members)) return std::nullopt;
    }
    return room;
}

// Checks that a token opens under the key and names this player, room and match.
inline void expect_token_for(const pl::MatchStart& start, const net::TokenKey& key, std::uint32_t player_id,
                             const std::string& name) {
    auto claims = net::open_token(start.connect_token, key, protocol::kProtocolVersion, unix_ms_now());
    ASSERT_TRUE(claims.has_value()) << net::name(claims.error());
    EXPECT_EQ(claims->player_id, player_id);
    EXPECT_EQ(claims->room_id, start.room_id);
    EXPECT_EQ(claims->match_id, start.match_id);
    EXPECT_EQ(claims->player_name, name);
}

// Two fresh players create and join a room, get ready and receive valid,
// distinct tokens: the proof that the server still serves well-behaved clients.
inline void expect_good_clients_complete_the_flow(LobbyUnderTest& lobby, const std::string& tag) {
    auto host = welcomed(lobby.port, tag + "-host");
    auto guest = welcomed(lobby.port, tag + "-guest");
    host->send(pl::CreateRoom{tag, protocol::MatchSettings{}});
    auto created = wait_room(*host, 1);
    ASSERT_TRUE(created.has_value());
    guest->send(pl::JoinRoom{created->room_id});
    ASSERT_TRUE(wait_room(*guest, 2).has_value());
    host->send(pl::SetReady{true});
    guest->send(pl::SetReady{true});
    auto host_start = host->wait_for<pl::MatchStart>();
    auto guest_start = guest->wait_for<pl::MatchStart>();
    ASSERT_TRUE(host_start && guest_start);
    expect_token_for(*host_start, lobby.key, host->player_id(), tag + "-host");
    expect_token_for(*guest_start, lobby.key, guest->player_id(), tag + "-guest");
    EXPECT_NE(host_start->connect_token, guest_start->connect_token);
}

// A plain TCP connection to the lobby for sending arbitrary bytes, optionally
// from another loopback source address (127.0.0.2 ... 127.0.0.254 stand for
// other hosts: Linux routes all of 127.0.0.0/8 to the loopback interface).
class RawConnection {
public:
    explicit RawConnection(std::uint16_t port, int receive_buffer_bytes = 0, const std::string& source = {})
        : socket_(io_) {
        std::error_code ec;
        socket_.open(asio::ip::tcp::v4(), ec);
        if (receive_buffer_bytes > 0)
            socket_.set_option(asio::socket_base::receive_buffer_size(receive_buffer_bytes), ec);
        if (!source.empty()) {
            socket_.bind({asio::ip::make_address(source), 0}, ec);
            EXPECT_FALSE(ec) << "binding to " << source << ": " << ec.message();
        }
        socket_.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
        EXPECT_FALSE(ec) << ec.message();
    }

    void write(std::span<const std::uint8_t> bytes) {
        std::error_code ec;
        asio::write(socket_, asio::buffer(bytes.data(), bytes.size()), ec);
    }
    void write_frame(std::span<const std::uint8_t> payload) {
        std::vector<std::uint8_t> frame;
        ASSERT_TRUE(net::append_frame(frame, payload).has_value());
        write(frame);
    }
    // Starts writing `bytes` in the background; the reads below carry it on,
    // so a write the server pushes back on never blocks the reader.
    void write_async(std::vector<std::uint8_t> bytes) {
        pending_write_ = std::move(bytes);
        writing_ = true;
        asio::async_write(socket_, asio::buffer(pending_write_), [this](const std::error_code& ec, std::size_t) {
            writing_ = false;
            write_error_ = ec;
        });
    }
    bool writing() const { return writing_; }
    void shutdown_send() {
        std::error_code ec;
        socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    }

    // Reads until `done()` holds, the server closes the connection, or the
    // timeout passes. Returns whether the connection is closed.
    bool read_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        bool pending = false;
        std::array<std::uint8_t, 4096> buffer{};
        while (!end_ && !done() && std::chrono::steady_clock::now() < deadline) {
            if (!pending) {
                pending = true;
                socket_.async_read_some(asio::buffer(buffer), [&](const std::error_code& ec, std::size_t n) {
                    pending = false;
                    take(std::span(buffer.data(), n));
                    if (ec && ec != asio::error::operation_aborted) end_ = ec;
                });
            }
            if (io_.stopped()) io_.restart();
            io_.run_one_until(deadline);
        }
        if (pending) { // out of time: cancel the read and let its handler run
            socket_.cancel();
            io_.restart();
            io_.run();
        }
        return end_.has_value();
    }
    bool read_until_closed(std::chrono::milliseconds timeout = 5s) {
        return read_until([] { return false; }, timeout);
    }
    bool closed() const { return end_.has_value(); }
    // How the connection ended: asio::error::eof for an orderly close, e.g.
    // connection_reset for a reset; empty while open.
    const std::optional<std::error_code>& end() const { return end_; }

    // The server messages received so far (decoding stops at the first bad frame).
    const std::vector<pl::ServerMessage>& messages() const { return messages_; }
    std::optional<pl::Error> first_error() const {
        for (const auto& m : messages_)
            if (const auto* e = std::get_if<pl::Error>(&m)) return *e;
        return std::nullopt;
    }
    const std::vector<std::uint8_t>& received() const { return received_; }

private:
    void take(std::span<const std::uint8_t> bytes) {
        received_.insert(received_.end(), bytes.begin(), bytes.end());
        decoder_.feed(bytes);
        while (!bad_stream_) {
            auto next = decoder_.next();
            if (!next || !next.value()) {
                bad_stream_ = !next;
                break;
            }
            auto m = pl::decode_server_message(*next.value());
            if (!m) {
                bad_stream_ = true;
                break;
            }
            messages_.push_back(std::move(m).value());
        }
    }

    asio::io_context io_;
    asio::ip::tcp::socket socket_;
    std::vector<std::uint8_t> received_;
    net::FrameDecoder decoder_;
    bool bad_stream_ = false;
    std::vector<pl::ServerMessage> messages_;
    std::optional<std::error_code> end_;
    std::vector<std::uint8_t> pending_write_;
    bool writing_ = false;
    std::error_code write_error_;
};

} // namespace skirmish::test
