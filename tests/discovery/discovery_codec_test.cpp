// LAN discovery's and the game-port query's bytes without sockets: the Probe
// is padded to its exact size, an Answer never outgrows its Probe (maps are
// cut), a reply page holds what fits, every malformed input is refused; the
// ProbeAnswerer's rate limits and the AdmissionGuard's cookie check on
// Queries, with time passed in; docs/PROTOCOL.md's discovery constants table
// against the code, both ways.
#include "server/discovery/discovery_responder.hpp"
#include "shared/net/admission_guard.hpp"
#include "shared/net/game_query.hpp"
#include "shared/protocol/discovery_codec.hpp"
#include "shared/protocol/version.hpp"
#include "support/doc_tables.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <map>

using namespace skirmish;
namespace pd = protocol::discovery;
using namespace std::chrono_literals;

namespace {

pd::ServerInfo sample_info(std::size_t maps = 2) {
    pd::ServerInfo info;
    info.name = "Friday LAN";
    info.port = 7777;
    info.protocol_version = protocol::kProtocolVersion;
    for (std::size_t i = 0; i < maps; ++i) info.maps.push_back(i == 0 ? "arena" : "map-" + std::to_string(i) + std::string(50, 'x'));
    info.map_count = static_cast<std::uint16_t>(maps);
    info.players = 3;
    info.max_players = 1000;
    info.rooms = 2;
    info.matches = 1;
    info.tick_rate_hz = 60;
    info.password = true;
    return info;
}

net::Endpoint endpoint(const char* ip, std::uint16_t port) {
    net::Endpoint e;
    auto* sin = reinterpret_cast<sockaddr_in*>(&e.storage);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    inet_pton(AF_INET, ip, &sin->sin_addr);
    e.length = sizeof(sockaddr_in);
    return e;
}

} // namespace

TEST(DiscoveryCodec, AProbeIsPaddedToExactlyItsSizeAndReadsBack) {
    for (std::size_t size : {pd::kMinProbeBytes, std::size_t{1024}, pd::kProbeBytes, pd::kMaxProbeBytes - 16}) {
        const auto bytes = pd::encode_probe({4, 0x1122334455667788ull}, size);
        EXPECT_EQ(bytes.size(), size);
        auto probe = pd::decode_probe(bytes);
        ASSERT_TRUE(probe) << size;
        EXPECT_EQ(*probe, (pd::Probe{4, 0x1122334455667788ull}));
    }
}

TEST(DiscoveryCodec, MalformedProbesAreRefused) {
    auto good = pd::encode_probe({4, 7});
    EXPECT_EQ(pd::decode_probe(std::span(good).first(pd::kMinProbeBytes - 8)).error(), protocol::DecodeError::TooShort);
    auto big = pd::encode_probe({4, 7}, pd::kMaxProbeBytes);
    big.resize(pd::kMaxProbeBytes + 8, 0);
    EXPECT_EQ(pd::decode_probe(big).error(), protocol::DecodeError::TooLong);
    auto wrong_id = good;
    wrong_id[4] = 'X';
    EXPECT_EQ(pd::decode_probe(wrong_id).error(), protocol::DecodeError::NotVerified);
    auto padded_nonzero = good;
    padded_nonzero[good.size() / 2] = 1; // inside the padding vector
    EXPECT_FALSE(pd::decode_probe(padded_nonzero));
    std::vector<std::uint8_t> zeros(pd::kProbeBytes, 0);
    EXPECT_FALSE(pd::decode_probe(zeros));
    // An Answer is not a Probe.
    auto answer = pd::encode_answer({7, sample_info(), 1}, pd::kProbeBytes);
    answer.resize(pd::kProbeBytes, 0);
    EXPECT_FALSE(pd::decode_probe(answer));
}

TEST(DiscoveryCodec, AnAnswerNeverOutgrowsItsProbeAndCutsMapsToFit) {
    pd::Answer answer{42, sample_info(pd::kMaxMaps), 99};
    answer.info.name = std::string(pd::kMaxServerNameBytes, 'n');
    for (std::size_t limit : {pd::kMinProbeBytes, std::size_t{800}, pd::kProbeBytes}) {
        const auto bytes = pd::encode_answer(answer, limit);
        ASSERT_FALSE(bytes.empty()) << limit;
        EXPECT_LE(bytes.size(), limit);
        auto back = pd::decode_answer(bytes);
        ASSERT_TRUE(back);
        EXPECT_EQ(back->nonce, 42u);
        EXPECT_EQ(back->instance, 99u);
        EXPECT_EQ(back->info.map_count, pd::kMaxMaps);
        EXPECT_LT(back->info.maps.size(), pd::kMaxMaps) << "64 long map names never fit: some are cut";
        EXPECT_GT(back->info.maps.size(), 0u);
        EXPECT_EQ(back->info.maps[0], "arena");
        EXPECT_EQ(back->info.name, answer.info.name);
    }
    const pd::Answer small{1, sample_info(2), 2};
    EXPECT_EQ(pd::decode_answer(pd::encode_answer(small, pd::kProbeBytes)).value(), small);
}

