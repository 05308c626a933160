// Attacks on the lobby from outside, over real sockets (issue 10, items 5-8):
// trickled frames, a holding flood from many addresses, a pipelined burst, a
// client that stops reading. Each test fails if its hole comes back, and each
// shows well-behaved clients completing the whole flow while the attack runs.
// Deadlines are shortened through LobbyLimits; nothing sleeps to synchronise.
#include "lobby_test_support.hpp"

#include "shared/util/file_limit.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <thread>

using namespace skirmish;
using namespace skirmish::test;
using pl::ErrorCode;

namespace {

using Bytes = std::vector<std::uint8_t>;
using Clock = std::chrono::steady_clock;

// 127.0.0.2 ... 127.0.0.254 stand for other hosts (127.0.0.1 is the good clients').
std::string loopback(int i) { return "127.0.0." + std::to_string(2 + i % 253); }

Bytes frame(const pl::ClientMessage& message) {
    Bytes out;
    EXPECT_TRUE(net::append_frame(out, pl::encode_client_message(message)).has_value());
    return out;
}

std::size_t frame_size(const pl::ServerMessage& message) {
    return net::kLobbyFrameHeaderBytes + pl::encode_server_message(message).size();
}

// A raw connection from `source` that said Hello and got its Welcome.
std::unique_ptr<RawConnection> welcomed_raw(std::uint16_t port, const std::string& source, const std::string& name) {
    auto raw = std::make_unique<RawConnection>(port, 0, source);
    raw->write(frame(pl::Hello{protocol::kProtocolVersion, name}));
    raw->read_until([&] { return !raw->messages().empty(); }, 5s);
    EXPECT_FALSE(raw->messages().empty() || !std::holds_alternative<pl::Welcome>(raw->messages().front()))
        << name << " was not welcomed";
    return raw;
}

// --- trickling (slowloris) ------------------------------------------------------------

// Connections that each send one more byte of a frame that announces 1,000
// bytes, round after round, on a thread of its own, until the server has
// closed them all or `give_up` passes. The rounds are paced by waiting for
// that close, never by sleeping.
class Trickle {
public:
    Trickle(std::vector<std::unique_ptr<RawConnection>> connections, Clock::duration give_up)
        : connections_(std::move(connections)), closed_after_(connections_.size()),
          thread_([this, give_up] { run(give_up); }) {}
    ~Trickle() { join(); }

    void join() {
        if (thread_.joinable()) thread_.join();
    }
    // After join(): how long after the start each connection was closed (empty: never).
    const std::vector<std::optional<Clock::duration>>& closed_after() const { return closed_after_; }
    const RawConnection& connection(std::size_t i) const { return *connections_[i]; }
    std::size_t size() const { return connections_.size(); }

private:
    void run(Clock::duration give_up) {
        const Bytes header = {0xE8, 0x03, 0x00, 0x00}; // 1,000 bytes to follow
        const auto start = Clock::now();
        std::size_t open = connections_.size();
        for (std::size_t byte = 0; open > 0 && Clock::now() - start < give_up; ++byte) {
            const std::uint8_t next = byte < header.size() ? header[byte] : 0x20;
            for (std::size_t i = 0; i < connections_.size(); ++i) {
                if (closed_after_[i]) continue;
                connections_[i]->write(std::span(&next, 1));
                if (connections_[i]->read_until_closed(5ms)) {
                    closed_after_[i] = Clock::now() - start;
                    --open;
                }
            }
        }
    }

