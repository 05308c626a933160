// shared/protocol/discovery_codec.hpp
//
// What a server tells those who look for it without joining, as plain values,
// and their bytes (schemas/discovery.fbs): LAN discovery's Probe and Answer
// (docs/PROTOCOL.md, "LAN discovery") and the body of the game port's query
// reply (docs/PROTOCOL.md, "Query"). Pure: no sockets, no clocks.
//
// IMPORTANT: the decoders read untrusted bytes: size bounds, the file
// identifier, flatbuffers::Verifier, every field range-checked and every
// string held to text_rules.hpp; they never throw. The encoders never write
// more than the limit they are given: an answer is never larger than its probe.
#pragma once

#include "shared/protocol/decode_error.hpp"
#include "shared/util/result.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace skirmish::protocol::discovery {

// --- limits (docs/PROTOCOL.md, "LAN discovery constants"; checked by discovery_doc_test) ---
inline constexpr std::string_view kProbeIdentifier = "SKDP";
inline constexpr std::string_view kAnswerIdentifier = "SKDA";
inline constexpr std::string_view kQueryReplyIdentifier = "SKQR";
inline constexpr std::size_t kMinProbeBytes = 512;   // smaller probes are dropped
inline constexpr std::size_t kMaxProbeBytes = 1232;  // larger ones too (an IPv6 datagram that needs no fragments)
inline constexpr std::size_t kProbeBytes = 1200;     // what clients send
inline constexpr std::size_t kMaxQueryReplyBytes = 1200; // a query reply's body, header excluded
inline constexpr std::size_t kMaxServerNameBytes = 64;
inline constexpr std::size_t kMaxAddressBytes = 255;
inline constexpr std::size_t kMaxMaps = 64;
inline constexpr std::size_t kMinAnswerBytes = 512;  // an answer without maps always fits in this
inline constexpr unsigned kVerifierMaxDepth = 8;
inline constexpr unsigned kVerifierMaxTables = 256;

struct ServerInfo {
    std::string name;
    std::string address; // "" : connect to the reply's source address
    std::uint16_t port = 0;
    std::uint32_t protocol_version = 0;
    std::vector<std::string> maps; // perhaps fewer than map_count
    std::uint16_t map_count = 0;
    std::uint16_t players = 0;
    std::uint16_t max_players = 0;
    std::uint16_t rooms = 0;
    std::uint16_t matches = 0;
    std::uint16_t tick_rate_hz = 0;
    bool password = false;
    friend bool operator==(const ServerInfo&, const ServerInfo&) = default;
};

struct Probe {
    std::uint32_t protocol_version = 0;
    std::uint64_t nonce = 0;
    friend bool operator==(const Probe&, const Probe&) = default;
};

struct Answer {
    std::uint64_t nonce = 0;
    ServerInfo info;
    std::uint64_t instance = 0;
    friend bool operator==(const Answer&, const Answer&) = default;
};

struct QueryPlayer {
    std::string name;
    std::int16_t frags = 0;
    std::int16_t deaths = 0;
    std::uint32_t time_s = 0;
    std::uint16_t ping_ms = 0;
    std::uint32_t match_id = 0;
    friend bool operator==(const QueryPlayer&, const QueryPlayer&) = default;
};

struct PlayerList {
    std::uint16_t total = 0;
    std::uint16_t first = 0;
    std::vector<QueryPlayer> players;
    friend bool operator==(const PlayerList&, const PlayerList&) = default;
};

struct QueryReply {
    std::uint64_t nonce = 0;
    std::variant<ServerInfo, PlayerList> body;
    friend bool operator==(const QueryReply&, const QueryReply&) = default;
};

// Why a ServerInfo cannot be sent ("" if it can): text rules and caps.
std::string check_info(const ServerInfo& info);

// Exactly `size` bytes (a multiple of 8 within kMinProbeBytes..kMaxProbeBytes).
std::vector<std::uint8_t> encode_probe(const Probe& probe, std::size_t size = kProbeBytes);
util::Result<Probe, DecodeError> decode_probe(std::span<const std::uint8_t> bytes);

// At most `limit` bytes (≥ kMinAnswerBytes): maps are left out from the end
// until it fits (map_count still says how many there are). `info` must pass check_info().
std::vector<std::uint8_t> encode_answer(const Answer& answer, std::size_t limit);
util::Result<Answer, DecodeError> decode_answer(std::span<const std::uint8_t> bytes);

// At most `limit` bytes (≥ kMinAnswerBytes): players or maps are left out
// from the end until it fits. For a PlayerList, `players` that were sent are
// reported through `sent` (the next page starts at first + sent).
std::vector<std::uint8_t> encode_query_reply(const QueryReply& reply, std::size_t limit, std::size_t* sent = nullptr);
util::Result<QueryReply, DecodeError> decode_query_reply(std::span<const std::uint8_t> bytes);

} // namespace skirmish::protocol::discovery
