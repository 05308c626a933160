// Connect tokens: sealed by the lobby, opened once by the game port before
// they expire; anything tampered, expired, reused or sealed under another key
// is refused.
#include "shared/net/connect_token.hpp"

#include "shared/protocol/match_types.hpp"

#include <gtest/gtest.h>

#include <set>

using namespace skirmish::net;

namespace {

constexpr std::uint64_t kNow = 1'700'000'000'000;
constexpr std::uint32_t kVersion = 7; // the caller's protocol version: net only binds it into the seal

TokenClaims claims_for(std::uint32_t player) {
    TokenClaims c;
    c.player_id = player;
    c.room_id = 7;
    c.match_id = 99;
    c.player_name = "player" + std::to_string(player);
    c.expires_unix_ms = kNow + kDefaultTokenLifetimeMs;
    return c;
}

} // namespace

TEST(ConnectToken, SizesMatchTheDocumentedLayout) {
    EXPECT_EQ(kConnectTokenBytes, 95u);
    EXPECT_EQ(kTokenPlaintextBytes, 54u);
    EXPECT_EQ(kTokenMaxNameBytes, skirmish::protocol::kMaxNameBytes);
    const auto token = seal_token(claims_for(1), generate_token_key(), kVersion);
    EXPECT_EQ(token.size(), kConnectTokenBytes);
    EXPECT_EQ(token[0], kTokenFormatVersion);
}

TEST(ConnectToken, OpensWithTheKeyAndCarriesTheClaims) {
    const TokenKey key = generate_token_key();
    TokenClaims claims = claims_for(5);
    claims.player_name = "Zoë ✓";
    const auto token = seal_token(claims, key, kVersion);
    auto opened = open_token(token, key, kVersion, kNow);
    ASSERT_TRUE(opened.has_value()) << name(opened.error());
    EXPECT_NE(opened->token_id, 0u);
    claims.token_id = opened->token_id;
    EXPECT_EQ(*opened, claims);
}

TEST(ConnectToken, CarriesTheRoleAndRefusesAnUnknownOne) {
    const TokenKey key = generate_token_key();
    TokenClaims claims = claims_for(6);
    claims.role = TokenRole::Spectator;
    auto opened = open_token(seal_token(claims, key, kVersion), key, kVersion, kNow);
    ASSERT_TRUE(opened.has_value()) << name(opened.error());
    EXPECT_EQ(opened->role, TokenRole::Spectator);
    EXPECT_EQ(open_token(seal_token(claims_for(6), key, kVersion), key, kVersion, kNow)->role, TokenRole::Player)
        << "a player's token by default";
    claims.role = static_cast<TokenRole>(2); // sealed under the right key, but no such role
    EXPECT_EQ(open_token(seal_token(claims, key, kVersion), key, kVersion, kNow).error(), TokenError::Malformed);
}

TEST(ConnectToken, KeepsAGivenTokenIdAndDrawsDistinctOnes) {
    const TokenKey key = generate_token_key();
    TokenClaims claims = claims_for(1);
    claims.token_id = 12345;
    EXPECT_EQ(open_token(seal_token(claims, key, kVersion), key, kVersion, kNow)->token_id, 12345u);
    std::set<std::uint64_t> ids;
    std::set<std::vector<std::uint8_t>> tokens;
    for (int i = 0; i < 100; ++i) {
        auto token = seal_token(claims_for(1), key, kVersion);
        ids.insert(open_token(token, key, kVersion, kNow)->token_id);
        tokens.insert(token);
    }
    EXPECT_EQ(ids.size(), 100u);
    EXPECT_EQ(tokens.size(), 100u); // fresh nonce each time
}

TEST(ConnectToken, CutsALongNameAtACharacterBoundary) {
    const TokenKey key = generate_token_key();
    TokenClaims claims = claims_for(1);
    claims.player_name = std::string(23, 'a') + "é"; // 25 bytes, é is 2
    auto opened = open_token(seal_token(claims, key, kVersion), key, kVersion, kNow);
    ASSERT_TRUE(opened.has_value());
    EXPECT_EQ(opened->player_name, std::string(23, 'a'));
}

