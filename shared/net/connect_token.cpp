// shared/net/connect_token.cpp
#include "shared/net/connect_token.hpp"

#include "shared/util/assert.hpp"
#include "shared/util/little_endian.hpp"
#include "shared/util/utf8.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace skirmish::net {

namespace {

static_assert(kTokenNonceBytes == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(kTokenMacBytes == crypto_aead_xchacha20poly1305_ietf_ABYTES);
static_assert(std::tuple_size_v<TokenKey> == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(kConnectTokenBytes == 95);

constexpr std::size_t kNonceOffset = 1;
constexpr std::size_t kCipherOffset = kNonceOffset + kTokenNonceBytes;
constexpr std::size_t kAdBytes = 4 + 4 + 1;

// sodium_init() is idempotent and thread-safe; it returns 1 when already done.
void ensure_sodium() {
    if (sodium_init() < 0) {
        std::fputs("skirmish: libsodium failed to initialise (no system randomness?)\n", stderr);
        std::abort();
    }
}

std::array<std::uint8_t, kAdBytes> associated_data(std::uint32_t protocol_version) {
    std::array<std::uint8_t, kAdBytes> ad{};
    for (std::size_t i = 0; i < kTokenAdTag.size(); ++i) ad[i] = static_cast<std::uint8_t>(kTokenAdTag[i]);
    for (std::size_t i = 0; i < 4; ++i) ad[4 + i] = static_cast<std::uint8_t>(protocol_version >> (8 * i));
    ad[8] = kTokenFormatVersion;
    return ad;
}

// A player name as protocol::kPlayerNameText has it (shared/net does not
// include shared/protocol; tests/net/token_test holds the two to one verdict):
// 1..24 bytes of UTF-8, no control characters, not only spaces.
bool is_player_name(std::string_view name) {
    if (name.empty() || name.size() > kTokenMaxNameBytes) return false;
    bool visible = false;
    for (std::size_t at = 0; at < name.size();) {
        char32_t cp = 0;
        const std::size_t n = util::decode_utf8(name, at, cp);
        if (n == 0 || util::is_control_character(cp)) return false;
        visible = visible || cp != U' ';
        at += n;
    }
    return visible;
}

} // namespace

std::string_view name(TokenError error) {
    switch (error) {
    case TokenError::Malformed: return "malformed token";
    case TokenError::BadSeal: return "token not sealed by this server (wrong key or tampered)";
    case TokenError::Expired: return "token expired";
    case TokenError::Reused: return "token already used";
    }
    return "unknown token error";
}

std::uint64_t draw_token_id() {
    std::uint64_t id = 0;
    while (id == 0) randombytes_buf(&id, sizeof id);
    return id;
}

std::vector<std::uint8_t> seal_token(const TokenClaims& claims, const TokenKey& key, std::uint32_t protocol_version) {
    ensure_sodium();
    const std::uint64_t token_id = claims.token_id != 0 ? claims.token_id : draw_token_id();

    std::array<std::uint8_t, kTokenPlaintextBytes> plain{};
    std::uint8_t* p = plain.data();
    util::put_le(p, token_id);
    util::put_le(p, claims.expires_unix_ms);
    util::put_le(p, claims.player_id);
    util::put_le(p, claims.room_id);
    util::put_le(p, claims.match_id);
    util::put_le(p, static_cast<std::uint8_t>(claims.role));
    const std::size_t name_length = util::utf8_prefix(claims.player_name, kTokenMaxNameBytes).size();
    util::put_le(p, static_cast<std::uint8_t>(name_length));
    std::memcpy(p, claims.player_name.data(), name_length); // the rest stays zero

    std::vector<std::uint8_t> token(kConnectTokenBytes);
    token[0] = kTokenFormatVersion;
    randombytes_buf(token.data() + kNonceOffset, kTokenNonceBytes);
    const auto ad = associated_data(protocol_version);
    unsigned long long cipher_length = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(token.data() + kCipherOffset, &cipher_length, plain.data(),
                                               plain.size(), ad.data(), ad.size(), nullptr,
                                               token.data() + kNonceOffset, key.data());
    SKIRMISH_ASSERT(cipher_length == kTokenPlaintextBytes + kTokenMacBytes);
    sodium_memzero(plain.data(), plain.size());
    return token;
}

util::Result<TokenClaims, TokenError> open_token(std::span<const std::uint8_t> token, const TokenKey& key,
                                                 std::uint32_t protocol_version, std::uint64_t now_unix_ms) {
    if (token.size() != kConnectTokenBytes || token[0] != kTokenFormatVersion) return util::fail(TokenError::Malformed);
    ensure_sodium();
    std::array<std::uint8_t, kTokenPlaintextBytes> plain{};
    const auto ad = associated_data(protocol_version);
    unsigned long long plain_length = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain.data(), &plain_length, nullptr, token.data() + kCipherOffset,
                                                   kTokenPlaintextBytes + kTokenMacBytes, ad.data(), ad.size(),
                                                   token.data() + kNonceOffset, key.data()) != 0)
        return util::fail(TokenError::BadSeal);
    if (plain_length != kTokenPlaintextBytes) return util::fail(TokenError::Malformed);