    std::vector<std::unique_ptr<RawConnection>> connections_;
    std::vector<std::optional<Clock::duration>> closed_after_;
    std::thread thread_;
};

// Every trickling connection was closed within `within` with Error{Timeout}
// whose text contains `says`.
void expect_all_cut(const Trickle& trickle, std::chrono::milliseconds within, const std::string& says) {
    for (std::size_t i = 0; i < trickle.size(); ++i) {
        const auto& after = trickle.closed_after()[i];
        ASSERT_TRUE(after.has_value()) << "trickling connection " << i << " is still open";
        EXPECT_LT(*after, within) << "connection " << i;
        const auto error = trickle.connection(i).first_error();
        ASSERT_TRUE(error.has_value()) << "connection " << i << " got no Error";
        EXPECT_EQ(error->code, ErrorCode::Timeout);
        EXPECT_NE(error->text.find(says), std::string::npos) << error->text;
    }
}

// --- holding flood ----------------------------------------------------------------------

// Silent connections from many loopback addresses, `per_address` each, opened
// as fast as the server takes them; each one the server closes is replaced at
// once. Runs on its own thread until stop() (bounded at 60 s regardless).
class HoldingFlood {
public:
    HoldingFlood(std::uint16_t port, int addresses, int per_address) : port_(port) {
        for (int a = 0; a < addresses; ++a)
            for (int k = 0; k < per_address; ++k) slots_.push_back({-1, loopback(a)});
        thread_ = std::thread([this] { run(); });
    }
    ~HoldingFlood() { stop(); }
    void stop() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
    }
    std::uint64_t opened() const { return opened_; }
    // Connections opened in place of one the server closed.
    std::uint64_t replaced() const {
        const std::uint64_t opened = opened_;
        return opened > slots_.size() ? opened - slots_.size() : 0;
    }

private:
    struct Slot {
        int fd = -1;
        std::string source;
    };

    int open_from(const std::string& source) const {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) return -1;
        sockaddr_in from{};
        from.sin_family = AF_INET;
        ::inet_pton(AF_INET, source.c_str(), &from.sin_addr);
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(port_);
        ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
        if (::bind(fd, reinterpret_cast<const sockaddr*>(&from), sizeof from) != 0 ||
            (::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0 && errno != EINPROGRESS)) {
            ::close(fd);
            return -1;
        }
        return fd;
    }

    void run() {
        const auto give_up = Clock::now() + 60s;
        std::vector<pollfd> polled;
        std::vector<Slot*> owners;
        while (!stop_ && Clock::now() < give_up) {
            polled.clear();
            owners.clear();
            for (auto& slot : slots_) {
                if (slot.fd < 0 && (slot.fd = open_from(slot.source)) >= 0) ++opened_;
                if (slot.fd >= 0) {
                    polled.push_back({slot.fd, POLLIN, 0});
                    owners.push_back(&slot);
                }
            }
            if (::poll(polled.data(), polled.size(), 5) <= 0) continue;
            for (std::size_t i = 0; i < polled.size(); ++i) {
                if (polled[i].revents == 0) continue;
                std::array<char, 512> sink{};
                ssize_t got = 0;
                while ((got = ::recv(polled[i].fd, sink.data(), sink.size(), MSG_DONTWAIT)) > 0) {}
                if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) { // closed by the server: replace it
                    ::close(owners[i]->fd);
                    owners[i]->fd = -1;
                }
            }
        }
        for (auto& slot : slots_)
            if (slot.fd >= 0) ::close(slot.fd);
    }

    std::uint16_t port_;
    std::vector<Slot> slots_;
    std::atomic<bool> stop_{false};
    std::atomic<std::uint64_t> opened_{0};
    std::thread thread_;
};

// Waits (bounded) until the flood has had `count` of its connections closed
// by the server and opened again.
bool wait_for_replacements(const HoldingFlood& flood, std::uint64_t count, Clock::duration timeout) {
    const auto deadline = Clock::now() + timeout;
    while (flood.replaced() < count) {
        if (Clock::now() > deadline) return false;
        std::this_thread::sleep_for(1ms); // polling interval, not synchronisation
    }
    return true;
}

} // namespace

// --- item 5: slowloris after Welcome ------------------------------------------------------

TEST(LobbyAttack, TricklingAFrameDoesNotResetTheIdleTimer) {
    LobbyUnderTest lobby;
    lobby.config.limits.idle_timeout = 600ms;
    lobby.config.limits.frame_timeout = std::chrono::hours(1); // only the idle timer can end it
    lobby.start();
    std::vector<std::unique_ptr<RawConnection>> held;
    for (int i = 0; i < 6; ++i) held.push_back(welcomed_raw(lobby.port, loopback(i / 2), "idle" + std::to_string(i)));
    Trickle trickle(std::move(held), 10s);
    expect_good_clients_complete_the_flow(lobby, "while-trickling");
    trickle.join();
    // Bytes every few ms, never a whole frame: cut one idle timeout after the Hello.
    expect_all_cut(trickle, 3s, "no message received");
    EXPECT_EQ(lobby.server->stats().timeouts, 6u);
    expect_good_clients_complete_the_flow(lobby, "after-trickling");
}

