// Attacks on the lobby from outside, over real sockets (issue 10, items 5-8):
// trickled frames, a pipelined burst, a client that stops reading. Each test fails if its hole comes back, and each
// shows well-behaved clients completing the whole flow while the attack runs.
// Deadlines are shortened through LobbyLimits; nothing sleeps to synchronise.
#include "lobby_test_support.hpp"

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
