// server/admin/admin.cpp
#include "server/admin/admin.hpp"

#include "server/lobby/connection_slots.hpp"

#include <fmt/format.h>
#include <sodium.h>

namespace skirmish::server {

namespace pl = protocol::lobby;

namespace {

constexpr auto kLobbyTimeout = std::chrono::seconds(3);

// `target` as the lobby keys addresses (address_key: IPv4, or an IPv6 /64),
// if it is an IP address or an IPv6 /64 as `players` prints it; else nothing (a name).
std::optional<std::string> address_target(const std::string& target) {
    std::string_view text = target;
    if (text.ends_with("/64")) text.remove_suffix(3);
    std::error_code ec;
    const auto address = asio::ip::make_address(std::string(text), ec);
    if (ec || (address.is_v4() && text.size() != target.size())) return std::nullopt;
    return address_key(address);
}

} // namespace

bool verify_admin_password(const std::string& hash, const std::string& candidate) {
    if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES || sodium_init() < 0) return false;
    // libsodium compares the derived key in constant time.
    return crypto_pwhash_str_verify(hash.c_str(), candidate.data(), candidate.size()) == 0;
}

// --- the thread ----------------------------------------------------------------------------

void Admin::start(Parts parts) {
    parts_ = std::move(parts);
    thread_ = std::thread([this] { loop(); });
}

void Admin::stop() {
    {
        const std::lock_guard lock(mutex_);
        if (stopping_ && !thread_.joinable()) return;
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

AdminOutcome Admin::run(std::string line, std::string actor) {
    auto done = std::make_shared<std::promise<AdminOutcome>>();
    auto answer = done->get_future();
    {
        const std::lock_guard lock(mutex_);
        if (stopping_) return {false, "the server is stopping"};
        Job job;
        job.request.command = std::move(line);
        job.request.authenticated = true;
        job.actor = std::move(actor);
        job.console = true;
        job.done = done;
        queue_.push_back(std::move(job)); // the console waits for each answer: it never fills the queue
    }
    wake_.notify_one();
    return answer.get();
}

bool Admin::submit(AdminRequest request) {
    {
        const std::lock_guard lock(mutex_);
        if (stopping_ || queue_.size() >= kMaxQueued) return false;
        Job job;
        job.actor = "admin@" + request.address;
        job.request = std::move(request);
        queue_.push_back(std::move(job));
    }
    wake_.notify_one();
    return true;
}

void Admin::loop() {
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return; // stopping, nothing left
            job = std::move(queue_.front());
            queue_.pop_front();
        }
        bool stopping = false;
        {
            const std::lock_guard lock(mutex_);
            stopping = stopping_;
        }
        if (stopping) {
            if (job.done) job.done->set_value({false, "the server is stopping"});
            else if (job.request.reply) job.request.reply(false, false, "the server is stopping");
            continue;
        }
        work(job);
    }
}

void Admin::work(Job& job) {
    AdminRequest& r = job.request;
    bool authenticated = r.authenticated;
    if (!authenticated) {
        const auto started = std::chrono::steady_clock::now();
        authenticated = verify_admin_password(r.password_hash, r.password);
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
        if (!authenticated) {
            log_.warn("wrong admin password from {} (checked in {:.0f} ms)", r.address, ms);
            emit_event(parts_.events, "admin_refused", {{"address", r.address}, {"why", "wrong_password"}});
            r.reply(false, false, "wrong admin password");
            return;
        }
        log_.info("admin {} authenticated (checked in {:.0f} ms)", job.actor, ms);
        emit_event(parts_.events, "admin_login", {{"address", r.address}});
    }
    AdminOutcome outcome;
    auto parsed = parse_admin_command(r.command);
    if (!parsed) outcome = {false, parsed.error()};
    else outcome = execute(*parsed, job.actor);
    if (job.done) job.done->set_value(std::move(outcome));
    else r.reply(outcome.ok, authenticated, std::move(outcome.text));
}

// --- the commands -------------------------------------------------------------------------------

AdminOutcome Admin::execute(const AdminCommandLine& c, const std::string& actor) {
    switch (c.verb) {
    case AdminVerb::Help: return {true, admin_help(c.text)};
    case AdminVerb::Status: return status();
    case AdminVerb::Players: return list_players();
    case AdminVerb::Rooms: return list_rooms();
    case AdminVerb::Bans: return list_bans();
    case AdminVerb::Kick: return remove_players(c, actor, false);
    case AdminVerb::Ban: return remove_players(c, actor, true);
    case AdminVerb::Unban: return unban(c, actor);
    case AdminVerb::Say: return say(c, actor);
    case AdminVerb::End: return end_match(c, actor);
    case AdminVerb::Map: return next_map(c, actor);
    case AdminVerb::Reload: {
        if (!parts_.hooks.reload) return {false, "reload: this server was started without --config: nothing to read"};
        std::string what = parts_.hooks.reload();
        record(actor, "reload", EventFields::object());
        return {true, std::move(what)};
    }
    case AdminVerb::Quit:
        if (!parts_.hooks.quit) return {false, "quit: not available here"};
        record(actor, "quit", EventFields::object());
        parts_.hooks.quit();
        return {true, "stopping the server: players are told why"};
    }
    return {false, "unknown command: type 'help' for the commands"};
}

