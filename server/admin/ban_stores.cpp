// server/admin/ban_stores.cpp
//
// Where bans are kept between runs (ban_list.hpp's BanStore): the results
// database's table bans (schema 2), or a tab-separated file when --db is off.
#include "server/bans/ban_list.hpp"
#include "server/results/results_db.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>

namespace skirmish::server {

namespace {

const char* kind_text(BanKind kind) { return kind == BanKind::Name ? "name" : "address"; }

// Tabs and newlines never reach a field: names and reasons are one line of
// text without control characters (the console's and AdminCommand's rules).
std::string one_field(std::string text) {
    for (char& c : text)
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    return text;
}

class FileBanStore final : public BanStore {
public:
    explicit FileBanStore(std::string path) : path_(std::move(path)) {}
    util::Result<std::vector<Ban>, std::string> load() override {
        std::vector<Ban> bans;
        std::ifstream in(path_);
        if (!in) return bans; // no file yet: no bans
        std::string line;
        int number = 0;
        while (std::getline(in, line)) {
            ++number;
            if (line.empty() || line.front() == '#') continue;
            std::vector<std::string> f; // every field, empty ones too (a ban without a reason ends in a tab)
            for (std::size_t start = 0;;) {
                const std::size_t tab = line.find('\t', start);
                f.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
                if (tab == std::string::npos || f.size() > 6) break;
                start = tab + 1;
            }
            if (f.size() != 6 || (f[0] != "name" && f[0] != "address"))
                return util::fail(fmt::format("{}:{}: not a ban line (kind, target, expires_ms, created_ms, by, "
                                              "reason, tab-separated): fix or remove it",
                                              path_, number));
            Ban ban;
            ban.kind = f[0] == "name" ? BanKind::Name : BanKind::Address;
            ban.target = f[1];
            try {
                ban.expires_unix_ms = std::stoull(f[2]);
                ban.created_unix_ms = std::stoull(f[3]);
            } catch (const std::exception&) {
                return util::fail(fmt::format("{}:{}: the times are not numbers: fix or remove the line", path_, number));
            }
            ban.by = f[4];
            ban.reason = f[5];
            bans.push_back(std::move(ban));
        }
        return bans;
    }
    util::Result<util::Ok, std::string> save(const std::vector<Ban>& bans) override {
        namespace fs = std::filesystem;
        std::error_code ec;
        if (const fs::path folder = fs::path(path_).parent_path(); !folder.empty()) fs::create_directories(folder, ec);
        const std::string temp = path_ + ".new";
        {
            std::ofstream out(temp, std::ios::trunc);
            out << "# skirmish-server bans: kind, target, expires_ms (0: never), created_ms, by, reason\n";
            for (const Ban& b : bans)
                out << kind_text(b.kind) << '\t' << one_field(b.target) << '\t' << b.expires_unix_ms << '\t'
                    << b.created_unix_ms << '\t' << one_field(b.by) << '\t' << one_field(b.reason) << '\n';
            out.flush();
            if (!out) return util::fail(fmt::format("cannot write the bans file {}", temp));
        }
        fs::rename(temp, path_, ec);
        if (ec) return util::fail(fmt::format("cannot replace the bans file {}: {}", path_, ec.message()));
        return util::Ok{};
    }
    std::string describe() const override { return fmt::format("file {}", path_); }

private:
    std::string path_;
};

class DatabaseBanStore final : public BanStore {
public:
    explicit DatabaseBanStore(std::string path) : path_(std::move(path)) {}
    util::Result<std::vector<Ban>, std::string> load() override {
        if (auto opened = open(); !opened) return util::fail(opened.error());
        try {
            std::vector<Ban> bans;
            SQLite::Statement q(db_->connection(),
                                "SELECT kind, target, reason, banned_by, created_ms, expires_ms FROM bans");
            while (q.executeStep()) {
                Ban ban;
                ban.kind = q.getColumn(0).getString() == "name" ? BanKind::Name : BanKind::Address;
                ban.target = q.getColumn(1).getString();
                ban.reason = q.getColumn(2).getString();
                ban.by = q.getColumn(3).getString();
                ban.created_unix_ms = static_cast<std::uint64_t>(q.getColumn(4).getInt64());
                ban.expires_unix_ms = static_cast<std::uint64_t>(q.getColumn(5).getInt64());
                bans.push_back(std::move(ban));
            }
            return bans;
        } catch (const SQLite::Exception& e) {
            return util::fail(fmt::format("reading the bans from {} failed: {}", path_, e.what()));
        }
    }
    util::Result<util::Ok, std::string> save(const std::vector<Ban>& bans) override {
        if (auto opened = open(); !opened) return util::fail(opened.error());
        try {
            SQLite::Transaction tx(db_->connection());
            db_->connection().exec("DELETE FROM bans");
            SQLite::Statement insert(db_->connection(), "INSERT INTO bans VALUES (?, ?, ?, ?, ?, ?)");
            for (const Ban& b : bans) {
                insert.bind(1, kind_text(b.kind));
                insert.bind(2, b.target);
                insert.bind(3, b.reason);
                insert.bind(4, b.by);
                insert.bind(5, static_cast<std::int64_t>(b.created_unix_ms));
                insert.bind(6, static_cast<std::int64_t>(b.expires_unix_ms));
                insert.exec();
                insert.reset();
            }
            tx.commit();
            return util::Ok{};
        } catch (const SQLite::Exception& e) {
            return util::fail(fmt::format("storing the bans in {} failed: {}", path_, e.what()));
        }
    }
    std::string describe() const override { return fmt::format("table bans in {}", path_); }

private:
    util::Result<util::Ok, std::string> open() {
        if (db_) return util::Ok{};
        auto db = ResultsDb::open(path_, ResultsDb::Mode::ReadWrite);
        if (!db) return util::fail(db.error());
        db_ = std::move(db).value();
        return util::Ok{};
    }
    std::string path_;
    std::unique_ptr<ResultsDb> db_; // opened on first use, on the thread that uses it
};

} // namespace

std::unique_ptr<BanStore> make_file_ban_store(std::string path) { return std::make_unique<FileBanStore>(std::move(path)); }
std::unique_ptr<BanStore> make_database_ban_store(std::string path) {
    return std::make_unique<DatabaseBanStore>(std::move(path));
}
std::string default_bans_path() {
    return (std::filesystem::path(default_results_path()).parent_path() / "bans.tsv").string();
}

} // namespace skirmish::server
