// server/admin/admin_command.cpp
#include "server/admin/admin_command.hpp"

#include "shared/protocol/text_rules.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <vector>

namespace skirmish::server {

namespace {

struct VerbInfo {
    std::string_view word;
    AdminVerb verb;
    std::string_view usage;
};

constexpr std::array<VerbInfo, 13> kVerbs{{
    {"help", AdminVerb::Help, "help [COMMAND]               what each command does"},
    {"status", AdminVerb::Status, "status                       players, rooms, matches, tick time, bans"},
    {"players", AdminVerb::Players, "players                      every player: id, name, address, room, match"},
    {"rooms", AdminVerb::Rooms, "rooms                        every room: id, name, map, players, match"},
    {"bans", AdminVerb::Bans, "bans                         every ban in force, and when it ends"},
    {"kick", AdminVerb::Kick,
     "kick NAME|ADDRESS [REASON]   remove the player(s) from the server; they see the reason (\"a name\" with spaces)"},
    {"ban", AdminVerb::Ban,
     "ban NAME|ADDRESS [DURATION] [REASON]  kick and refuse them at Hello; DURATION 30s, 30m, 2h, 7d, 2w (none: "
     "for ever)"},
    {"unban", AdminVerb::Unban, "unban NAME|ADDRESS           lift a ban"},
    {"say", AdminVerb::Say, "say TEXT                     a line from \"server\" to every player"},
    {"end", AdminVerb::End, "end ROOM                     end the room's running match now (no winner)"},
    {"map", AdminVerb::Map, "map NAME [ROOM]              the map of ROOM's next match, or of quick play's next"},
    {"reload", AdminVerb::Reload, "reload                       read the config file again, as SIGHUP does"},
    {"quit", AdminVerb::Quit, "quit                         stop the server (players are told why)"},
}};

constexpr std::size_t kMaxTargetBytes = 64;
constexpr std::size_t kMaxTextBytes = 200; // a reason or a say line: one chat line
constexpr std::size_t kMaxLineBytes = 1024;
constexpr std::int64_t kMaxBanSeconds = 366LL * 24 * 3600;

std::vector<std::string_view> split_words(std::string_view line, std::size_t max_words) {
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (words.size() < max_words) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        if (i >= line.size()) break;
        std::size_t end = i;
        while (end < line.size() && line[end] != ' ' && line[end] != '\t') ++end;
        words.push_back(line.substr(i, end - i));
        i = end;
    }
    return words;
}

// What is left of `line` after `words` words, spaces trimmed.
std::string_view rest_after(std::string_view line, std::size_t words) {
    std::size_t i = 0;
    for (std::size_t w = 0; w <= words; ++w) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        if (w == words) break;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    }
    std::string_view rest = line.substr(std::min(i, line.size()));
    while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t' || rest.back() == '\r')) rest.remove_suffix(1);
    return rest;
}

util::Result<protocol::RoomId, std::string> parse_room(std::string_view word) {
    std::uint32_t id = 0;
    const auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), id);
    if (ec != std::errc() || end != word.data() + word.size() || id == 0)
        return util::fail(fmt::format("'{}' is not a room number: 'rooms' lists them", word));
    return protocol::RoomId{id};
}

} // namespace

util::Result<std::chrono::seconds, std::string> parse_ban_duration(std::string_view word) {
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), n);
    const std::string_view unit(end, static_cast<std::size_t>(word.data() + word.size() - end));
    std::int64_t scale = 0;
    if (unit == "s") scale = 1;
    else if (unit == "m") scale = 60;
    else if (unit == "h") scale = 3600;
    else if (unit == "d") scale = 86400;
    else if (unit == "w") scale = 7 * 86400;
    if (ec != std::errc() || end == word.data() || scale == 0 || n <= 0)
        return util::fail(fmt::format("'{}' is not a duration: a whole number and s, m, h, d or w (30m, 2h, 7d)", word));
    if (n > kMaxBanSeconds / scale) return util::fail(fmt::format("{} is longer than a year: leave it out to ban for ever", word));
    return std::chrono::seconds(n * scale);
}

