// server/admin/admin_command.hpp
//
// The administration language, the same on the console and remotely
// (docs/OPERATIONS.md, "Administration"): one line, a verb and its words.
// parse_admin_command() turns a line into an AdminCommandLine or one line of
// error for a person; admin_help() is what `help` prints.
//
// IMPORTANT: pure: no state, no clock. A line is untrusted text (a remote
// admin's): every word is length-capped, numbers range-checked.
#pragma once

#include "shared/protocol/match_types.hpp"
#include "shared/util/result.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace skirmish::server {

enum class AdminVerb : std::uint8_t { Help, Status, Players, Rooms, Bans, Kick, Ban, Unban, Say, End, Map, Reload, Quit };

struct AdminCommandLine {
    AdminVerb verb = AdminVerb::Help;
    std::string target;                // kick, ban, unban: a name or an address; map: the map
    std::chrono::seconds duration{0};  // ban: 0 is for ever
    std::string text;                  // kick, ban: the reason; say: the line; help: the verb asked about
    protocol::RoomId room_id{};        // end; map: kNoRoom is quick play's next room
};

util::Result<AdminCommandLine, std::string> parse_admin_command(std::string_view line);
// "30s", "30m", "2h", "7d", "2w": a positive whole number and a unit, at most a year.
util::Result<std::chrono::seconds, std::string> parse_ban_duration(std::string_view word);
// Every command, one line each; or one command's line for `help VERB`.
std::string admin_help(std::string_view verb = {});

} // namespace skirmish::server