    TokenClaims claims;
    const std::uint8_t* p = plain.data();
    claims.token_id = util::get_le<std::uint64_t>(p);
    claims.expires_unix_ms = util::get_le<std::uint64_t>(p);
    claims.player_id = util::get_le<std::uint32_t>(p);
    claims.room_id = util::get_le<std::uint32_t>(p);
    claims.match_id = util::get_le<std::uint32_t>(p);
    const std::uint8_t role = util::get_le<std::uint8_t>(p);
    const std::size_t name_length = util::get_le<std::uint8_t>(p);
    if (role > static_cast<std::uint8_t>(TokenRole::Spectator) || name_length > kTokenMaxNameBytes ||
        claims.token_id == 0)
        return util::fail(TokenError::Malformed);
    claims.role = static_cast<TokenRole>(role);
    claims.player_name.assign(reinterpret_cast<const char*>(p), name_length);
    if (!std::all_of(p + name_length, p + kTokenMaxNameBytes, [](std::uint8_t b) { return b == 0; }) ||
        !is_player_name(claims.player_name))
        return util::fail(TokenError::Malformed);
    if (now_unix_ms >= claims.expires_unix_ms) return util::fail(TokenError::Expired);
    return claims;
}

// --- replay guard ----------------------------------------------------------------

void TokenReplayGuard::forget_expired(std::uint64_t now_unix_ms) {
    auto it = by_expiry_.begin();
    while (it != by_expiry_.end() && it->first <= now_unix_ms) {
        expiry_of_.erase(it->second);
        it = by_expiry_.erase(it);
    }
}

bool TokenReplayGuard::first_use(const TokenClaims& claims, std::uint64_t now_unix_ms) {
    forget_expired(now_unix_ms);
    if (now_unix_ms >= claims.expires_unix_ms) return false;
    if (expiry_of_.contains(claims.token_id)) return false;
    if (expiry_of_.size() >= kMaxRemembered) return false;
    expiry_of_.emplace(claims.token_id, claims.expires_unix_ms);
    by_expiry_.emplace(claims.expires_unix_ms, claims.token_id);
    return true;
}

// --- keys ------------------------------------------------------------------------

TokenKey generate_token_key() {
    ensure_sodium();
    TokenKey key{};
    crypto_aead_xchacha20poly1305_ietf_keygen(key.data());
    return key;
}

util::Result<TokenKey, std::string> parse_token_key_hex(std::string_view hex) {
    const std::size_t want = 2 * std::tuple_size_v<TokenKey>;
    if (hex.size() != want)
        return util::fail("a token key is " + std::to_string(want) + " hex digits, got " +
                          std::to_string(hex.size()) + " characters");
    TokenKey key{};
    std::size_t length = 0;
    const char* end = nullptr;
    // Stops at the first character that is not a hex digit; `end` says where
    // (on the first digit of the pair it broke).
    const int rc = sodium_hex2bin(key.data(), key.size(), hex.data(), hex.size(), nullptr, &length, &end);
    if (rc != 0 || length != key.size()) {
        const auto pair = static_cast<std::size_t>(end - hex.data()) / 2;
        return util::fail("a token key is hex digits only (0-9, a-f); character " + std::to_string(2 * pair + 1) +
                          " or " + std::to_string(2 * pair + 2) + " is not one");
    }
    return key;
}

std::string token_key_hex(const TokenKey& key) {
    std::array<char, 2 * std::tuple_size_v<TokenKey> + 1> text{};
    sodium_bin2hex(text.data(), text.size(), key.data(), key.size());
    return std::string(text.data(), text.size() - 1);
}

} // namespace skirmish::net
