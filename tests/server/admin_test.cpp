// The administration language (parse_admin_command: every verb, durations,
// one-line errors) and the ban list (name and address bans, expiry, both
// stores: a file rewritten whole, and the results database's table bans).
#include "server/admin/admin_command.hpp"
#include "server/bans/ban_list.hpp"
#include "server/results/results_db.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace skirmish;
using namespace skirmish::server;
namespace fs = std::filesystem;

namespace {

using test::TempDir;

std::string error_of(std::string_view line) {
    auto parsed = parse_admin_command(line);
    return parsed ? std::string() : parsed.error();
}

} // namespace

TEST(AdminCommand, ParsesEveryVerb) {
    auto ban = parse_admin_command("ban Griefer 30m spamming  the chat ");
    ASSERT_TRUE(ban) << ban.error();
    EXPECT_EQ(ban->verb, AdminVerb::Ban);
    EXPECT_EQ(ban->target, "Griefer");
    EXPECT_EQ(ban->duration, std::chrono::minutes(30));
    EXPECT_EQ(ban->text, "spamming  the chat");
    auto forever = parse_admin_command("ban\t10.0.0.7 rage quitting");
    ASSERT_TRUE(forever);
    EXPECT_EQ(forever->duration.count(), 0);
    EXPECT_EQ(forever->text, "rage quitting");
    auto kick = parse_admin_command("kick bob");
    ASSERT_TRUE(kick);
    EXPECT_EQ(kick->verb, AdminVerb::Kick);
    EXPECT_EQ(kick->text, "");
    auto say = parse_admin_command("say  server restarts in 5 minutes");
    ASSERT_TRUE(say);
    EXPECT_EQ(say->text, "server restarts in 5 minutes");
    auto end = parse_admin_command("end 3");
    ASSERT_TRUE(end);
    EXPECT_EQ(end->room_id, protocol::RoomId{3});
    auto map = parse_admin_command("map courtyard 4");
    ASSERT_TRUE(map);
    EXPECT_EQ(map->target, "courtyard");
    EXPECT_EQ(map->room_id, protocol::RoomId{4});
    // A name with spaces, in double quotes.
    auto quoted = parse_admin_command("ban \"Big Bob\"  2h  camping the spawn");
    ASSERT_TRUE(quoted) << quoted.error();
    EXPECT_EQ(quoted->target, "Big Bob");
    EXPECT_EQ(quoted->duration, std::chrono::hours(2));
    EXPECT_EQ(quoted->text, "camping the spawn");
    auto quoted_kick = parse_admin_command("kick \"Big Bob\"");
    ASSERT_TRUE(quoted_kick) << quoted_kick.error();
    EXPECT_EQ(quoted_kick->target, "Big Bob");
    EXPECT_EQ(quoted_kick->text, "");
    auto quoted_unban = parse_admin_command("unban \"Big Bob\"");
    ASSERT_TRUE(quoted_unban);
    EXPECT_EQ(quoted_unban->target, "Big Bob");
    for (const auto* line : {"help", "help ban", "status", "players", "rooms", "bans", "unban bob", "reload", "quit"})
        EXPECT_TRUE(parse_admin_command(line)) << line;
    EXPECT_NE(admin_help().find("ban NAME|ADDRESS [DURATION] [REASON]"), std::string::npos);
    EXPECT_EQ(admin_help("unban"), "unban NAME|ADDRESS           lift a ban");
}

