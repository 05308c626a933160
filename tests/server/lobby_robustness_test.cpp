// Bad input over real sockets: each case gets an Error where there is someone
// to tell, its connection closes, and then two well-behaved clients on the same
// server still complete the whole flow.
#include "lobby_test_support.hpp"

#include "shared/util/rng.hpp"

#include <cstring>

using namespace skirmish;
using namespace skirmish::test;
using pl::ErrorCode;

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes random_bytes(util::Rng& rng, std::size_t n) {
    Bytes out(n);
    for (auto& b : out) b = static_cast<std::uint8_t>(rng.next_u32());
    return out;
}

void expect_closed_with(RawConnection& raw, ErrorCode code) {
    EXPECT_TRUE(raw.read_until_closed()) << "the server kept the connection open";
    auto error = raw.first_error();
    ASSERT_TRUE(error.has_value()) << "no Error before the close";
    EXPECT_EQ(error->code, code) << error->text;
}

} // namespace

TEST(LobbyRobustness, OversizedLengthPrefix) {
    LobbyUnderTest lobby;
    lobby.start();
    RawConnection raw(lobby.port);
    raw.write(Bytes{0x01, 0x00, 0x01, 0x00}); // 65537: one over the cap
    expect_closed_with(raw, ErrorCode::BadFrame);
    expect_good_clients_complete_the_flow(lobby, "after-oversized");
}

TEST(LobbyRobustness, HugeLengthPrefixFollowedByData) {
    LobbyUnderTest lobby;
    lobby.start();
    RawConnection raw(lobby.port);
    Bytes bytes = {0xFF, 0xFF, 0xFF, 0x7F};
    bytes.resize(32 * 1024, 0xAB); // the server must not wait for (or buffer) 2 GB
    raw.write(bytes);
    expect_closed_with(raw, ErrorCode::BadFrame);
    expect_good_clients_complete_the_flow(lobby, "after-huge");
}

TEST(LobbyRobustness, TruncatedFrame) {
    LobbyUnderTest lobby;
    lobby.start();
    RawConnection raw(lobby.port);
    Bytes frame;
    ASSERT_TRUE(net::append_frame(frame, pl::encode_client_message(pl::Hello{protocol::kProtocolVersion, "cut"})));
    frame.resize(frame.size() / 2);
    raw.write(frame);
    raw.shutdown_send(); // the stream ends mid-frame
    expect_closed_with(raw, ErrorCode::BadFrame);
    expect_good_clients_complete_the_flow(lobby, "after-truncated");
}

TEST(LobbyRobustness, RandomBytes) {
    LobbyUnderTest lobby;
    lobby.start();
    util::Rng rng(1234);
    RawConnection raw(lobby.port);
    raw.write(random_bytes(rng, 4096));
    expect_closed_with(raw, ErrorCode::BadFrame);
    expect_good_clients_complete_the_flow(lobby, "after-random");
}

TEST(LobbyRobustness, ValidFrameWithGarbageInside) {
    LobbyUnderTest lobby;
    lobby.start();
    util::Rng rng(99);
    RawConnection raw(lobby.port);
    raw.write_frame(random_bytes(rng, 200));
    expect_closed_with(raw, ErrorCode::BadFrame);
    expect_good_clients_complete_the_flow(lobby, "after-garbage");
}

TEST(LobbyRobustness, ValidFrameWithAFlatBufferPointingOutside) {
    LobbyUnderTest lobby;
    lobby.start();
    RawConnection raw(lobby.port);
    Bytes payload = pl::encode_client_message(pl::Hello{protocol::kProtocolVersion, "x"});
    payload[0] = 0xF0; // root offset far past the end
    payload[1] = 0xFF;
    raw.write_frame(payload);
    expect_closed_with(raw, ErrorCode::BadFrame);
    expect_good_clients_complete_the_flow(lobby, "after-outside");
}

TEST(LobbyRobustness, WrongIdentifier) {
    LobbyUnderTest lobby;
    lobby.start();
    RawConnection raw(lobby.port);
    Bytes payload = pl::encode_client_message(pl::Hello{protocol::kProtocolVersion, "wrong"});
    std::memcpy(payload.data() + 4, "SKGM", 4);
    raw.write_frame(payload);
    expect_closed_with(raw, ErrorCode::BadFrame);
    expect_good_clients_complete_the_flow(lobby, "after-identifier");
}

TEST(LobbyRobustness, UnknownMessageAfterWelcome) {
    LobbyUnderTest lobby;
    lobby.start();
    RawConnection raw(lobby.port);
    raw.write_frame(pl::encode_client_message(pl::Hello{protocol::kProtocolVersion, "unknown"}));
    raw.write_frame(pl::encode_server_message(pl::RoomList{}));
    expect_closed_with(raw, ErrorCode::UnknownMessage);
    expect_good_clients_complete_the_flow(lobby, "after-unknown");
}