TEST(LobbyAttack, AFrameTrickledByAFewAddressesIsCutAtTheFrameDeadline) {
    LobbyUnderTest lobby;
    auto& limits = lobby.config.limits;
    limits.max_connections = 10; // the 8 trickling players would hold most of it ...
    limits.max_connections_per_address = 2;
    limits.idle_timeout = std::chrono::hours(1);
    limits.frame_timeout = 400ms;
    lobby.start();
    std::vector<std::unique_ptr<RawConnection>> held;
    for (int i = 0; i < 8; ++i) held.push_back(welcomed_raw(lobby.port, loopback(i / 2), "slow" + std::to_string(i)));
    Trickle trickle(std::move(held), 10s);
    expect_good_clients_complete_the_flow(lobby, "while-trickling");
    trickle.join();
    expect_all_cut(trickle, 3s, "still incomplete 400 ms after its first byte");
    // ... and their slots are free again, for players from the same addresses.
    std::vector<std::unique_ptr<RawConnection>> after;
    for (int i = 0; i < 8; ++i) after.push_back(welcomed_raw(lobby.port, loopback(i / 2), "after" + std::to_string(i)));
}

TEST(LobbyAttack, AFrameInPiecesWithinTheFrameDeadlineIsRead) {
    LobbyUnderTest lobby;
    lobby.config.limits.frame_timeout = 2s;
    lobby.start();
    auto raw = welcomed_raw(lobby.port, "", "pieces");
    const Bytes ping = frame(pl::Ping{77});
    for (const std::uint8_t byte : ping) {
        raw->write(std::span(&byte, 1));
        EXPECT_FALSE(raw->read_until([&] { return raw->messages().size() > 1; }, 10ms));
    }
    raw->read_until([&] { return raw->messages().size() > 1; }, 5s);
    ASSERT_EQ(raw->messages().size(), 2u);
    ASSERT_TRUE(std::holds_alternative<pl::Pong>(raw->messages()[1]));
    EXPECT_EQ(std::get<pl::Pong>(raw->messages()[1]).nonce, 77u);
}

// --- item 6: a holding flood from many addresses --------------------------------------------

TEST(LobbyAttack, AHoldingFloodFromManyAddressesDoesNotLockOutClientsThatSayHello) {
    util::raise_file_limit(); // a few hundred sockets on each side of the lobby
    LobbyUnderTest lobby;
    auto& limits = lobby.config.limits;
    limits.max_connections = 64; // players; the flood alone would hold 400 connections
    limits.max_handshakes = 32;
    limits.max_handshakes_per_address = 4;
    lobby.start();
    HoldingFlood flood(lobby.port, 200, 2);
    ASSERT_TRUE(wait_for_replacements(flood, 400, 20s)) << "the flood never got going";

    // 16 clients say Hello at once, in the middle of the flood.
    const auto evicted_before = lobby.server->stats().handshakes_evicted;
    asio::io_context io;
    std::vector<std::unique_ptr<client::LobbyClient>> players;
    for (int i = 0; i < 16; ++i) {
        players.push_back(std::make_unique<client::LobbyClient>(io, client_config("hello" + std::to_string(i))));
        players.back()->connect("127.0.0.1", lobby.port);
    }
    int welcomed_count = 0;
    int refused_count = 0;
    const auto deadline = Clock::now() + 10s;
    while (welcomed_count + refused_count < 16 && Clock::now() < deadline) {
        io.run_one_until(deadline);
        for (auto& player : players) {
            while (auto event = player->next_event()) {
                if (const auto* end = std::get_if<client::Disconnected>(&*event)) {
                    ++refused_count;
                    ADD_FAILURE() << "a client that said Hello at once was refused: " << end->text;
                } else if (std::holds_alternative<pl::Welcome>(std::get<pl::ServerMessage>(*event))) {
                    ++welcomed_count;
                }
            }
        }
    }
    EXPECT_EQ(welcomed_count, 16);
    EXPECT_LE(lobby.server->stats().handshakes_open, 32u);
    expect_good_clients_complete_the_flow(lobby, "during-flood");
    const auto stats = lobby.server->stats();
    EXPECT_GT(stats.handshakes_evicted, evicted_before + 50) << "the flood stopped while the clients came in";
    EXPECT_GE(stats.players, 16u); // the 16 are still in (the last two may be leaving)
    flood.stop();
    RecordProperty("flood_connections_opened", std::to_string(flood.opened()));
    RecordProperty("handshakes_evicted", std::to_string(stats.handshakes_evicted));
}

