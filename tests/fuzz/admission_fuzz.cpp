// tests/fuzz/admission_fuzz.cpp: the game port's admission parsing and its
// datagram walker, on bytes straight off the socket (shared/net/challenge.hpp,
// enet_datagram.hpp, admission_guard.hpp). Hello and Challenge are fixed
// layouts: whatever parses encodes back to the same bytes. A datagram that
// walks cleanly is covered by its commands exactly; pinning bandwidth and
// throttle changes no verdict and leaves nothing to pin; a Challenge the
// guard sends carries a cookie the guard then recognises, with the same key.
//
//   input: u8 peer flags (bit 0 admitted, bit 1 one channel only) | u16 LE incoming
//          reliable of channel 0 | u16 LE of channel 1 | the datagram
#include "fuzz_support.hpp"

#include "shared/net/admission_guard.hpp"
#include "shared/net/challenge.hpp"
#include "shared/net/enet_datagram.hpp"

#include <algorithm>
#include <vector>

using namespace skirmish;

namespace {

constexpr std::size_t kMaxPacketBytes = 64 * 1024;
constexpr std::uint32_t kVersion = 3;

void fuzz_admission_messages(fuzz::Bytes d) {
    if (auto hello = net::parse_hello(d)) {
        const auto again = net::encode_hello(*hello);
        SKIRMISH_FUZZ_CHECK(std::equal(again.begin(), again.end(), d.begin(), d.end()));
    }
    if (auto challenge = net::parse_challenge(d)) {
        const auto again = net::encode_challenge(*challenge);
        SKIRMISH_FUZZ_CHECK(std::equal(again.begin(), again.end(), d.begin(), d.end()));
    }
    // The guard answers only a valid Hello of its version, never with more bytes.
    static net::AdmissionGuard guard(net::AdmissionLimits{}, kVersion, util::TimePoint{});
    static std::uint64_t inputs = 0; // time moves a second an input, so the rate limits refill
    const net::Ipv4Endpoint from{0x0100007f, 40000};
    const util::TimePoint now{std::chrono::seconds(++inputs)};
    if (auto challenge = guard.answer_hello(d, from, now)) {
        auto hello = net::parse_hello(d);
        SKIRMISH_FUZZ_CHECK(hello && hello->protocol_version == kVersion && challenge->nonce == hello->nonce);
        SKIRMISH_FUZZ_CHECK(net::kChallengeBytes <= d.size());
        auto key = guard.check_cookie(challenge->cookie, from, now);
        SKIRMISH_FUZZ_CHECK(key && *key == challenge->key);
    }
}

void fuzz_datagram(const net::PeerView& peer, fuzz::Bytes d) {
    net::ParsedDatagram parsed;
    const net::DatagramFault fault = net::parse_datagram(d, parsed);
    SKIRMISH_FUZZ_CHECK(!net::name(fault).empty());
    if (fault != net::DatagramFault::None) return;
    // The commands tile the datagram after the header, in order.
    std::size_t at = parsed.header.size;
    for (std::size_t i = 0; i < parsed.command_count; ++i) {
        SKIRMISH_FUZZ_CHECK(parsed.commands[i].offset == at && parsed.commands[i].size >= 4);
        at += parsed.commands[i].size;
    }
    SKIRMISH_FUZZ_CHECK(at == d.size());
    const net::DatagramFault connect = net::check_connect(parsed, d);
    const net::DatagramFault from_peer = net::check_from_peer(parsed, d, peer, kMaxPacketBytes);
    (void)net::read_connect(parsed, d);
    // Pinning the limits changes only their fields: same walk, same verdicts, nothing left to pin.
    std::vector<std::uint8_t> pinned(d.begin(), d.end());
    net::pin_limits(parsed, pinned);
    net::ParsedDatagram again;
    SKIRMISH_FUZZ_CHECK(net::parse_datagram(pinned, again) == net::DatagramFault::None);
    SKIRMISH_FUZZ_CHECK(again.command_count == parsed.command_count);
    SKIRMISH_FUZZ_CHECK(!net::asks_other_limits(again, pinned));
    SKIRMISH_FUZZ_CHECK(net::check_connect(again, pinned) == connect);
    SKIRMISH_FUZZ_CHECK(net::check_from_peer(again, pinned, peer, kMaxPacketBytes) == from_peer);
    if (!net::asks_other_limits(parsed, d)) SKIRMISH_FUZZ_CHECK(std::equal(pinned.begin(), pinned.end(), d.begin()));
    // The checksum field reads back what was written.
    net::write_checksum(parsed.header, pinned, 0x12345678u);
    SKIRMISH_FUZZ_CHECK(net::read_checksum(parsed.header, pinned) == 0x12345678u);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 5) return 0;
    net::PeerView peer;
    peer.admitted = (data[0] & 1) != 0;
    peer.channel_count = (data[0] & 2) != 0 ? 1 : 2;
    peer.incoming_reliable[0] = static_cast<std::uint16_t>(data[1] | data[2] << 8);
    peer.incoming_reliable[1] = static_cast<std::uint16_t>(data[3] | data[4] << 8);
    const fuzz::Bytes datagram(data + 5, size - 5);
    fuzz_admission_messages(datagram);
    fuzz_datagram(peer, datagram);
    return 0;
}
