// tests/fuzz/discovery_reply_fuzz.cpp: what a client reads from servers it
// looks for: a discovery Answer (decode_answer) and a game-port query reply
// (query_reply_body, then decode_query_reply), the same bytes tried as each.
// Round trip: what decodes is encoded again (with room for everything); when
// that fits the decoder's size cap (a writer that shares one string among
// fields writes less than ours does), it decodes to the same values.
#include "fuzz_support.hpp"

#include "shared/net/game_query.hpp"
#include "shared/protocol/discovery_codec.hpp"

using namespace skirmish;
namespace pd = protocol::discovery;

namespace {

constexpr std::size_t kRoom = 1 << 20; // no cutting in the round trip

void reply_round_trip(fuzz::Bytes d) {
    const auto reply = pd::decode_query_reply(d);
    if (!reply) return;
    const auto again = pd::encode_query_reply(*reply, kRoom);
    SKIRMISH_FUZZ_CHECK(!again.empty());
    if (again.size() > pd::kMaxQueryReplyBytes) return;
    SKIRMISH_FUZZ_CHECK(pd::decode_query_reply(again).value() == *reply);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const fuzz::Bytes d(data, size);
    if (const auto answer = pd::decode_answer(d)) {
        SKIRMISH_FUZZ_CHECK(pd::check_info(answer->info).empty());
        const auto again = pd::encode_answer(*answer, kRoom);
        SKIRMISH_FUZZ_CHECK(!again.empty());
        if (again.size() <= pd::kMaxProbeBytes) SKIRMISH_FUZZ_CHECK(pd::decode_answer(again).value() == *answer);
    }
    reply_round_trip(d);
    if (const auto body = net::query_reply_body(d)) {
        SKIRMISH_FUZZ_CHECK(body->size() + net::kQueryReplyHeaderBytes == size);
        reply_round_trip(*body);
    }
    return 0;
}