TEST(ConnectToken, RefusesANameThatBreaksTheTextRuleEvenUnderAGoodSeal) {
    using namespace std::string_literals;
    const TokenKey key = generate_token_key();
    for (const std::string& bad : {"ab\0cd"s, "ab\x01" "cd"s, "ab\xff" "cd"s, ""s, "   "s}) {
        TokenClaims claims = claims_for(1);
        claims.player_name = bad;
        auto opened = open_token(seal_token(claims, key, kVersion), key, kVersion, kNow);
        ASSERT_FALSE(opened.has_value()) << testing::PrintToString(bad);
        EXPECT_EQ(opened.error(), TokenError::Malformed);
        EXPECT_FALSE(skirmish::protocol::is_valid_text(bad, skirmish::protocol::kPlayerNameText)); // one verdict
    }
    for (const char* good : {"a", "Zoë ✓", " x ", "twenty-four bytes, exact"}) {
        TokenClaims claims = claims_for(1);
        claims.player_name = good;
        EXPECT_TRUE(open_token(seal_token(claims, key, kVersion), key, kVersion, kNow).has_value()) << good;
        EXPECT_TRUE(skirmish::protocol::is_valid_text(good, skirmish::protocol::kPlayerNameText)) << good;
    }
}

TEST(ConnectToken, RejectsEveryTamperedByte) {
    const TokenKey key = generate_token_key();
    const auto token = seal_token(claims_for(3), key, kVersion);
    for (std::size_t i = 0; i < token.size(); ++i) {
        auto bad = token;
        bad[i] ^= 0x01;
        auto opened = open_token(bad, key, kVersion, kNow);
        ASSERT_FALSE(opened.has_value()) << "byte " << i;
        EXPECT_EQ(opened.error(), i == 0 ? TokenError::Malformed : TokenError::BadSeal) << "byte " << i;
    }
}

TEST(ConnectToken, RejectsAWrongKey) {
    const auto token = seal_token(claims_for(3), generate_token_key(), kVersion);
    EXPECT_EQ(open_token(token, generate_token_key(), kVersion, kNow).error(), TokenError::BadSeal);
}

TEST(ConnectToken, RejectsWrongSizes) {
    const TokenKey key = generate_token_key();
    auto token = seal_token(claims_for(3), key, kVersion);
    EXPECT_EQ(open_token({}, key, kVersion, kNow).error(), TokenError::Malformed);
    EXPECT_EQ(open_token(std::span(token).first(token.size() - 1), key, kVersion, kNow).error(), TokenError::Malformed);
    token.push_back(0);
    EXPECT_EQ(open_token(token, key, kVersion, kNow).error(), TokenError::Malformed);
}

TEST(ConnectToken, OpensOnlyUnderTheProtocolVersionItWasSealedFor) {
    const TokenKey key = generate_token_key();
    const auto token = seal_token(claims_for(3), key, kVersion);
    EXPECT_TRUE(open_token(token, key, kVersion, kNow).has_value());
    EXPECT_EQ(open_token(token, key, kVersion + 1, kNow).error(), TokenError::BadSeal);
}

TEST(ConnectToken, ExpiresAtItsExpiryTime) {
    const TokenKey key = generate_token_key();
    const auto token = seal_token(claims_for(3), key, kVersion);
    EXPECT_TRUE(open_token(token, key, kVersion, kNow + kDefaultTokenLifetimeMs - 1).has_value());
    EXPECT_EQ(open_token(token, key, kVersion, kNow + kDefaultTokenLifetimeMs).error(), TokenError::Expired);
    EXPECT_EQ(open_token(token, key, kVersion, kNow + 1'000'000).error(), TokenError::Expired);
}