bool Admin::on_lobby(std::function<void(Lobby&)> fn) {
    return parts_.lobby && parts_.lobby->run_on_lobby(std::move(fn), kLobbyTimeout);
}

void Admin::record(const std::string& actor, std::string_view action, EventFields fields) {
    EventFields line = EventFields::object();
    line["by"] = actor;
    line["action"] = action;
    for (auto it = fields.begin(); it != fields.end(); ++it) line[it.key()] = it.value();
    log_.info("admin {}: {} {}", actor, action, fields.dump());
    emit_event(parts_.events, "admin_action", std::move(line));
}

AdminOutcome Admin::status() {
    const LobbyStats lobby = parts_.lobby->stats();
    const GameStats game = parts_.game->stats();
    const std::size_t bans = parts_.bans ? parts_.bans->list(parts_.unix_ms()).size() : 0;
    return {true, fmt::format("lobby: {} players, {} rooms, {} connections; game: {} players in {} matches; "
                              "ticks at {} Hz: work p50 {:.2f} ms, p99 {:.2f} ms, {} overruns; {} bans{}",
                              lobby.players, lobby.rooms, lobby.connections_open, game.players, game.matches,
                              parts_.game->config().tick_rate_hz, game.last_second.work_ms_p50,
                              game.last_second.work_ms_p99, game.whole_run.overruns, bans,
                              parts_.bans ? fmt::format(" ({})", parts_.bans->describe()) : std::string(" (off)"))};
}

AdminOutcome Admin::list_players() {
    auto players = std::make_shared<std::vector<Lobby::AdminPlayer>>();
    if (!on_lobby([players](Lobby& lobby) { *players = lobby.admin_players(); }))
        return {false, "the lobby did not answer (is the server stopping?)"};
    if (players->empty()) return {true, "no players"};
    std::string out = fmt::format("{} players: id, name, address, room, match", players->size());
    for (const auto& p : *players)
        out += fmt::format("\n{} {} {} {} {}{}", p.id, p.name, p.address,
                           p.room_id != protocol::kNoRoom ? fmt::format("{}", p.room_id) : "-",
                           p.match_id != protocol::kNoMatch ? fmt::format("{}", p.match_id) : "-",
                           p.spectator ? " (spectator)" : "");
    return {true, out};
}

AdminOutcome Admin::list_rooms() {
    auto rooms = std::make_shared<std::vector<Lobby::AdminRoom>>();
    if (!on_lobby([rooms](Lobby& lobby) { *rooms = lobby.admin_rooms(); }))
        return {false, "the lobby did not answer (is the server stopping?)"};
    if (rooms->empty()) return {true, "no rooms"};
    std::string out = fmt::format("{} rooms: id, name, map, players, match", rooms->size());
    for (const auto& r : *rooms)
        out += fmt::format("\n{} \"{}\" {} {}/{} {}{}{}", r.id, r.name, r.map, r.members, r.max_players,
                           r.match_id != protocol::kNoMatch ? fmt::format("match {}", r.match_id)
                                                            : std::string("waiting"),
                           r.quick_play ? " (quick play)" : "",
                           r.spectators ? fmt::format(" +{} watching", r.spectators) : std::string());
    return {true, out};
}

AdminOutcome Admin::list_bans() {
    if (!parts_.bans) return {true, "bans are off on this server"};
    const std::uint64_t now = parts_.unix_ms();
    const auto bans = parts_.bans->list(now);
    if (bans.empty()) return {true, "no bans"};
    std::string out = fmt::format("{} bans: kind, target, until, by, reason", bans.size());
    for (const Ban& b : bans)
        out += fmt::format("\n{} {} {} {} {}", b.kind == BanKind::Name ? "name" : "address", b.target,
                           describe_ban_end(b.expires_unix_ms, now), b.by, b.reason.empty() ? "-" : b.reason);
    return {true, out};
}