TEST(LobbyRobustness, OutOfRangeFieldsAreRefusedAndTheSessionGoesOn) {
    LobbyUnderTest lobby;
    lobby.start();
    RawConnection raw(lobby.port);
    raw.write_frame(pl::encode_client_message(pl::Hello{protocol::kProtocolVersion, "ranges"}));
    protocol::MatchSettings bad;
    bad.time_limit_s = 5;
    raw.write_frame(pl::encode_client_message(pl::CreateRoom{"r", bad}));
    raw.write_frame(pl::encode_client_message(pl::QuickPlay{200}));
    raw.write(Bytes{0, 0, 0, 0}); // then a bad frame, to end it
    EXPECT_TRUE(raw.read_until_closed());
    auto messages = raw.messages();
    ASSERT_EQ(messages.size(), 4u);
    EXPECT_EQ(std::get<pl::Error>(messages[1]).code, ErrorCode::BadRoomSettings);
    EXPECT_EQ(std::get<pl::Error>(messages[2]).code, ErrorCode::BadRoomSettings);
    EXPECT_EQ(std::get<pl::Error>(messages[3]).code, ErrorCode::BadFrame);
    expect_good_clients_complete_the_flow(lobby, "after-ranges");
}

TEST(LobbyRobustness, AClientThatNeverSaysHello) {
    LobbyUnderTest lobby;
    lobby.config.limits.handshake_timeout = 1s; // long enough for the good clients under load
    lobby.start();
    RawConnection silent(lobby.port);
    // Meanwhile others are served normally.
    expect_good_clients_complete_the_flow(lobby, "while-silent");
    expect_closed_with(silent, ErrorCode::Timeout);
    EXPECT_EQ(lobby.server->stats().timeouts, 1u);
    expect_good_clients_complete_the_flow(lobby, "after-silent");
}

TEST(LobbyRobustness, AClientThatStopsReadingIsDisconnected) {
    LobbyUnderTest lobby;
    auto& limits = lobby.config.limits;
    limits.max_output_bytes = 32 * 1024;
    limits.socket_send_buffer_bytes = 8 * 1024;
    limits.chat_burst = limits.message_burst = 1e9;
    limits.chat_per_second = limits.messages_per_second = 1e9;
    lobby.start();

    auto pusher = welcomed(lobby.port, "pusher");
    pusher->send(pl::CreateRoom{"busy", {}});
    auto room = wait_room(*pusher, 1);
    ASSERT_TRUE(room);
    RawConnection slow(lobby.port, 4096); // joins, then never reads
    slow.write_frame(pl::encode_client_message(pl::Hello{protocol::kProtocolVersion, "slow"}));
    slow.write_frame(pl::encode_client_message(pl::JoinRoom{room->room_id}));
    ASSERT_TRUE(wait_room(*pusher, 2));

    // Chat until the server gives up on the slow member; the pusher reads its
    // own echoes, so only the slow one falls behind. Bounded: ~2 MB at most.
    const std::string line(190, 'z');
    for (int batch = 0; batch < 500 && lobby.server->stats().slow_readers == 0; ++batch) {
        for (int i = 0; i < 19; ++i) pusher->send(pl::Chat{line});
        const std::string marker = "batch " + std::to_string(batch);
        pusher->send(pl::Chat{marker});
        ASSERT_TRUE(pusher->wait_for<pl::ChatMessage>(5s, [&](const pl::ChatMessage& m) { return m.text == marker; }));
    }
    EXPECT_EQ(lobby.server->stats().slow_readers, 1u);
    // The RoomState without the slow member may already have arrived while
    // the pusher waited for its chat markers.
    std::optional<pl::RoomState> alone;
    for (const auto& m : pusher->passed_over())
        if (const auto* s = std::get_if<pl::RoomState>(&m); s && s->members.size() == 1) alone = *s;
    if (!alone) alone = wait_room(*pusher, 1);
    ASSERT_TRUE(alone) << "the slow member should have left the room";
    EXPECT_EQ(alone->members[0].name, "pusher");
    expect_good_clients_complete_the_flow(lobby, "after-slow");
}

TEST(LobbyRobustness, ManyBadConnectionsAtOnceDoNotDisturbGoodOnes) {
    LobbyUnderTest lobby;
    lobby.start();
    util::Rng rng(5);
    std::vector<std::unique_ptr<RawConnection>> bad;
    for (int i = 0; i < 20; ++i) {
        bad.push_back(std::make_unique<RawConnection>(lobby.port));
        bad.back()->write(random_bytes(rng, 64 + rng.below(2000)));
    }
    expect_good_clients_complete_the_flow(lobby, "among-bad");
    for (auto& b : bad) {
        EXPECT_TRUE(b->read_until_closed());
        auto error = b->first_error();
        ASSERT_TRUE(error);
        EXPECT_EQ(error->code, ErrorCode::BadFrame);
    }
    EXPECT_EQ(lobby.server->stats().bad_frames, 20u);
}