TEST(LobbyAttack, OneAddressHoldingHandshakesOnlyEvictsItsOwn) {
    util::raise_file_limit(); // a few hundred sockets on each side of the lobby
    LobbyUnderTest lobby;
    lobby.config.limits.max_handshakes = 32;
    lobby.config.limits.max_handshakes_per_address = 4;
    lobby.start();
    // A client from another address that has not said Hello yet keeps its slot.
    RawConnection quiet(lobby.port, 0, loopback(100));
    HoldingFlood flood(lobby.port, 1, 50);
    ASSERT_TRUE(wait_for_replacements(flood, 200, 20s)) << "the flood never got going";
    EXPECT_LE(lobby.server->stats().handshakes_open, 5u);
    EXPECT_FALSE(quiet.read_until_closed(1ms)) << "a handshake from another address was evicted";
    quiet.write(frame(pl::Hello{protocol::kProtocolVersion, "quiet"}));
    quiet.read_until([&] { return !quiet.messages().empty(); }, 5s);
    ASSERT_FALSE(quiet.messages().empty());
    EXPECT_TRUE(std::holds_alternative<pl::Welcome>(quiet.messages().front()));
    expect_good_clients_complete_the_flow(lobby, "beside-one-address");
}

TEST(LobbyAttack, AnEvictedHandshakeIsToldWhy) {
    LobbyUnderTest lobby;
    lobby.config.limits.max_handshakes_per_address = 1;
    lobby.start();
    RawConnection first(lobby.port);
    RawConnection second(lobby.port); // takes the only slot of 127.0.0.1
    EXPECT_TRUE(first.read_until_closed());
    const auto error = first.first_error();
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->code, ErrorCode::TooManyConnections);
    EXPECT_NE(error->text.find("send Hello right after connecting"), std::string::npos) << error->text;
    ASSERT_TRUE(first.end().has_value());
    EXPECT_EQ(*first.end(), asio::error::make_error_code(asio::error::eof)) << "closed with a reset, not a FIN";
    EXPECT_EQ(lobby.server->stats().handshakes_evicted, 1u);
}

// --- item 7: a pipelined burst ----------------------------------------------------------------

TEST(LobbyAttack, APipelinedBurstGetsRateLimitedAnswersAndKeepsItsConnection) {
    constexpr int kFrames = 4000;
    LobbyUnderTest lobby;
    lobby.start();
    RawConnection raw(lobby.port, 4096); // a small receive buffer: the answers wait at the server
    Bytes burst = frame(pl::Hello{protocol::kProtocolVersion, "burst"});
    for (int i = 0; i < kFrames; ++i) {
        const Bytes ping = frame(pl::Ping{static_cast<std::uint64_t>(i)});
        burst.insert(burst.end(), ping.begin(), ping.end());
    }
    raw.write_async(std::move(burst)); // one write of 4,001 frames
    expect_good_clients_complete_the_flow(lobby, "beside-burst");

    raw.read_until([&] { return raw.messages().size() >= kFrames + 1; }, 30s);
    ASSERT_FALSE(raw.closed()) << "the server closed the connection: " << raw.end()->message();
    ASSERT_EQ(raw.messages().size(), static_cast<std::size_t>(kFrames + 1));
    int pongs = 0;
    int rate_limited = 0;
    for (std::size_t i = 1; i < raw.messages().size(); ++i) {
        if (std::holds_alternative<pl::Pong>(raw.messages()[i])) ++pongs;
        else if (const auto* e = std::get_if<pl::Error>(&raw.messages()[i]); e && e->code == ErrorCode::RateLimited)
            ++rate_limited;
    }
    EXPECT_EQ(pongs + rate_limited, kFrames);
    EXPECT_GE(pongs, 49);          // the budget of 50, less the Hello
    EXPECT_GE(rate_limited, kFrames - 200); // the rest dropped, each one answered
    EXPECT_EQ(lobby.server->stats().slow_readers, 0u);
    // Still served.
    raw.write(frame(pl::ListRooms{}));
    raw.read_until([&] { return raw.messages().size() > kFrames + 1; }, 5s);
    EXPECT_EQ(raw.messages().size(), static_cast<std::size_t>(kFrames + 2));
    EXPECT_FALSE(raw.closed());
}