TEST(AdminCommand, MistakesAreOneLineSayingWhatToDo) {
    EXPECT_EQ(error_of("frobnicate"), "unknown command 'frobnicate': type 'help' for the commands");
    EXPECT_EQ(error_of(""), "an empty line: type 'help' for the commands");
    EXPECT_EQ(error_of("kick"), "usage: kick NAME|ADDRESS [REASON]   remove the player(s) from the server; they see the "
                                "reason (\"a name\" with spaces)");
    EXPECT_EQ(error_of("kick \"Big Bob"), "a quoted name needs its closing quote: kick \"Big Bob\"");
    EXPECT_EQ(error_of("ban \"\" 3m"), "a quoted name cannot be empty");
    EXPECT_EQ(error_of("unban \"Big Bob\" now"), "usage: unban NAME|ADDRESS           lift a ban");
    EXPECT_EQ(error_of("ban bob 99q"), "'99q' is not a duration: a whole number and s, m, h, d or w (30m, 2h, 7d)");
    EXPECT_EQ(error_of("ban bob 0m"), "'0m' is not a duration: a whole number and s, m, h, d or w (30m, 2h, 7d)");
    EXPECT_EQ(error_of("ban bob 400d"), "400d is longer than a year: leave it out to ban for ever");
    EXPECT_EQ(error_of("ban bob 99999999999999999999w"),
              "'99999999999999999999w' is not a duration: a whole number and s, m, h, d or w (30m, 2h, 7d)");
    EXPECT_EQ(error_of("end x"), "'x' is not a room number: 'rooms' lists them");
    EXPECT_EQ(error_of("end 0"), "'0' is not a room number: 'rooms' lists them");
    EXPECT_EQ(error_of("status now"), "usage: status                       players, rooms, matches, tick time, bans");
    EXPECT_NE(error_of("say a\x01b").find("without control characters"), std::string::npos);
    EXPECT_NE(error_of("say \xff").find("UTF-8"), std::string::npos);
    EXPECT_NE(error_of("kick " + std::string(65, 'a')).find("at most 64 bytes"), std::string::npos);
    EXPECT_NE(error_of("say " + std::string(201, 'a')).find("at most 200 bytes"), std::string::npos);
    EXPECT_EQ(parse_ban_duration("2w").value(), std::chrono::hours(24 * 14));
    EXPECT_EQ(parse_ban_duration("45s").value(), std::chrono::seconds(45));
}

TEST(BanList, NamesAndAddressesExpireAndSurviveAReopenOfEitherStore) {
    TempDir dir("skirmish-admin");
    for (const bool database : {false, true}) {
        const auto store = [&] {
            return database ? make_database_ban_store(dir.file("results.sqlite"))
                            : make_file_ban_store(dir.file("sub/bans.tsv"));
        };
        const std::uint64_t now = 1'800'000'000'000;
        {
            auto bans = BanList::open(store());
            ASSERT_TRUE(bans) << bans.error();
            ASSERT_TRUE((*bans)->add({BanKind::Name, "Griefer", "spam\tand\nmore", "console", now, now + 60'000}, now));
            ASSERT_TRUE((*bans)->add({BanKind::Address, "10.0.0.7", "", "admin@127.0.0.1", now, 0}, now));
            ASSERT_TRUE((*bans)->add({BanKind::Name, "brief", "", "console", now, now + 1'000}, now));
            EXPECT_TRUE((*bans)->find("GRIEFER", "192.168.0.1", now));
            EXPECT_FALSE((*bans)->find("brief", "192.168.0.1", now + 1'000)) << "expired at its end";
            EXPECT_EQ((*bans)->find("anyone", "10.0.0.7", now)->kind, BanKind::Address);
            EXPECT_FALSE((*bans)->find("anyone", "10.0.0.8", now));
        }
        auto reopened = BanList::open(store());
        ASSERT_TRUE(reopened) << reopened.error();
        const auto found = (*reopened)->find("griefer", "", now + 59'000);
        ASSERT_TRUE(found) << (database ? "database" : "file");
        EXPECT_EQ(found->reason, "spam and more");
        EXPECT_EQ(found->expires_unix_ms, now + 60'000);
        EXPECT_FALSE((*reopened)->find("griefer", "", now + 60'000));
        EXPECT_EQ((*reopened)->list(now).size(), 3u);
        EXPECT_TRUE((*reopened)->remove("10.0.0.7", now + 2'000).value());
        EXPECT_FALSE((*reopened)->remove("10.0.0.7", now + 2'000).value());
        EXPECT_EQ((*reopened)->list(now + 2'000).size(), 1u) << "the expired one went at the write";
    }
    auto db = ResultsDb::open(dir.file("results.sqlite"), ResultsDb::Mode::ReadOnly);
    ASSERT_TRUE(db);
    EXPECT_EQ((*db)->schema_version(), 2);
}

TEST(BanList, ABrokenBansFileIsOneLineNamingIt) {
    TempDir dir("skirmish-admin");
    std::ofstream(dir.file("bans.tsv")) << "# comment\nname\tbob\tsoon\t0\tconsole\t\n";
    auto bans = BanList::open(make_file_ban_store(dir.file("bans.tsv")));
    ASSERT_FALSE(bans);
    EXPECT_EQ(bans.error(), dir.file("bans.tsv") + ":2: the times are not numbers: fix or remove the line");
    EXPECT_EQ(describe_ban_end(0, 5), "permanently");
    EXPECT_EQ(describe_ban_end(1'800'000'060'000, 1'800'000'000'000), "until 2027-01-15 08:01:00 UTC (in 1 min)");
}
