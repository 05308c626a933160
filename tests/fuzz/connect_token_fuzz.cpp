// tests/fuzz/connect_token_fuzz.cpp: connect tokens as the game port opens them.
// A blind forger's bytes only ever reach the seal check, so the harness also
// seals plaintext taken from the input under the test key (as a lobby would)
// to reach the parsing behind the seal; what opens must seal and open again
// to the same claims. The --token-key hex parser rides along.
//
//   input: u8 mode (% 3) | mode 0: raw token
//                        | mode 1: u8 format version | 24 nonce | 54 plaintext | u64 LE now (zero-padded)
//                        | mode 2: token key hex text
#include "fuzz_support.hpp"

#include "shared/net/connect_token.hpp"
#include "shared/protocol/version.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <string>

using namespace skirmish;

namespace {

const net::TokenKey kKey = [] {
    net::TokenKey key{};
    for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(7 * i + 1);
    return key;
}();
constexpr std::uint64_t kNow = 1'700'000'000'000;

template <typename T>
T get_le(const std::uint8_t* p) {
    T v = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) v |= static_cast<T>(static_cast<T>(p[i]) << (8 * i));
    return v;
}

// Seals like net::seal_token (docs/PROTOCOL.md, "Connect token") but with the
// nonce, version byte and plaintext given, whatever they hold.
std::vector<std::uint8_t> seal_raw(std::uint8_t version, const std::uint8_t* nonce, const std::uint8_t* plain) {
    std::array<std::uint8_t, 9> ad{'S', 'K', 'C', 'T'};
    for (std::size_t i = 0; i < 4; ++i) ad[4 + i] = static_cast<std::uint8_t>(protocol::kProtocolVersion >> (8 * i));
    ad[8] = net::kTokenFormatVersion;
    std::vector<std::uint8_t> token(net::kConnectTokenBytes);
    token[0] = version;
    std::copy(nonce, nonce + net::kTokenNonceBytes, token.begin() + 1);
    unsigned long long length = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(token.data() + 1 + net::kTokenNonceBytes, &length, plain,
                                               net::kTokenPlaintextBytes, ad.data(), ad.size(), nullptr, nonce,
                                               kKey.data());
    return token;
}

void fuzz_sealed(const std::uint8_t* data, std::size_t size) {
    constexpr std::size_t kWant = 1 + net::kTokenNonceBytes + net::kTokenPlaintextBytes + 8;
    std::array<std::uint8_t, kWant> in{};
    std::copy(data, data + std::min(size, kWant), in.begin());
    const std::uint8_t* nonce = in.data() + 1;
    const std::uint8_t* plain = nonce + net::kTokenNonceBytes;
    const auto now = get_le<std::uint64_t>(plain + net::kTokenPlaintextBytes);
    const auto token = seal_raw(in[0], nonce, plain);
    auto opened = net::open_token(token, kKey, protocol::kProtocolVersion, now);
    if (!opened) {
        SKIRMISH_FUZZ_CHECK(opened.error() != net::TokenError::BadSeal); // it was sealed under this key
        SKIRMISH_FUZZ_CHECK(!net::name(opened.error()).empty());
        return;
    }
    // The claims are the plaintext's fields, and the name fills the rest with zeros.
    SKIRMISH_FUZZ_CHECK(in[0] == net::kTokenFormatVersion);
    SKIRMISH_FUZZ_CHECK(opened->token_id == get_le<std::uint64_t>(plain) && opened->token_id != 0);
    SKIRMISH_FUZZ_CHECK(opened->expires_unix_ms == get_le<std::uint64_t>(plain + 8) && now < opened->expires_unix_ms);
    SKIRMISH_FUZZ_CHECK(opened->player_id == get_le<std::uint32_t>(plain + 16));
    SKIRMISH_FUZZ_CHECK(opened->room_id == get_le<std::uint32_t>(plain + 20));
    SKIRMISH_FUZZ_CHECK(opened->match_id == get_le<std::uint32_t>(plain + 24));
    SKIRMISH_FUZZ_CHECK(static_cast<std::uint8_t>(opened->role) == plain[28] && plain[28] <= 1);
    SKIRMISH_FUZZ_CHECK(opened->player_name.size() == plain[29]);
    SKIRMISH_FUZZ_CHECK(std::memcmp(opened->player_name.data(), plain + 30, plain[29]) == 0);
    // Round trip: what opened seals (with a fresh nonce) and opens to the same claims.
    const auto resealed = net::seal_token(*opened, kKey, protocol::kProtocolVersion);
    auto again = net::open_token(resealed, kKey, protocol::kProtocolVersion, now);
    SKIRMISH_FUZZ_CHECK(again.has_value() && *again == *opened);
}

void fuzz_key_hex(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    auto key = net::parse_token_key_hex(text);
    if (!key) {
        SKIRMISH_FUZZ_CHECK(!key.error().empty());
        return;
    }
    std::string lower = text;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    SKIRMISH_FUZZ_CHECK(net::token_key_hex(*key) == lower);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    switch (data[0] % 3) {
    case 0: {
        auto opened = net::open_token(std::span(data + 1, size - 1), kKey, protocol::kProtocolVersion, kNow);
        // Without the key nothing opens (a forgery would need to break Poly1305).
        SKIRMISH_FUZZ_CHECK(!opened && (opened.error() == net::TokenError::Malformed ||
                                        opened.error() == net::TokenError::BadSeal));
        break;
    }
    case 1: fuzz_sealed(data + 1, size - 1); break;
    default: fuzz_key_hex(data + 1, size - 1); break;
    }
    return 0;
}
