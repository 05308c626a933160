// server/bans/ban_list.hpp
//
// Who may not play here: bans by player name (ASCII case folded) or by IP
// address, each with a reason, who made it and when it ends (or never). The
// lobby asks at every Hello; administrators add and remove them
// (server/admin/admin.hpp). docs/OPERATIONS.md, "Administration".
//
// IMPORTANT: thread-safe. find() is a map lookup under a mutex (the lobby
// thread) that a write holds only to change the map, never while the store
// writes (a database write may wait seconds for its lock). add() and remove()
// write through to the BanStore before they return (the admin thread, never
// the lobby's or the tick's), so a ban survives a restart; if the store fails,
// the change holds in memory until the server stops and the error says so.
// IMPORTANT: an expired ban is ignored by find() and dropped at the next write.
#pragma once

#include "shared/util/result.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace skirmish::server {

enum class BanKind : std::uint8_t { Name, Address };

struct Ban {
    BanKind kind = BanKind::Name;
    std::string target;                // a folded name or an IP address as the lobby sees it
    std::string reason;                // may be empty
    std::string by;                    // "console" or "admin@ADDRESS"
    std::uint64_t created_unix_ms = 0;
    std::uint64_t expires_unix_ms = 0; // 0: never
    bool expired(std::uint64_t now_ms) const { return expires_unix_ms != 0 && now_ms >= expires_unix_ms; }
};

// Where bans are kept between runs: the results database's table `bans`, or a
// file beside it when the database is off.
class BanStore {
public:
    virtual ~BanStore() = default;
    virtual util::Result<std::vector<Ban>, std::string> load() = 0;
    // Replaces what is kept with `bans` (a handful of rows: rewritten whole).
    virtual util::Result<util::Ok, std::string> save(const std::vector<Ban>& bans) = 0;
    virtual std::string describe() const = 0; // for the log: "table bans in FILE"
};

// A tab-separated file, rewritten whole and renamed into place on each change.
std::unique_ptr<BanStore> make_file_ban_store(std::string path);
// The table `bans` of the results database at `path` (schema 2, server/results).
std::unique_ptr<BanStore> make_database_ban_store(std::string path);
// The file bans live in when the database is off: bans.tsv in the data folder.
std::string default_bans_path();

class BanList {
public:
    // Loads what `store` keeps; the error is one line for a person.
    static util::Result<std::unique_ptr<BanList>, std::string> open(std::unique_ptr<BanStore> store);

    // The ban that holds `name` (any case) or `address` out at `now_ms`, if any.
    std::optional<Ban> find(const std::string& name, const std::string& address, std::uint64_t now_ms) const;
    // Adds or replaces the ban on its kind and target, and saves.
    util::Result<util::Ok, std::string> add(Ban ban, std::uint64_t now_ms);
    // Removes the ban on this name or address (either kind); false if there was none.
    util::Result<bool, std::string> remove(const std::string& target, std::uint64_t now_ms);
    std::vector<Ban> list(std::uint64_t now_ms) const;
    std::string describe() const { return store_->describe(); }

private:
    explicit BanList(std::unique_ptr<BanStore> store) : store_(std::move(store)) {}
    // Drops expired bans and returns the rest, for the store (mutex_ held).
    std::vector<Ban> current_locked(std::uint64_t now_ms);

    std::unique_ptr<BanStore> store_;
    std::mutex store_mutex_; // one write at a time, in order, held across store_->save
    mutable std::mutex mutex_; // bans_ only
    std::map<std::pair<BanKind, std::string>, Ban> bans_;
};

// When a ban ends, for a person: "until 2026-12-02 08:30:00 UTC (in 29 min)", or "permanently".
std::string describe_ban_end(std::uint64_t expires_unix_ms, std::uint64_t now_ms);
// "ada" and "Ada" are one name to a ban, as to NameTaken.
std::string ban_key_of_name(const std::string& name);

} // namespace skirmish::server