TEST(LobbyAttack, APipelinedBurstOfLargeAnswersIsNeverOverTheOutputCap) {
    constexpr int kFrames = 2200;
    constexpr int kRooms = 20;
    LobbyUnderTest lobby;
    auto& limits = lobby.config.limits;
    limits.message_burst = limits.messages_per_second = 1e9; // every ListRooms is answered
    lobby.start();
    std::vector<std::unique_ptr<RawConnection>> hosts;
    for (int i = 0; i < kRooms; ++i) {
        auto host = welcomed_raw(lobby.port, "", "host" + std::to_string(i));
        host->write(frame(pl::CreateRoom{"room with a long enough name " + std::to_string(i), {}}));
        host->read_until([&] { return host->messages().size() > 1; }, 5s);
        ASSERT_EQ(host->messages().size(), 2u);
        ASSERT_TRUE(std::holds_alternative<pl::RoomState>(host->messages()[1]));
        hosts.push_back(std::move(host));
    }

    RawConnection raw(lobby.port);
    Bytes burst = frame(pl::Hello{protocol::kProtocolVersion, "lister"});
    for (int i = 0; i < kFrames; ++i) {
        const Bytes list = frame(pl::ListRooms{});
        burst.insert(burst.end(), list.begin(), list.end());
    }
    raw.write_async(std::move(burst));
    raw.read_until([&] { return raw.messages().size() >= kFrames + 1; }, 60s);
    ASSERT_FALSE(raw.closed()) << "the server closed the connection: " << raw.end()->message();
    ASSERT_EQ(raw.messages().size(), static_cast<std::size_t>(kFrames + 1));
    const auto* last = std::get_if<pl::RoomList>(&raw.messages().back());
    ASSERT_NE(last, nullptr);
    EXPECT_EQ(last->rooms.size(), static_cast<std::size_t>(kRooms));
    // Over 2,200 answers of this size is many times the output cap.
    EXPECT_GT(raw.received().size(), 8 * limits.max_output_bytes);
    EXPECT_EQ(lobby.server->stats().slow_readers, 0u);
    expect_good_clients_complete_the_flow(lobby, "after-large-burst");
}

// --- item 8: a client that stops reading ------------------------------------------------------

TEST(LobbyAttack, AClientThatStopsReadingIsCutWithinTheOutputCapInTotal) {
    LobbyUnderTest lobby;
    auto& limits = lobby.config.limits; // the default output cap and socket send buffer
    limits.chat_burst = limits.message_burst = 1e9;
    limits.chat_per_second = limits.messages_per_second = 1e9;
    lobby.start();

    auto pusher = welcomed(lobby.port, "pusher");
    pusher->send(pl::CreateRoom{"busy", {}});
    auto room = wait_room(*pusher, 1);
    ASSERT_TRUE(room);
    RawConnection slow(lobby.port, 4096); // joins, then never reads
    slow.write(frame(pl::Hello{protocol::kProtocolVersion, "slow"}));
    slow.write(frame(pl::JoinRoom{room->room_id}));
    ASSERT_TRUE(wait_room(*pusher, 2));

    // Every chat line goes to both members; count the bytes meant for the slow one.
    const std::string line(190, 'z');
    const auto line_bytes = frame_size(pl::ChatMessage{room->room_id, pusher->player_id(), "pusher", line});
    std::size_t pushed = 0;
    for (int batch = 0; batch < 1000 && lobby.server->stats().slow_readers == 0; ++batch) {
        for (int i = 0; i < 19; ++i) pusher->send(pl::Chat{line});
        const std::string marker = "batch " + std::to_string(batch);
        pusher->send(pl::Chat{marker});
        ASSERT_TRUE(pusher->wait_for<pl::ChatMessage>(5s, [&](const pl::ChatMessage& m) { return m.text == marker; }));
        pushed += 19 * line_bytes + frame_size(pl::ChatMessage{room->room_id, pusher->player_id(), "pusher", marker});
    }
    ASSERT_EQ(lobby.server->stats().slow_readers, 1u);
    // What the slow member was sent before the cut: the server's queue and the
    // kernel's send buffer together (at most the cap), what the slow client's
    // own 4 KiB receive buffer took, and the last batch, counted whole.
    RecordProperty("bytes_pushed_before_the_cut", std::to_string(pushed));
    EXPECT_LE(pushed, limits.max_output_bytes + 64 * 1024) << "a non-reader held " << pushed << " bytes";
    expect_good_clients_complete_the_flow(lobby, "after-non-reader");
}
