// server/lobby/lobby_admin.cpp
//
// The lobby's part of administration (docs/OPERATIONS.md, "Administration"):
// bans checked at Hello, AdminCommand handed to the admin thread after the
// rate limits (a password check costs ~0.1 s of CPU: never on this thread),
// and what server/admin/ asks of the lobby's state: players, rooms, kicks,
// a server-wide line, the next map.
// IMPORTANT: lobby thread only, like lobby.cpp.
#include "server/lobby/lobby.hpp"
#include "server/lobby/lobby_errors.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace skirmish::server {

namespace pl = protocol::lobby;
using pl::ErrorCode;
using pl::MessageKind;

namespace {

constexpr std::size_t kMaxAdminAddresses = 4096; // addresses with recent admin attempts, remembered

} // namespace

std::optional<std::string> Lobby::refusal_line(util::TimePoint now) {
    if (!refusal_log_.allow(now)) return std::nullopt;
    const std::uint64_t suppressed = refusal_log_.take_refused();
    return suppressed ? fmt::format(" ({} more refusals not logged)", suppressed) : std::string();
}

std::optional<pl::Error> Lobby::check_ban(const Session& session, const pl::Hello& hello, util::TimePoint now) {
    if (!config_.bans) return std::nullopt;
    const std::uint64_t now_ms = config_.now_unix_ms();
    const auto ban = config_.bans->find(hello.name, session.address, now_ms);
    if (!ban) return std::nullopt;
    const bool by_name = ban->kind == BanKind::Name;
    if (const auto line = refusal_line(now)) {
        log_.info("refused '{}' from {}: {} is banned{}", hello.name, session.address,
                  by_name ? "the name" : "the address", *line);
        emit_event(config_.events, "ban_refused",
                   {{"name", hello.name}, {"address", session.address}, {"ban", by_name ? "name" : "address"}});
    }
    return pl::Error{ErrorCode::Banned,
                     fmt::format("{} is banned from this server {}{}{}", by_name ? "this name" : "your address",
                                 describe_ban_end(ban->expires_unix_ms, now_ms), ban->reason.empty() ? "" : ": ",
                                 ban->reason),
                     MessageKind::Hello};
}

void Lobby::handle_admin(SessionId id, Session& session, const pl::AdminCommand& command, util::TimePoint now) {
    const auto refuse = [&](std::string text) { reply(id, pl::AdminReply{false, std::move(text)}); };
    if (!config_.admin || !post_) return refuse("remote administration is not available on this server");
    if (session.admin_pending) return refuse("one admin command at a time: wait for the answer to the last one");
    const std::string& hash = config_.hosting.admin_password_hash;
    const bool authenticated = !hash.empty() && session.admin_hash == hash;
    if (!authenticated) {
        if (hash.empty())
            return refuse("remote administration is off: the server has no admin_password (docs/OPERATIONS.md, "
                          "\"Administration\")");
        if (command.password.empty()) return refuse("send the admin password with the command");
        // Every check spends, right or wrong: a check is what costs.
        if (admin_attempts_.size() >= kMaxAdminAddresses && !admin_attempts_.contains(session.address)) {
            // Forget the addresses whose budget has refilled; if none has, all of them.
            std::erase_if(admin_attempts_, [&](const auto& entry) { return entry.second.refilled(now); });
            if (admin_attempts_.size() >= kMaxAdminAddresses) admin_attempts_.clear();
        }
        auto& mine = admin_attempts_
                         .try_emplace(session.address, config_.limits.admin_attempt_burst,
                                      config_.limits.admin_attempts_per_second, now)
                         .first->second;
        const bool mine_allows = mine.allow(now);
        if (!mine_allows || !admin_attempts_total_.allow(now)) {
            // Refused by everyone's budget: this address's is not spent.
            if (mine_allows) mine.give_back();
            if (const auto line = refusal_line(now)) {
                log_.warn("admin password attempt from {} refused: too many attempts{}", session.address, *line);
                emit_event(config_.events, "admin_refused", {{"address", session.address}, {"why", "rate_limited"}});
            }
            return refuse(fmt::format("too many admin password attempts: at most {:.0f} at once, then one every "
                                      "{:.0f} s from an address; wait and try again",
                                      config_.limits.admin_attempt_burst,
                                      1.0 / config_.limits.admin_attempts_per_second));
        }
    }
    AdminRequest request;
    request.address = session.address;
    request.password = command.password;
    request.password_hash = hash;
    request.command = command.command;
    request.authenticated = authenticated;
    Poster post = post_;
    request.reply = [this, post, id, hash](bool ok, bool proved, std::string text) {
        post([this, id, ok, proved_hash = proved ? hash : std::string(), text = std::move(text)]() mutable {
            on_admin_reply(id, ok, proved_hash, std::move(text));
        });
    };
    if (!config_.admin->submit(std::move(request)))
        return refuse("the server is busy with other admin commands: try again in a few seconds");
    session.admin_pending = true;
}

