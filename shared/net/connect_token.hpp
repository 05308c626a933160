// shared/net/connect_token.hpp
//
// Connect tokens: the lobby seals one per player and match; the game port
// opens it and lets the player in only once, before it expires. libsodium
// XChaCha20-Poly1305 (IETF) AEAD under a 32-byte key the two sides share.
// docs/PROTOCOL.md, "Connect token".
//
//   offset  size  field
//   0       1     token format version (kTokenFormatVersion = 2)
//   1       24    nonce (random)
//   25      54    ciphertext of the plaintext below
//   79      16    Poly1305 MAC                       total kConnectTokenBytes = 95
//
//   plaintext (little-endian): token_id u64 | expires_unix_ms u64 | player_id u32 |
//   room_id u32 | match_id u32 | role u8 (0 player, 1 spectator) |
//   name_length u8 (0..24) | name, zero-padded to 24
//
//   associated data (9 bytes): "SKCT" | protocol version u32 LE | format version u8
//
// IMPORTANT: open_token() reads untrusted bytes; it never throws or asserts, and
// refuses a name that breaks the player-name rule (protocol::kPlayerNameText)
// even under a good seal.
// IMPORTANT: time is passed in (Unix milliseconds); nothing here reads a clock.
// IMPORTANT: seal/open/generate are thread-safe. TokenReplayGuard is not: one
// owner (the game thread).
#pragma once

#include "shared/util/result.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace skirmish::net {

using TokenKey = std::array<std::uint8_t, 32>;

inline constexpr std::uint64_t kDefaultTokenLifetimeMs = 10'000;
inline constexpr std::uint8_t kTokenFormatVersion = 2; // 2: the role byte (spectators)
inline constexpr std::size_t kTokenNonceBytes = 24;
inline constexpr std::size_t kTokenMacBytes = 16;
inline constexpr std::size_t kTokenMaxNameBytes = 24; // = protocol::kMaxNameBytes (checked by token_test)
inline constexpr std::size_t kTokenPlaintextBytes = 8 + 8 + 4 + 4 + 4 + 1 + 1 + kTokenMaxNameBytes;
inline constexpr std::size_t kConnectTokenBytes = 1 + kTokenNonceBytes + kTokenPlaintextBytes + kTokenMacBytes;
inline constexpr std::array<char, 4> kTokenAdTag = {'S', 'K', 'C', 'T'};

// What the token lets its holder do in the match.
enum class TokenRole : std::uint8_t { Player = 0, Spectator = 1 };

struct TokenClaims {
    std::uint32_t player_id = 0;
    std::uint32_t room_id = 0;
    std::uint32_t match_id = 0;
    std::string player_name;          // a player name (protocol::kPlayerNameText); longer is cut at a UTF-8 boundary
    std::uint64_t expires_unix_ms = 0;
    std::uint64_t token_id = 0;       // 0 when sealing: a random one is drawn
    TokenRole role = TokenRole::Player; // a spectator watches: no entity, no inputs

    friend bool operator==(const TokenClaims&, const TokenClaims&) = default;
};

enum class TokenError : std::uint8_t {
    Malformed, // wrong size or format version, or a bad plaintext under a good seal
    BadSeal,   // wrong key or tampered
    Expired,
    Reused,
};
std::string_view name(TokenError error);

// A random non-zero token id (libsodium's CSPRNG), for a sealer that must know
// the id it seals (the lobby registers it to withdraw the token later).
std::uint64_t draw_token_id();

// Seals claims under key with a fresh random nonce. If claims.token_id is 0 a
// random non-zero id is drawn. Always kConnectTokenBytes long. The protocol
// version (the caller's: net knows no protocol) is bound into the seal, so a
// token opens only under the version it was sealed for.
std::vector<std::uint8_t> seal_token(const TokenClaims& claims, const TokenKey& key, std::uint32_t protocol_version);

// Opens and checks a token: size and format version, seal (under the same key
// and protocol version), then expiry (expired when now_unix_ms >=
// expires_unix_ms). Reuse is TokenReplayGuard's job.
util::Result<TokenClaims, TokenError> open_token(std::span<const std::uint8_t> token, const TokenKey& key,
                                                 std::uint32_t protocol_version, std::uint64_t now_unix_ms);

// Remembers the ids of tokens already used until they expire, so each token
// admits one connection. Memory is bounded: entries leave when they expire,
// and at most kMaxRemembered live at once.
class TokenReplayGuard {
public:
    static constexpr std::size_t kMaxRemembered = 65'536;

    // True the first time a token id is seen before its expiry. False if it
    // was seen already, if the claims have expired, or if kMaxRemembered
    // unexpired tokens are already remembered (refusing is safe; forgetting
    // one early would let it be replayed).
    bool first_use(const TokenClaims& claims, std::uint64_t now_unix_ms);
    std::size_t remembered() const noexcept { return expiry_of_.size(); }

private:
    void forget_expired(std::uint64_t now_unix_ms);

    std::unordered_map<std::uint64_t, std::uint64_t> expiry_of_;  // token_id → expires_unix_ms
    std::multimap<std::uint64_t, std::uint64_t> by_expiry_;       // expires_unix_ms → token_id
};

// A fresh random key (libsodium's CSPRNG).
TokenKey generate_token_key();
// 64 hex digits → key, for --token-key and config files.
util::Result<TokenKey, std::string> parse_token_key_hex(std::string_view hex);
// The key as 64 lowercase hex digits (the inverse of parse_token_key_hex).
std::string token_key_hex(const TokenKey& key);

} // namespace skirmish::net
