// tests/fuzz/discovery_probe_fuzz.cpp: what the discovery port reads, a Probe
// straight off the socket (shared/protocol/discovery_codec.hpp), and the
// server's decision on it (server/discovery/discovery_responder.hpp). A probe
// that decodes re-encodes at its own size to one that decodes the same; the
// answerer answers only a probe that decodes, never with more bytes than the
// probe, and its answer decodes to the probe's nonce.
#include "fuzz_support.hpp"

#include "server/discovery/discovery_responder.hpp"
#include "shared/protocol/discovery_codec.hpp"

#include <arpa/inet.h>

using namespace skirmish;
namespace pd = protocol::discovery;

namespace {

pd::ServerInfo long_info() {
    pd::ServerInfo info;
    info.name = std::string(pd::kMaxServerNameBytes, 'n');
    info.address = std::string(100, 'a');
    for (std::size_t i = 0; i < pd::kMaxMaps; ++i) info.maps.push_back(std::string(60, 'm') + std::to_string(i));
    info.map_count = static_cast<std::uint16_t>(pd::kMaxMaps);
    info.tick_rate_hz = 60;
    return info;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const fuzz::Bytes d(data, size);
    const auto probe = pd::decode_probe(d);
    if (probe && size % 8 == 0) {
        const auto again = pd::encode_probe(*probe, size);
        SKIRMISH_FUZZ_CHECK(again.size() == size);
        SKIRMISH_FUZZ_CHECK(pd::decode_probe(again).value() == *probe);
    }
    static server::ProbeAnswerer answerer(server::DiscoveryConfig{}, 7);
    static const server::InfoSource info = [] { return long_info(); };
    static std::uint64_t inputs = 0; // a second an input: the rate limits refill
    net::Endpoint from;
    auto* sin = reinterpret_cast<sockaddr_in*>(&from.storage);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(40000);
    sin->sin_addr.s_addr = htonl(0x0a000001);
    from.length = sizeof(sockaddr_in);
    const auto reply = answerer.answer(d, from, info, util::TimePoint{std::chrono::seconds(++inputs)});
    if (!reply.empty()) {
        SKIRMISH_FUZZ_CHECK(probe.has_value());
        SKIRMISH_FUZZ_CHECK(reply.size() <= size);
        auto answer = pd::decode_answer(reply);
        SKIRMISH_FUZZ_CHECK(answer && answer->nonce == probe->nonce);
    }
    return 0;
}