util::Result<AdminCommandLine, std::string> parse_admin_command(std::string_view raw) {
    std::string spaced(raw);
    for (char& c : spaced)
        if (c == '\t') c = ' ';
    const std::string_view line = spaced;
    if (!protocol::is_valid_text(line, protocol::free_text(kMaxLineBytes)))
        return util::fail(fmt::format("a command is one line of at most {} bytes of UTF-8 without control characters",
                                      kMaxLineBytes));
    const auto words = split_words(line, 4);
    if (words.empty()) return util::fail(std::string("an empty line: type 'help' for the commands"));
    const VerbInfo* info = nullptr;
    for (const VerbInfo& v : kVerbs)
        if (v.word == words[0]) info = &v;
    if (!info) return util::fail(fmt::format("unknown command '{}': type 'help' for the commands", words[0]));
    AdminCommandLine out;
    out.verb = info->verb;
    const auto usage = [&] { return util::fail(fmt::format("usage: {}", info->usage)); };
    switch (info->verb) {
    case AdminVerb::Help:
        if (words.size() > 1) out.text = std::string(words[1]);
        return out;
    case AdminVerb::Status:
    case AdminVerb::Players:
    case AdminVerb::Rooms:
    case AdminVerb::Bans:
    case AdminVerb::Reload:
    case AdminVerb::Quit:
        if (words.size() > 1) return usage();
        return out;
    case AdminVerb::Kick:
    case AdminVerb::Ban:
    case AdminVerb::Unban: {
        if (words.size() < 2) return usage();
        // The target is one word, or a name in double quotes (names may have spaces).
        std::string_view target = words[1];
        std::string_view rest = rest_after(line, 2);
        if (const std::string_view after_verb = rest_after(line, 1); after_verb.front() == '"') {
            const auto close = after_verb.find('"', 1);
            if (close == std::string_view::npos)
                return util::fail(fmt::format("a quoted name needs its closing quote: {} \"Big Bob\"", words[0]));
            if (close == 1) return util::fail(std::string("a quoted name cannot be empty"));
            target = after_verb.substr(1, close - 1);
            rest = rest_after(after_verb.substr(close + 1), 0);
        }
        if (target.size() > kMaxTargetBytes)
            return util::fail(fmt::format("a name or address is at most {} bytes", kMaxTargetBytes));
        out.target = std::string(target);
        if (info->verb == AdminVerb::Unban) {
            if (!rest.empty()) return usage();
            return out;
        }
        const auto next = split_words(rest, 1);
        if (info->verb == AdminVerb::Ban && !next.empty() && next[0].front() >= '0' && next[0].front() <= '9') {
            auto duration = parse_ban_duration(next[0]);
            if (!duration) return util::fail(duration.error());
            out.duration = *duration;
            rest = rest_after(rest, 1);
        }
        out.text = std::string(rest);
        if (out.text.size() > kMaxTextBytes)
            return util::fail(fmt::format("a reason is at most {} bytes", kMaxTextBytes));
        return out;
    }
    case AdminVerb::Say:
        out.text = std::string(rest_after(line, 1));
        if (out.text.empty()) return usage();
        if (out.text.size() > kMaxTextBytes)
            return util::fail(fmt::format("a line is at most {} bytes", kMaxTextBytes));
        return out;
    case AdminVerb::End: {
        if (words.size() != 2) return usage();
        auto room = parse_room(words[1]);
        if (!room) return util::fail(room.error());
        out.room_id = *room;
        return out;
    }
    case AdminVerb::Map: {
        if (words.size() < 2 || words.size() > 3) return usage();
        out.target = std::string(words[1]);
        if (words.size() == 3) {
            auto room = parse_room(words[2]);
            if (!room) return util::fail(room.error());
            out.room_id = *room;
        }
        return out;
    }
    }
    return usage();
}

std::string admin_help(std::string_view verb) {
    std::string out;
    for (const VerbInfo& v : kVerbs) {
        if (!verb.empty() && v.word != verb) continue;
        out += (out.empty() ? "" : "\n") + std::string(v.usage);
    }
    if (out.empty()) return fmt::format("unknown command '{}': type 'help' for the commands", verb);
    return out;
}

} // namespace skirmish::server
