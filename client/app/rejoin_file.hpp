// client/app/rejoin_file.hpp
//
// What the client keeps to get back into a match after it crashed or lost its
// connection (docs/CLIENT.md, "Rejoin"): the server, the name, the match and
// its reconnect secret, as rejoin.txt beside settings.txt. Written at every
// MatchStart, removed when the match ends or the player leaves it on purpose.
//
//   server = 127.0.0.1:7777
//   name = Ada
//   match = 3
//   secret = 64 hex digits
//   until = 1764633900            (Unix seconds: the match cannot run longer)
//
// IMPORTANT: the file is untrusted: any line out of shape makes the whole file
// read as no rejoin (never a crash). It holds a secret: written owner-only
// (0600) through a temporary file and a rename, and never logged.
#pragma once

#include "client/core/player_session.hpp"
#include "shared/util/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace skirmish::app {

struct SavedRejoin {
    std::string server; // "host:port", as the connect screen takes it
    std::string name;
    client::RejoinTicket ticket;
    std::uint64_t until_unix_s = 0; // after this the match is over whatever happened
    friend bool operator==(const SavedRejoin&, const SavedRejoin&) = default;
};

std::optional<SavedRejoin> parse_rejoin(std::string_view text);
std::string format_rejoin(const SavedRejoin& rejoin);

// A missing, unreadable or malformed file: none.
std::optional<SavedRejoin> load_rejoin(const std::string& path);
util::Result<util::Ok, std::string> save_rejoin(const std::string& path, const SavedRejoin& rejoin);
void forget_rejoin(const std::string& path);

} // namespace skirmish::app
