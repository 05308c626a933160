// server/bans/ban_list.cpp
#include "server/bans/ban_list.hpp"

#include "shared/util/utf8.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <ctime>

namespace skirmish::server {

// "until 2026-12-02 08:30 UTC (in 29 min)" or "permanently".
std::string describe_ban_end(std::uint64_t expires_unix_ms, std::uint64_t now_ms) {
    if (expires_unix_ms == 0) return "permanently";
    const std::time_t t = static_cast<std::time_t>(expires_unix_ms / 1000);
    std::tm utc{};
    gmtime_r(&t, &utc);
    const std::uint64_t left_s = expires_unix_ms > now_ms ? (expires_unix_ms - now_ms + 999) / 1000 : 0;
    const std::string left = left_s >= 86400 ? fmt::format("{} d {} h", left_s / 86400, left_s % 86400 / 3600)
                             : left_s >= 3600 ? fmt::format("{} h {} min", left_s / 3600, left_s % 3600 / 60)
                             : left_s >= 60   ? fmt::format("{} min", (left_s + 59) / 60)
                                              : fmt::format("{} s", left_s);
    return fmt::format("until {:%Y-%m-%d %H:%M:%S} UTC (in {})", utc, left);
}

std::string ban_key_of_name(const std::string& name) { return util::fold_ascii_case(name); }

util::Result<std::unique_ptr<BanList>, std::string> BanList::open(std::unique_ptr<BanStore> store) {
    auto loaded = store->load();
    if (!loaded) return util::fail(loaded.error());
    std::unique_ptr<BanList> list(new BanList(std::move(store)));
    for (Ban& ban : *loaded) {
        auto key = std::make_pair(ban.kind, ban.target);
        list->bans_.insert_or_assign(std::move(key), std::move(ban));
    }
    return list;
}

std::optional<Ban> BanList::find(const std::string& name, const std::string& address, std::uint64_t now_ms) const {
    const std::lock_guard lock(mutex_);
    for (const auto& key : {std::make_pair(BanKind::Name, ban_key_of_name(name)),
                            std::make_pair(BanKind::Address, address)}) {
        const auto it = bans_.find(key);
        if (it != bans_.end() && !it->second.expired(now_ms)) return it->second;
    }
    return std::nullopt;
}

util::Result<util::Ok, std::string> BanList::add(Ban ban, std::uint64_t now_ms) {
    const std::lock_guard writing(store_mutex_);
    if (ban.kind == BanKind::Name) ban.target = ban_key_of_name(ban.target);
    for (std::string* field : {&ban.target, &ban.reason, &ban.by}) // one line each, in either store
        for (char& c : *field)
            if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    std::vector<Ban> all;
    {
        const std::lock_guard lock(mutex_);
        auto key = std::make_pair(ban.kind, ban.target);
        bans_.insert_or_assign(std::move(key), std::move(ban));
        all = current_locked(now_ms);
    }
    return store_->save(all);
}

util::Result<bool, std::string> BanList::remove(const std::string& target, std::uint64_t now_ms) {
    const std::lock_guard writing(store_mutex_);
    std::vector<Ban> all;
    {
        const std::lock_guard lock(mutex_);
        const std::size_t removed = bans_.erase({BanKind::Name, ban_key_of_name(target)}) +
                                    bans_.erase({BanKind::Address, target});
        if (removed == 0) return false;
        all = current_locked(now_ms);
    }
    if (auto saved = store_->save(all); !saved) return util::fail(saved.error());
    return true;
}

std::vector<Ban> BanList::list(std::uint64_t now_ms) const {
    const std::lock_guard lock(mutex_);
    std::vector<Ban> out;
    for (const auto& [key, ban] : bans_)
        if (!ban.expired(now_ms)) out.push_back(ban);
    return out;
}

std::vector<Ban> BanList::current_locked(std::uint64_t now_ms) {
    std::erase_if(bans_, [&](const auto& entry) { return entry.second.expired(now_ms); });
    std::vector<Ban> all;
    all.reserve(bans_.size());
    for (const auto& [key, ban] : bans_) all.push_back(ban);
    return all;
}

} // namespace skirmish::server