TEST(DiscoveryCodec, AnswersWithFieldsOutOfRangeAreRefused) {
    auto bad_tick = sample_info();
    bad_tick.tick_rate_hz = 500;
    EXPECT_FALSE(pd::decode_answer(pd::encode_answer({1, bad_tick, 1}, pd::kProbeBytes)));
    auto control = sample_info();
    control.name = "evil\x1b[2J";
    EXPECT_FALSE(pd::decode_answer(pd::encode_answer({1, control, 1}, pd::kProbeBytes)));
    EXPECT_NE(pd::check_info(control), "");
    auto more_maps = sample_info(3);
    more_maps.map_count = 2; // lists more than it says it has
    EXPECT_FALSE(pd::decode_answer(pd::encode_answer({1, more_maps, 1}, pd::kProbeBytes)));
    EXPECT_EQ(pd::check_info(sample_info()), "");
}

TEST(DiscoveryCodec, APlayerPageHoldsWhatFitsAndSaysWhereItStarts) {
    pd::PlayerList list;
    list.total = 200;
    list.first = 10;
    for (int i = 0; i < 100; ++i)
        list.players.push_back({"player-with-a-long-name" + std::to_string(i % 10), static_cast<std::int16_t>(i), 2,
                                static_cast<std::uint32_t>(i * 7), 35, 4});
    std::size_t sent = 0;
    const auto bytes = pd::encode_query_reply({5, list}, pd::kMaxQueryReplyBytes, &sent);
    ASSERT_FALSE(bytes.empty());
    EXPECT_LE(bytes.size(), pd::kMaxQueryReplyBytes);
    EXPECT_GT(sent, 5u);
    EXPECT_LT(sent, 100u);
    auto back = pd::decode_query_reply(bytes);
    ASSERT_TRUE(back);
    const auto& page = std::get<pd::PlayerList>(back->body);
    EXPECT_EQ(page.total, 200);
    EXPECT_EQ(page.first, 10);
    ASSERT_EQ(page.players.size(), sent);
    EXPECT_EQ(page.players[3], list.players[3]);

    pd::PlayerList past_end{5, 3, {{"a", 1, 1, 1, 1, 1}, {"b", 1, 1, 1, 1, 1}, {"c", 1, 1, 1, 1, 1}}};
    EXPECT_FALSE(pd::decode_query_reply(pd::encode_query_reply({5, past_end}, pd::kMaxQueryReplyBytes)))
        << "first + count beyond total";
    const pd::QueryReply info{9, sample_info()};
    EXPECT_EQ(pd::decode_query_reply(pd::encode_query_reply(info, pd::kMaxQueryReplyBytes)).value(), info);
}

TEST(GameQuery, AQueryIsTwentyFourBytesAndOnlyExactlyThatParses) {
    net::Query q{protocol::kProtocolVersion, {1, 2, 3, 4, 5, 6, 7, 8}, 0xa1b2c3d4, net::QueryWhat::Players, 300};
    const auto bytes = net::encode_query(q);
    EXPECT_EQ(bytes.size(), 24u);
    EXPECT_EQ(bytes[17], 0xa1) << "the cookie's bytes as the Challenge carries them";
    EXPECT_EQ(net::parse_query(bytes), q);
    std::vector<std::uint8_t> longer(bytes.begin(), bytes.end());
    longer.push_back(0);
    EXPECT_FALSE(net::parse_query(longer));
    auto what = bytes;
    what[21] = 3;
    EXPECT_FALSE(net::parse_query(what));
    auto info_with_first = net::encode_query({4, {}, 1, net::QueryWhat::Info, 0});
    info_with_first[22] = 1;
    EXPECT_FALSE(net::parse_query(info_with_first));
    const std::vector<std::uint8_t> body{1, 2, 3};
    const auto framed = net::frame_query_reply(body);
    ASSERT_TRUE(net::query_reply_body(framed));
    EXPECT_EQ(std::vector<std::uint8_t>(net::query_reply_body(framed)->begin(), net::query_reply_body(framed)->end()),
              body);
    EXPECT_FALSE(net::query_reply_body(std::span(framed).first(5)));
}

