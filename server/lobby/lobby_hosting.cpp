// server/lobby/lobby_hosting.cpp
//
// The parts of the Lobby a host configures (LobbyHosting): the server
// password, checked at Hello with a per-address budget of wrong guesses, and
// the map rotation of quick-play rooms. The rest of the Lobby: lobby.cpp.
#include "server/lobby/lobby.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>

namespace skirmish::server {

namespace pl = protocol::lobby;
using pl::MessageKind;

namespace {

// Compares in time that does not depend on where the texts differ (their
// hashes are compared with sodium_memcmp), so a guesser learns nothing from it.
bool same_secret(const std::string& a, const std::string& b) {
    unsigned char ha[crypto_generichash_BYTES], hb[crypto_generichash_BYTES];
    crypto_generichash(ha, sizeof ha, reinterpret_cast<const unsigned char*>(a.data()), a.size(), nullptr, 0);
    crypto_generichash(hb, sizeof hb, reinterpret_cast<const unsigned char*>(b.data()), b.size(), nullptr, 0);
    return sodium_memcmp(ha, hb, sizeof ha) == 0;
}

constexpr std::size_t kMaxPasswordAddresses = 4096; // addresses with recent wrong passwords, remembered

} // namespace

// --- the host ---------------------------------------------------------------------------------------

void Lobby::on_hosting_changed(const LobbyHosting& before) {
    if (before.map_rotation != config_.hosting.map_rotation) rotation_next_ = 0;
}

std::optional<pl::Error> Lobby::check_password(const Session& session, const pl::Hello& hello, util::TimePoint now) {
    const std::string& password = config_.hosting.password;
    if (password.empty()) return std::nullopt;
    PasswordAttempts& attempts = attempts_of(session.address, now);
    if (attempts.tokens < 1.0) {
        ++wrong_passwords_;
        return pl::Error{pl::ErrorCode::WrongPassword,
                         fmt::format("too many wrong passwords from {}: wait {:.0f} s, then try again",
                                     session.address, 1.0 / config_.limits.wrong_passwords_per_second),
                         MessageKind::Hello};
    }
    if (same_secret(hello.password, password)) return std::nullopt;
    attempts.tokens -= 1.0;
    ++wrong_passwords_;
    if (const auto line = refusal_line(now))
        log_.info("wrong password from {} (name '{}'){}", session.address, hello.name, *line);
    return pl::Error{pl::ErrorCode::WrongPassword,
                     hello.password.empty() ? std::string("this server needs a password: ask the host for it and "
                                                          "type it in the Password field")
                                            : std::string("wrong password: check it with the host and try again"),
                     MessageKind::Hello};
}

Lobby::PasswordAttempts& Lobby::attempts_of(const std::string& address, util::TimePoint now) {
    const auto& l = config_.limits;
    if (password_attempts_.size() >= kMaxPasswordAddresses && !password_attempts_.contains(address)) {
        // Forget the addresses whose budget has refilled; if none has, all of them.
        std::erase_if(password_attempts_, [&](const auto& entry) {
            return entry.second.tokens + l.wrong_passwords_per_second * util::to_seconds(now - entry.second.last) >=
                   l.wrong_password_burst;
        });
        if (password_attempts_.size() >= kMaxPasswordAddresses) password_attempts_.clear();
    }
    auto [it, fresh] = password_attempts_.try_emplace(address, PasswordAttempts{l.wrong_password_burst, now});
    PasswordAttempts& a = it->second;
    if (!fresh && now > a.last) {
        a.tokens = std::min(l.wrong_password_burst, a.tokens + l.wrong_passwords_per_second * util::to_seconds(now - a.last));
        a.last = now;
    }
    return a;
}

std::string Lobby::take_rotation_map() {
    if (next_quick_play_map_) { // an administrator's `map NAME`: once
        std::string map = std::move(*next_quick_play_map_);
        next_quick_play_map_.reset();
        return map;
    }
    const auto& rotation = config_.hosting.map_rotation;
    for (std::size_t tried = 0; tried < rotation.size(); ++tried) {
        const std::string& map = rotation[rotation_next_++ % rotation.size()];
        if (has_map(map)) return map;
    }
    const protocol::MatchSettings defaults;
    return has_map(defaults.map) ? defaults.map : config_.maps.front();
}

std::string Lobby::rotation_after(const std::string& current) {
    if (next_quick_play_map_) return take_rotation_map();
    const auto& rotation = config_.hosting.map_rotation;
    const auto it = std::find(rotation.begin(), rotation.end(), current);
    if (it == rotation.end()) return rotation.empty() ? current : take_rotation_map();
    const std::string& next = std::next(it) == rotation.end() ? rotation.front() : *std::next(it);
    return has_map(next) ? next : current;
}

} // namespace skirmish::server
