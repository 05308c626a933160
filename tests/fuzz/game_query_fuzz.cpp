// tests/fuzz/game_query_fuzz.cpp: the game port's Query (shared/net/game_query.hpp)
// as the ENet host's intercept reads it, and AdmissionGuard::check_query. A
// Query that parses encodes back to the same 24 bytes; the guard accepts only
// a Query that parses, of its version, whose cookie it issued to the sender
// (a Challenge the harness obtains first for that address), so bytes with a
// guessed cookie are never answered.
#include "fuzz_support.hpp"

#include "shared/net/admission_guard.hpp"
#include "shared/net/game_query.hpp"

#include <algorithm>
#include <vector>

using namespace skirmish;

namespace {

constexpr std::uint32_t kVersion = 4;

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const fuzz::Bytes d(data, size);
    const auto query = net::parse_query(d);
    if (query) {
        const auto again = net::encode_query(*query);
        SKIRMISH_FUZZ_CHECK(std::equal(again.begin(), again.end(), d.begin(), d.end()));
    }
    static net::AdmissionGuard guard(net::AdmissionLimits{}, kVersion, util::TimePoint{});
    static std::uint64_t inputs = 0;
    const util::TimePoint now{std::chrono::seconds(++inputs)};
    const net::Ipv4Endpoint from{0x0100007f, 40000};
    if (auto accepted = guard.check_query(d, from, now)) {
        SKIRMISH_FUZZ_CHECK(query && *accepted == *query && query->protocol_version == kVersion);
        SKIRMISH_FUZZ_CHECK(guard.check_cookie(query->cookie, from, now).has_value());
    }
    // The same bytes with the sender's real cookie put in are accepted if they parse.
    if (size == net::kQueryBytes) {
        const auto challenge = guard.answer_hello(net::encode_hello({kVersion, {}}), from, now);
        if (challenge && query) {
            net::Query honest = *query;
            honest.protocol_version = kVersion;
            honest.cookie = challenge->cookie;
            const auto bytes = net::encode_query(honest);
            const auto accepted = guard.check_query(bytes, from, now);
            SKIRMISH_FUZZ_CHECK(!accepted || *accepted == honest);
        }
    }
    return 0;
}