TEST(GameQuery, OnlyAQueryWithItsSendersCookieOfThisEpochOrTheLastIsAnswered) {
    const util::TimePoint start{};
    net::AdmissionGuard guard({}, protocol::kProtocolVersion, start);
    const net::Ipv4Endpoint alice{0x0100007f, 40000}, mallory{0x0200007f, 40000};
    const net::ClientNonce nonce{9, 9, 9, 9, 9, 9, 9, 9};
    const auto challenge = guard.answer_hello(net::encode_hello({protocol::kProtocolVersion, nonce}), alice, start);
    ASSERT_TRUE(challenge);
    const net::Query query{protocol::kProtocolVersion, nonce, challenge->cookie, net::QueryWhat::Info, 0};
    EXPECT_TRUE(guard.check_query(net::encode_query(query), alice, start + 1s));
    EXPECT_FALSE(guard.check_query(net::encode_query(query), mallory, start + 1s)) << "another address";
    EXPECT_FALSE(guard.check_query(net::encode_query(query), {alice.host, 40001}, start + 1s)) << "another port";
    auto forged = query;
    forged.cookie ^= 1;
    EXPECT_FALSE(guard.check_query(net::encode_query(forged), alice, start + 1s));
    auto other_version = query;
    other_version.protocol_version = 3;
    EXPECT_FALSE(guard.check_query(net::encode_query(other_version), alice, start + 1s));
    EXPECT_TRUE(guard.check_query(net::encode_query(query), alice, start + 59s)) << "the next epoch";
    EXPECT_FALSE(guard.check_query(net::encode_query(query), alice, start + 61s)) << "two epochs on";
    const auto& c = guard.counters();
    EXPECT_EQ(c.queries, 7u);
    EXPECT_EQ(c.queries_bad_cookie, 5u);
}

TEST(GameQuery, QueriesFromOneAddressAreRateLimited) {
    const util::TimePoint start{};
    net::AdmissionGuard guard({}, protocol::kProtocolVersion, start);
    const net::Ipv4Endpoint alice{0x0100007f, 40000};
    const auto challenge = guard.answer_hello(net::encode_hello({protocol::kProtocolVersion, {}}), alice, start);
    ASSERT_TRUE(challenge);
    const auto bytes = net::encode_query({protocol::kProtocolVersion, {}, challenge->cookie, net::QueryWhat::Info, 0});
    int answered = 0;
    for (int i = 0; i < 100; ++i) answered += guard.check_query(bytes, alice, start) ? 1 : 0;
    EXPECT_EQ(answered, 16) << "the per-address burst";
    EXPECT_EQ(guard.counters().queries_rate_limited, 84u);
    EXPECT_TRUE(guard.check_query(bytes, alice, start + 1s)) << "refilled at 8 a second";
}

TEST(ProbeAnswerer, AnswersAValidProbeWithNoMoreBytesThanItAndDropsTheRest) {
    server::DiscoveryConfig config;
    server::ProbeAnswerer answerer(config, 77);
    const server::InfoSource info = [] { return sample_info(pd::kMaxMaps); };
    const util::TimePoint now{};
    for (std::size_t size : {pd::kMinProbeBytes, pd::kProbeBytes}) {
        const auto probe = pd::encode_probe({1, 5}, size);
        const auto reply = answerer.answer(probe, endpoint("10.0.0.1", 5000 + static_cast<int>(size)), info, now);
        ASSERT_FALSE(reply.empty());
        EXPECT_LE(reply.size(), probe.size());
        auto answer = pd::decode_answer(reply);
        ASSERT_TRUE(answer);
        EXPECT_EQ(answer->nonce, 5u);
        EXPECT_EQ(answer->instance, 77u);
    }
    EXPECT_TRUE(answerer.answer(std::vector<std::uint8_t>(600, 0), endpoint("10.0.0.2", 1), info, now).empty());
    EXPECT_TRUE(answerer.answer(pd::encode_probe({1, 5}), endpoint("10.0.0.2", 0), info, now).empty()) << "port 0";
    EXPECT_EQ(answerer.counters().malformed, 2u);
    EXPECT_EQ(answerer.counters().answers, 2u);
    EXPECT_LE(answerer.counters().answer_bytes, answerer.counters().probe_bytes);
}