TEST(TokenReplayGuard, AdmitsEachTokenOnce) {
    const TokenKey key = generate_token_key();
    TokenReplayGuard guard;
    const auto a = open_token(seal_token(claims_for(1), key, kVersion), key, kVersion, kNow).value();
    const auto b = open_token(seal_token(claims_for(2), key, kVersion), key, kVersion, kNow).value();
    EXPECT_TRUE(guard.first_use(a, kNow));
    EXPECT_FALSE(guard.first_use(a, kNow + 1)); // reused
    EXPECT_TRUE(guard.first_use(b, kNow + 1));
    EXPECT_EQ(guard.remembered(), 2u);
}

TEST(TokenReplayGuard, ForgetsTokensOnceTheyExpire) {
    TokenReplayGuard guard;
    TokenClaims c = claims_for(1);
    c.token_id = 77;
    EXPECT_TRUE(guard.first_use(c, kNow));
    EXPECT_FALSE(guard.first_use(c, c.expires_unix_ms - 1));
    // Past expiry the guard forgets it and refuses it: open_token would too.
    EXPECT_FALSE(guard.first_use(c, c.expires_unix_ms));
    EXPECT_EQ(guard.remembered(), 0u);
}

TEST(TokenReplayGuard, MemoryIsBounded) {
    TokenReplayGuard guard;
    TokenClaims c = claims_for(1);
    for (std::uint64_t id = 1; id <= TokenReplayGuard::kMaxRemembered; ++id) {
        c.token_id = id;
        ASSERT_TRUE(guard.first_use(c, kNow));
    }
    c.token_id = TokenReplayGuard::kMaxRemembered + 1;
    EXPECT_FALSE(guard.first_use(c, kNow)); // full: refuse rather than forget
    EXPECT_EQ(guard.remembered(), TokenReplayGuard::kMaxRemembered);
    // Once the remembered ids expire there is room again.
    const std::uint64_t later = c.expires_unix_ms;
    c.expires_unix_ms += kDefaultTokenLifetimeMs;
    EXPECT_TRUE(guard.first_use(c, later));
    EXPECT_EQ(guard.remembered(), 1u);
}

TEST(TokenKey, ParsesAndPrintsHex) {
    const TokenKey key = generate_token_key();
    const std::string hex = token_key_hex(key);
    EXPECT_EQ(hex.size(), 64u);
    auto back = parse_token_key_hex(hex);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, key);
    std::string upper = hex;
    for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    EXPECT_EQ(parse_token_key_hex(upper).value(), key);
    TokenKey counting{};
    for (std::size_t i = 0; i < counting.size(); ++i) counting[i] = static_cast<std::uint8_t>(i * 8 + 1);
    EXPECT_EQ(token_key_hex(counting), "0109111921293139414951596169717981899199a1a9b1b9c1c9d1d9e1e9f1f9");
}

TEST(TokenKey, RejectsBadHexWithAReadableMessage) {
    EXPECT_NE(parse_token_key_hex("abc").error().find("64 hex digits"), std::string::npos);
    EXPECT_FALSE(parse_token_key_hex(std::string(63, '0') + "g").has_value());
    EXPECT_FALSE(parse_token_key_hex(std::string(66, '0')).has_value());
    // The message points at the pair that holds the bad character.
    EXPECT_NE(parse_token_key_hex(std::string(10, '0') + "x" + std::string(53, '0')).error().find("character 11 or 12"),
              std::string::npos);
    EXPECT_NE(parse_token_key_hex(std::string(11, '0') + "x" + std::string(52, '0')).error().find("character 11 or 12"),
              std::string::npos);
    EXPECT_NE(parse_token_key_hex(std::string(63, '0') + "g").error().find("character 63 or 64"), std::string::npos);
}

TEST(TokenKey, GeneratedKeysDiffer) { EXPECT_NE(generate_token_key(), generate_token_key()); }