void Lobby::on_admin_reply(SessionId id, bool ok, const std::string& authenticated_hash, std::string text) {
    const auto it = sessions_.find(raw(id));
    if (it == sessions_.end()) return; // gone while the admin thread worked
    it->second.admin_pending = false;
    if (!authenticated_hash.empty()) it->second.admin_hash = authenticated_hash;
    if (text.size() > pl::kMaxAdminReplyBytes) {
        text.resize(pl::kMaxAdminReplyBytes - 16);
        while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) text.pop_back();
        if (!text.empty()) text.pop_back();
        text += "\n(cut short)";
    }
    reply(id, pl::AdminReply{ok, std::move(text)});
}

// --- what server/admin/ asks --------------------------------------------------------------

std::vector<Lobby::AdminPlayer> Lobby::admin_players() const {
    std::vector<AdminPlayer> out;
    for (const auto& [id, player] : players_) {
        AdminPlayer p{id, player.name, sessions_.at(raw(player.session)).address, player.room_id, protocol::kNoMatch};
        if (const Room* room = find_room(player.room_id)) {
            if (const RoomMember* member = room->find(id)) {
                if (member->in_match) p.match_id = room->match_id;
                p.spectator = member->spectator;
            }
        }
        out.push_back(std::move(p));
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    return out;
}

std::vector<Lobby::AdminRoom> Lobby::admin_rooms() const {
    std::vector<AdminRoom> out;
    for (const auto& [id, room] : rooms_)
        out.push_back({id, room.phase == pl::RoomPhase::InMatch ? room.match_id : protocol::kNoMatch, room.name,
                       room.settings.map, room.players(), room.spectators(), room.settings.max_players,
                       room.quick_play});
    return out;
}

std::vector<Lobby::AdminPlayer> Lobby::admin_remove(const std::string& target, ErrorCode code,
                                                    const std::string& text) {
    const std::string key = util::fold_ascii_case(target);
    std::vector<AdminPlayer> removed;
    for (const AdminPlayer& p : admin_players()) {
        if (util::fold_ascii_case(p.name) != key && p.address != target) continue;
        const Player& player = players_.at(p.id);
        seats_.erase(player.name_key); // no rejoining the match it was removed from
        out_.close(player.session, pl::Error{code, fit_error_text(text), MessageKind::None});
        removed.push_back(p);
    }
    // A player of that name whose lobby connection is gone but who still has a
    // seat (its game connection may still be playing): the seat goes, and the
    // admin takes it out of the match.
    if (const auto seat = seats_.find(key); seat != seats_.end()) {
        const Seat& s = seat->second;
        const bool running = std::any_of(rooms_.begin(), rooms_.end(), [&](const auto& r) {
            return r.second.phase == pl::RoomPhase::InMatch && r.second.match_id == s.match_id;
        });
        if (running) removed.push_back({s.player_id, target, "no lobby connection", s.room_id, s.match_id});
        seats_.erase(seat);
    }
    return removed;
}

std::size_t Lobby::admin_say(const std::string& text) {
    for (const auto& [id, player] : players_)
        reply(player.session, pl::ChatMessage{to_int(player.room_id), 0, "server", text});
    return players_.size();
}

util::Result<std::string, std::string> Lobby::admin_next_map(const std::string& map, protocol::RoomId room_id) {
    if (!has_map(map))
        return util::fail(fmt::format("there is no map '{}' on this server (there are: {})", map,
                                      fmt::join(config_.maps, ", ")));
    if (room_id == protocol::kNoRoom) {
        next_quick_play_map_ = map;
        return fmt::format("the next quick-play room, or quick-play room's next match, plays {}", map);
    }
    Room* room = lookup_room(room_id);
    if (!room) return util::fail(fmt::format("there is no room {} (the command 'rooms' lists them)", room_id));
    if (room->phase == pl::RoomPhase::Waiting) {
        room->settings.map = map;
        push_room_state(*room);
    } else {
        room->next_map = map; // the running match keeps its map (and what RoomState and MatchStart say of it)
    }
    return fmt::format("room {}'s next match plays {}", room_id, map);
}

} // namespace skirmish::server