TEST(ProbeAnswerer, RateLimitsPerSourceAddressThenInTotal) {
    server::DiscoveryConfig config;
    config.per_address_burst = 4;
    config.per_address_per_second = 2;
    config.total_burst = 10;
    config.total_per_second = 10;
    server::ProbeAnswerer answerer(config, 1);
    const server::InfoSource info = [] { return sample_info(); };
    const auto probe = pd::encode_probe({1, 5});
    const util::TimePoint t0{};
    int answered = 0;
    for (int port = 1; port <= 20; ++port) answered += answerer.answer(probe, endpoint("10.0.0.1", port), info, t0).empty() ? 0 : 1;
    EXPECT_EQ(answered, 4) << "one address, all its ports together";
    EXPECT_FALSE(answerer.answer(probe, endpoint("10.0.0.9", 1), info, t0).empty()) << "another address has its own";
    EXPECT_EQ(answerer.answer(probe, endpoint("10.0.0.1", 1), info, t0 + 500ms).empty(), false) << "refilled";
    answered = 0;
    for (int host = 10; host < 40; ++host)
        answered += answerer.answer(probe, endpoint(("10.0.1." + std::to_string(host)).c_str(), 1), info, t0 + 500ms)
                            .empty()
                        ? 0
                        : 1;
    EXPECT_LE(answered, 10) << "the total";
    EXPECT_GE(answerer.counters().rate_limited, 36u);
}

TEST(DiscoveryDoc, TheConstantsTableMatchesTheCode) {
    const std::map<std::string, std::string> code = {
        {"discovery.default_port", std::to_string(server::kDefaultDiscoveryPort)},
        {"discovery.ipv6_group", std::string(server::kDiscoveryGroupV6)},
        {"discovery.probe_identifier", std::string(pd::kProbeIdentifier)},
        {"discovery.answer_identifier", std::string(pd::kAnswerIdentifier)},
        {"discovery.min_probe_bytes", std::to_string(pd::kMinProbeBytes)},
        {"discovery.max_probe_bytes", std::to_string(pd::kMaxProbeBytes)},
        {"discovery.client_probe_bytes", std::to_string(pd::kProbeBytes)},
        {"discovery.max_server_name_bytes", std::to_string(pd::kMaxServerNameBytes)},
        {"discovery.max_address_bytes", std::to_string(pd::kMaxAddressBytes)},
        {"discovery.max_maps", std::to_string(pd::kMaxMaps)},
        {"discovery.verifier_max_depth", std::to_string(pd::kVerifierMaxDepth)},
        {"discovery.verifier_max_tables", std::to_string(pd::kVerifierMaxTables)},
        {"discovery.default_per_address_burst", fmt::format("{}", server::DiscoveryConfig{}.per_address_burst)},
        {"discovery.default_per_address_per_second", fmt::format("{}", server::DiscoveryConfig{}.per_address_per_second)},
        {"discovery.default_total_per_second", fmt::format("{}", server::DiscoveryConfig{}.total_per_second)},
        {"query.type", std::to_string(net::kQueryType)},
        {"query.reply_type", std::to_string(net::kQueryReplyType)},
        {"query.bytes", std::to_string(net::kQueryBytes)},
        {"query.reply_header_bytes", std::to_string(net::kQueryReplyHeaderBytes)},
        {"query.reply_identifier", std::string(pd::kQueryReplyIdentifier)},
        {"query.max_reply_body_bytes", std::to_string(pd::kMaxQueryReplyBytes)},
        {"query.default_per_address_burst", fmt::format("{}", net::AdmissionLimits{}.queries_per_address_burst)},
        {"query.default_per_address_per_second", fmt::format("{}", net::AdmissionLimits{}.queries_per_address_per_second)},
        {"query.default_per_second", fmt::format("{}", net::AdmissionLimits{}.queries_per_second)},
    };
    const std::string doc = test::read_protocol_doc();
    std::map<std::string, std::string> documented;
    for (const auto& line : test::lines_between(doc, "<!-- skirmish-discovery-constants: begin -->",
                                                "<!-- skirmish-discovery-constants: end -->")) {
        const auto row = test::cells(line);
        if (row.size() < 2 || row[0] == "Constant" || row[0].starts_with("---")) continue;
        EXPECT_TRUE(documented.emplace(row[0], row[1]).second) << row[0] << " is listed twice";
    }
    for (const auto& [name, value] : code) {
        const auto it = documented.find(name);
        if (it == documented.end()) {
            ADD_FAILURE() << name << " = " << value << " is missing from docs/PROTOCOL.md's discovery constants";
            continue;
        }
        EXPECT_EQ(it->second, value) << name;
    }
    for (const auto& [name, value] : documented)
        EXPECT_TRUE(code.contains(name)) << name << " is documented but not checked here";
}