AdminOutcome Admin::remove_players(const AdminCommandLine& c, const std::string& actor, bool ban) {
    const std::uint64_t now = parts_.unix_ms();
    const std::uint64_t expires =
        c.duration.count() == 0 ? 0 : now + static_cast<std::uint64_t>(c.duration.count()) * 1000;
    std::string text;
    if (ban) {
        if (!parts_.bans) return {false, "ban: bans are off on this server"};
        Ban b;
        const auto address = address_target(c.target);
        b.kind = address ? BanKind::Address : BanKind::Name;
        b.target = address ? *address : ban_key_of_name(c.target);
        b.reason = c.text;
        b.by = actor;
        b.created_unix_ms = now;
        b.expires_unix_ms = expires;
        if (auto added = parts_.bans->add(b, now); !added) return {false, fmt::format("ban: {}", added.error())};
        text = fmt::format("you are banned from this server {}{}{}", describe_ban_end(b.expires_unix_ms, now),
                           c.text.empty() ? "" : ": ", c.text);
        record(actor, "ban",
               {{"kind", b.kind == BanKind::Name ? "name" : "address"},
                {"target", b.target},
                {"expires_ms", b.expires_unix_ms},
                {"reason", c.text}});
    } else {
        text = fmt::format("kicked by an administrator{}{}", c.text.empty() ? "" : ": ", c.text);
    }
    auto removed = std::make_shared<std::vector<Lobby::AdminPlayer>>();
    const auto code = ban ? pl::ErrorCode::Banned : pl::ErrorCode::Kicked;
    const std::string target = address_target(c.target).value_or(c.target);
    if (!on_lobby([removed, target, code, text](Lobby& lobby) { *removed = lobby.admin_remove(target, code, text); }))
        return {false, "the lobby did not answer (is the server stopping?)"};
    std::string names;
    for (const auto& p : *removed) {
        if (p.match_id != protocol::kNoMatch) parts_.game->kick_player(p.id, text);
        names += fmt::format("{}{} ({})", names.empty() ? "" : ", ", p.name, p.address);
        if (!ban)
            record(actor, "kick",
                   {{"player_id", sim::to_int(p.id)}, {"name", p.name}, {"address", p.address}, {"reason", c.text}});
    }
    if (ban)
        return {true, fmt::format("banned {} {}{}", c.target, describe_ban_end(expires, now),
                                  removed->empty() ? "; nobody was playing under it" : "; removed " + names)};
    if (removed->empty())
        return {false, fmt::format("kick: no player is named {} or plays from it ('players' lists them)", c.target)};
    return {true, "kicked " + names};
}

AdminOutcome Admin::unban(const AdminCommandLine& c, const std::string& actor) {
    if (!parts_.bans) return {false, "unban: bans are off on this server"};
    const std::string target = address_target(c.target).value_or(c.target);
    auto removed = parts_.bans->remove(target, parts_.unix_ms());
    if (!removed) return {false, fmt::format("unban: {}", removed.error())};
    if (!*removed) return {false, fmt::format("unban: {} is not banned ('bans' lists the bans)", c.target)};
    record(actor, "unban", {{"target", target}});
    return {true, fmt::format("unbanned {}", c.target)};
}

AdminOutcome Admin::say(const AdminCommandLine& c, const std::string& actor) {
    auto reached = std::make_shared<std::size_t>(0);
    const std::string text = c.text;
    if (!on_lobby([reached, text](Lobby& lobby) { *reached = lobby.admin_say(text); }))
        return {false, "the lobby did not answer (is the server stopping?)"};
    record(actor, "say", {{"text", text}});
    return {true, fmt::format("said to {} players", *reached)};
}

AdminOutcome Admin::end_match(const AdminCommandLine& c, const std::string& actor) {
    auto rooms = std::make_shared<std::vector<Lobby::AdminRoom>>();
    if (!on_lobby([rooms](Lobby& lobby) { *rooms = lobby.admin_rooms(); }))
        return {false, "the lobby did not answer (is the server stopping?)"};
    for (const auto& r : *rooms) {
        if (r.id != c.room_id) continue;
        if (r.match_id == protocol::kNoMatch) return {false, fmt::format("end: room {} has no match running", r.id)};
        parts_.game->end_match(r.match_id);
        record(actor, "end_match", {{"room_id", to_int(r.id)}, {"match_id", to_int(r.match_id)}});
        return {true, fmt::format("ending match {} in room {}: its players see the scoreboard", r.match_id, r.id)};
    }
    return {false, fmt::format("end: there is no room {} ('rooms' lists them)", c.room_id)};
}

AdminOutcome Admin::next_map(const AdminCommandLine& c, const std::string& actor) {
    auto result = std::make_shared<util::Result<std::string, std::string>>(std::string());
    const std::string map = c.target;
    const protocol::RoomId room = c.room_id;
    if (!on_lobby([result, map, room](Lobby& lobby) { *result = lobby.admin_next_map(map, room); }))
        return {false, "the lobby did not answer (is the server stopping?)"};
    if (!*result) return {false, "map: " + result->error()};
    record(actor, "map", {{"map", map}, {"room_id", to_int(room)}});
    return {true, **result};
}

} // namespace skirmish::server
