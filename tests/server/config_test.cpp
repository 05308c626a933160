// skirmish-server's configuration without the binary: every key of the option
// table set from a TOML file, the command line over the file, every kind of
// error as one line naming the key, --print-config's text read back, a
// reload's changes, the admin password's hash, docs/OPERATIONS.md's table of
// keys and docs/server.toml.
#include "server/config/admin_password.hpp"
#include "server/config/server_settings.hpp"
#include "support/doc_tables.hpp"
#include "support/source_dir.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

using namespace skirmish;
using server::ConfigValue;
namespace fs = std::filesystem;

namespace {

// A TOML file in a fresh temporary folder, removed at the end of the test.
class ConfigFile {
public:
    explicit ConfigFile(const std::string& text) {
        std::string pattern = (fs::temp_directory_path() / "skirmish-config-XXXXXX").string();
        dir_ = mkdtemp(pattern.data());
        path_ = (dir_ / "server.toml").string();
        write(text);
    }
    ~ConfigFile() { fs::remove_all(dir_); }
    void write(const std::string& text) const { std::ofstream(path_) << text; }
    const std::string& path() const { return path_; }

private:
    fs::path dir_;
    std::string path_;
};

// A value other than the default for every key, as TOML and as the option reads it back.
struct Sample {
    std::string toml;
    ConfigValue expected;
};
const std::map<std::string, Sample>& samples() {
    static const std::map<std::string, Sample> table = {
        {"port", {"7788", std::int64_t{7788}}},
        {"bind", {"\"127.0.0.1\"", std::string("127.0.0.1")}},
        {"server_name", {"\"Friday LAN\"", std::string("Friday LAN")}},
        {"maps", {"\"/srv/maps\"", std::string("/srv/maps")}},
        {"token_key", {"\"" + std::string(64, 'a') + "\"", std::string(64, 'a')}},
        {"log_level", {"\"warn\"", std::string("warn")}},
        {"discovery", {"\"off\"", false}},
        {"discovery_port", {"27778", std::int64_t{27778}}},
        {"tick_rate", {"30", std::int64_t{30}}},
        {"snapshot_rate", {"15", std::int64_t{15}}},
        {"delta", {"false", false}},
        {"lag_compensation", {"\"off\"", false}},
        {"max_rewind_ms", {"150", std::int64_t{150}}},
        {"range_coder", {"\"off\"", false}},
        {"record_dir", {"\"/tmp/demos\"", std::string("/tmp/demos")}},
        {"record_state_every", {"90", std::int64_t{90}}},
        {"silence_timeout_ms", {"12000", std::int64_t{12000}}},
        {"max_peers", {"64", std::int64_t{64}}},
        {"challenges_per_second", {"500.5", 500.5}},
        {"challenges_per_address", {"8", 8.0}},
        {"max_connections", {"100", std::int64_t{100}}},
        {"max_per_address", {"10", std::int64_t{10}}},
        {"metrics_address", {"\"127.0.0.1:9107\"", std::string("127.0.0.1:9107")}},
        {"event_log", {"\"/var/log/skirmish.jsonl\"", std::string("/var/log/skirmish.jsonl")}},
        {"db", {"\"/var/lib/skirmish/results.sqlite\"", std::string("/var/lib/skirmish/results.sqlite")}},
        {"motd", {"\"\"\"\nline one\nline two\n\"\"\"", std::string("line one\nline two")}},
        {"password", {"\"friday\"", std::string("friday")}},
        {"admin_password", {"\"s3cret admin\"", std::string("s3cret admin")}},
        {"map_rotation", {"[\"courtyard\", \"arena\"]", std::vector<std::string>{"courtyard", "arena"}}},
        {"room_frag_limit", {"5", std::int64_t{5}}},
        {"room_time_limit_s", {"120", std::int64_t{120}}},
        {"room_join_in_progress", {"\"off\"", false}},
        {"room_spectator_slots", {"2", std::int64_t{2}}},
    };
    return table;
}

std::string every_key_file() {
    std::string text = "# every key\n";
    for (const auto& [key, sample] : samples()) text += key + " = " + sample.toml + "\n";
    return text;
}

std::string load_error(const std::string& toml, const server::CommandLineValues& flags = {}) {
    ConfigFile file(toml);
    auto loaded = server::load_config(file.path(), flags);
    if (loaded) return {};
    const std::string error = loaded.error();
    EXPECT_EQ(error.find('\n'), std::string::npos) << "one line: " << error;
    // The file's name stands for its folder; the tests compare from there.
    const std::string where = file.path();
    std::string out = error;
    for (auto at = out.find(where); at != std::string::npos; at = out.find(where)) out.replace(at, where.size(), "F");
    return out;
}

} // namespace

TEST(ConfigOptions, EveryFlagIsItsKeyWithDashesAndEveryKeyHasATestValue) {
    std::set<std::string> keys;
    for (const auto& o : server::config_options()) {
        EXPECT_TRUE(keys.insert(std::string(o.key)).second) << o.key << " twice";
        if (!o.flag.empty()) {
            std::string flag = "--" + std::string(o.key);
            std::replace(flag.begin(), flag.end(), '_', '-');
            EXPECT_EQ(o.flag, flag) << o.key;
        } else {
            EXPECT_TRUE(o.secret) << o.key << ": only secrets are file-only (so they never show in ps)";
        }
        EXPECT_TRUE(samples().contains(std::string(o.key))) << o.key << " has no value in this test's samples()";
    }
    EXPECT_EQ(keys.size(), samples().size());
}

TEST(ConfigFile, SetsEveryKey) {
    ConfigFile file(every_key_file());
    auto loaded = server::load_config(file.path(), {});
    ASSERT_TRUE(loaded) << loaded.error();
    for (const auto& o : server::config_options()) {
        EXPECT_EQ(o.get(loaded->settings), samples().at(std::string(o.key)).expected) << o.key;
        EXPECT_EQ(loaded->origins.at(std::string(o.key)).source, server::Origin::File) << o.key;
    }
    const auto& s = loaded->settings.server;
    EXPECT_EQ(s.hosting.motd, (std::vector<std::string>{"line one", "line two"}));
    EXPECT_EQ(s.hosting.room_defaults.frag_limit, 5);
    ASSERT_TRUE(s.metrics.has_value());
    EXPECT_EQ(s.metrics->port, 9107);
    ASSERT_TRUE(s.token_key.has_value());
    EXPECT_EQ(loaded->settings.log_level, util::LogLevel::Warn);
}

TEST(ConfigFile, TheCommandLineWinsOverTheFile) {
    ConfigFile file("tick_rate = 30\nserver_name = \"from the file\"\nmotd = \"hello\"\n");
    auto loaded = server::load_config(file.path(), {{"tick_rate", "64"}, {"map_rotation", "arena,courtyard"}});
    ASSERT_TRUE(loaded) << loaded.error();
    EXPECT_EQ(loaded->settings.server.game.tick_rate_hz, 64);
    EXPECT_EQ(loaded->origins.at("tick_rate").source, server::Origin::CommandLine);
    EXPECT_EQ(loaded->settings.server.hosting.server_name, "from the file");
    EXPECT_EQ(loaded->origins.at("server_name").line, 2);
    EXPECT_EQ(loaded->settings.server.hosting.map_rotation, (std::vector<std::string>{"arena", "courtyard"}));
    EXPECT_FALSE(loaded->origins.contains("port")) << "a default has no origin";
}

TEST(ConfigFile, EveryKindOfMistakeIsOneLineNamingTheKey) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"tick_rat = 60\n", "F:1: unknown key 'tick_rat': did you mean 'tick_rate'? (docs/OPERATIONS.md lists every key)"},
        {"flux_capacitor = 1\n", "F:1: unknown key 'flux_capacitor' (docs/OPERATIONS.md lists every key)"},
        {"[server]\nport = 1\n", "F:1: [server]: there are no sections; every key is at the top level"},
        {"\nport = \"7777\"\n", "F:2: port must be a whole number, not a string"},
        {"port = 70000\n", "F:1: port: 70000 is outside 0..65535"},
        {"tick_rate = 5\n", "F:1: tick_rate: 5 is outside 10..128"},
        {"max_rewind_ms = 1.5\n", "F:1: max_rewind_ms must be a whole number, not a decimal number"},
        {"delta = \"maybe\"\n", "F:1: delta must be \"on\" or \"off\", not a string"},
        {"delta = 1\n", "F:1: delta must be \"on\" or \"off\", not a whole number"},
        {"challenges_per_second = true\n", "F:1: challenges_per_second must be a number, not a boolean"},
        {"challenges_per_second = 0.5\n", "F:1: challenges_per_second: 0.5 is outside 1..1000000"},
        {"server_name = 7\n", "F:1: server_name must be a string, not a whole number"},
        {"server_name = \"bell\\u0007\"\n", "F:1: server_name: must be at most 64 bytes of UTF-8 without control"},
        {"map_rotation = \"arena\"\n", "F:1: map_rotation must be an array of strings, not a string"},
        {"map_rotation = [\"arena\", 3]\n", "F:1: map_rotation must be an array of strings, not an array"},
        {"map_rotation = [\"\"]\n", "F:1: map_rotation: '' is not a map name"},
        {"motd = \"1\\n2\\n3\\n4\\n5\\n6\\n7\\n8\\n9\"\n", "F:1: motd: has 9 lines; at most 8"},
        {"motd = \"" + std::string(201, 'm') + "\"\n", "F:1: motd: line 1 must be at most 200 bytes"},
        {"password = \"" + std::string(65, 'p') + "\"\n", "F:1: password: must be at most 64 bytes"},
        {"token_key = \"xyz\"\n", "F:1: token_key: a token key is 64 hex digits"},
        {"log_level = \"loud\"\n", "F:1: log_level: unknown log level 'loud': use debug, info, warn, error or off"},
        {"metrics_address = \"localhost\"\n", "F:1: metrics_address: 'localhost' is not HOST:PORT"},
        {"metrics_address = \"127.0.0.1:99999\"\n", "F:1: metrics_address: '127.0.0.1:99999' is not HOST:PORT"},
        {"room_frag_limit = 0\n", "F:1: room_frag_limit: 0 is outside 1..100"},
        {"room_time_limit_s = 10\n", "F:1: room_time_limit_s: 10 is outside 30..3600"},
        {"room_spectator_slots = 9\n", "F:1: room_spectator_slots: 9 is outside 0..8"},
        {"silence_timeout_ms = 100\n", "F:1: silence_timeout_ms: 100 is outside 200..120000"},
        {"bind = \"\"\n", "F:1: bind: must not be empty"},
        {"tick_rate = 30\nsnapshot_rate = 60\n",
         "F:2: snapshot_rate: 60 snapshots per second is more than the tick rate (30)"},
        {"tick_rate = 10\nsnapshot_rate = 10\nrecord_state_every = 700\n",
         "F:3: record_state_every: 700 ticks is more than a minute at 10 Hz (at most 600)"},
        {"tick_rate = 20\n", "snapshot_rate (the default): 30 snapshots per second is more than the tick rate (20)"},
        {"port = 1\nport = 2\n", "F:2:8: Error while parsing key-value pair: cannot redefine existing integer 'port'"},
        {"port = \n", "F:1:"},
    };
    for (const auto& [toml, expected] : cases) {
        const std::string error = load_error(toml);
        EXPECT_EQ(error.rfind(expected, 0), 0u) << "for:\n" << toml << "got: " << error << "\nwanted: " << expected;
    }
}

TEST(ConfigFile, ABadCommandLineValueNamesTheFlag) {
    auto loaded = server::load_config("", {{"tick_rate", "fast"}});
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error(), "--tick-rate: 'fast' is not a whole number");
    loaded = server::load_config("", {{"delta", "yes"}});
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error(), "--delta: takes 'on' or 'off', not 'yes'");
    loaded = server::load_config("", {{"tick_rate", "30"}, {"snapshot_rate", "31"}});
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error(), "--snapshot-rate: 31 snapshots per second is more than the tick rate (30)");
}

TEST(ConfigFile, AMissingFileIsOneClearLine) {
    auto loaded = server::load_config("/nonexistent/skirmish.toml", {});
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error(), "cannot read the config file /nonexistent/skirmish.toml: No such file or directory");
}

TEST(ConfigFile, TheMapRotationMustNameTheServersMaps) {
    ConfigFile file("\n\nmap_rotation = [\"arena\", \"dust\"]\n");
    auto loaded = server::load_config(file.path(), {});
    ASSERT_TRUE(loaded) << loaded.error();
    EXPECT_TRUE(server::check_map_rotation(*loaded, {"arena", "dust"}));
    auto checked = server::check_map_rotation(*loaded, {"arena", "courtyard"});
    ASSERT_FALSE(checked);
    EXPECT_NE(checked.error().find(":3: map_rotation: there is no map 'dust' in "), std::string::npos) << checked.error();
    EXPECT_NE(checked.error().find("(there are: arena, courtyard)"), std::string::npos) << checked.error();
}

TEST(ConfigFile, PrintConfigShowsEveryKeyAndItsOriginButNoSecretAndReadsBack) {
    ConfigFile file(every_key_file());
    auto loaded = server::load_config(file.path(), {{"tick_rate", "60"}});
    ASSERT_TRUE(loaded) << loaded.error();
    const std::string printed = server::print_config(*loaded);
    for (const auto& o : server::config_options()) {
        const std::string line_start = (o.secret ? "# " : "") + std::string(o.key) + " = ";
        EXPECT_NE(printed.find("\n" + line_start), std::string::npos) << o.key << " is not printed:\n" << printed;
    }
    EXPECT_NE(printed.find("tick_rate = 60  # command line --tick-rate"), std::string::npos) << printed;
    EXPECT_NE(printed.find("port = 7788  # " + file.path() + ":"), std::string::npos) << printed;
    EXPECT_NE(printed.find("# password = (set, not shown)"), std::string::npos) << printed;
    EXPECT_EQ(printed.find("friday"), std::string::npos) << "the password is printed";
    EXPECT_EQ(printed.find("s3cret"), std::string::npos) << "the admin password is printed";
    EXPECT_EQ(printed.find(std::string(64, 'a')), std::string::npos) << "the token key is printed";

    // What it prints is a config file that gives the same settings (but the secrets).
    ConfigFile again(printed);
    auto reread = server::load_config(again.path(), {});
    ASSERT_TRUE(reread) << reread.error();
    for (const auto& o : server::config_options()) {
        if (!o.secret) {
            EXPECT_EQ(o.get(reread->settings), o.get(loaded->settings)) << o.key;
        }
    }

    auto defaults = server::load_config("", {});
    ASSERT_TRUE(defaults);
    const std::string plain = server::print_config(*defaults);
    EXPECT_NE(plain.find("port = 7777  # default"), std::string::npos) << plain;
    EXPECT_NE(plain.find("# password = (not set)  # default"), std::string::npos) << plain;
}

TEST(ConfigReload, LiveOptionsChangeAndRestartOptionsStayAndSecretsAreNotShown) {
    ConfigFile file("server_name = \"A\"\ntick_rate = 60\npassword = \"one\"\n");
    auto running = server::load_config(file.path(), {}).value();
    file.write("server_name = \"B\"\ntick_rate = 30\npassword = \"two\"\nroom_frag_limit = 3\n");
    auto reloaded = server::load_config(file.path(), {}).value();
    const auto changes = server::diff_configs(running, reloaded);
    ASSERT_EQ(changes.size(), 4u);
    EXPECT_EQ(server::describe_changes(changes),
              "server_name \"A\" -> \"B\"; tick_rate 60 -> 30 needs a restart (still 60); password changed; "
              "room_frag_limit 20 -> 3");
    const auto next = server::keep_restart_options(running, reloaded);
    EXPECT_EQ(next.settings.server.game.tick_rate_hz, 60);
    EXPECT_EQ(next.settings.server.hosting.server_name, "B");
    EXPECT_EQ(next.settings.server.hosting.password, "two");
    EXPECT_EQ(next.settings.server.hosting.room_defaults.frag_limit, 3);
    EXPECT_EQ(server::describe_changes({}), "no changes");
}

TEST(AdminPassword, IsKeptOnlyAsAHashThatChecksTheRightPassword) {
    auto hash = server::hash_admin_password("correct horse").value();
    EXPECT_TRUE(server::is_admin_password_hash(hash)) << hash;
    EXPECT_EQ(hash.find("correct horse"), std::string::npos);
    EXPECT_TRUE(server::check_admin_password(hash, "correct horse"));
    EXPECT_FALSE(server::check_admin_password(hash, "correct horsE"));
    EXPECT_FALSE(server::check_admin_password("", "correct horse"));
    EXPECT_EQ(server::hash_admin_password(hash).value(), hash) << "a hash in the file is kept as it is";

    ConfigFile file("admin_password = \"correct horse\"\n");
    auto config = server::load_config(file.path(), {}).value();
    ASSERT_TRUE(server::finish_settings(config));
    const std::string kept = config.settings.server.hosting.admin_password_hash;
    EXPECT_TRUE(server::check_admin_password(kept, "correct horse"));
    auto again = server::load_config(file.path(), {}).value();
    ASSERT_TRUE(server::finish_settings(again, &config));
    EXPECT_EQ(again.settings.server.hosting.admin_password_hash, kept) << "unchanged: not hashed again";
    EXPECT_EQ(config.settings.server.game.admission.challenges_per_address_burst,
              2 * config.settings.server.game.admission.challenges_per_address_per_second);
}

TEST(ConfigDocs, OperationsListsEveryKeyWithItsFlagAndWhetherAReloadAppliesIt) {
    std::ifstream in(test::source_dir() / "docs" / "OPERATIONS.md");
    std::stringstream doc;
    doc << in.rdbuf();
    std::map<std::string, std::vector<std::string>> rows;
    for (const auto& line :
         test::lines_between(doc.str(), "<!-- skirmish-config-keys: begin -->", "<!-- skirmish-config-keys: end -->")) {
        const auto row = test::cells(line);
        if (row.size() < 5 || row[0] == "Key" || row[0].starts_with("---")) continue;
        rows[row[0]] = row;
    }
    for (const auto& o : server::config_options()) {
        const auto it = rows.find(std::string(o.key));
        if (it == rows.end()) {
            ADD_FAILURE() << o.key << " is missing from docs/OPERATIONS.md's table of keys";
            continue;
        }
        const auto& row = it->second;
        EXPECT_EQ(row[1], o.flag.empty() ? "(file only)" : std::string(o.flag)) << o.key;
        EXPECT_EQ(row[3], o.apply == server::Apply::Live ? "at once" : "restart") << o.key;
    }
    EXPECT_EQ(rows.size(), server::config_options().size()) << "docs/OPERATIONS.md lists a key the server does not have";
}

TEST(ConfigDocs, TheExampleServerTomlLoadsAndNamesMapsTheServerHas) {
    const auto path = (test::source_dir() / "docs" / "server.toml").string();
    auto loaded = server::load_config(path, {});
    ASSERT_TRUE(loaded) << loaded.error();
    std::vector<std::string> maps;
    for (const auto& entry : fs::directory_iterator(test::source_dir() / "assets" / "maps"))
        maps.push_back(entry.path().stem().string());
    EXPECT_TRUE(server::check_map_rotation(*loaded, maps));
    const auto& h = loaded->settings.server.hosting;
    EXPECT_FALSE(h.motd.empty());
    EXPECT_FALSE(h.password.empty());
    EXPECT_FALSE(loaded->settings.admin_password.empty());
    EXPECT_GE(h.map_rotation.size(), 2u);
    EXPECT_TRUE(loaded->settings.server.metrics.has_value());
    EXPECT_FALSE(loaded->settings.event_log.empty());
    EXPECT_EQ(loaded->settings.db, "skirmish-results.sqlite");
}

TEST(ConfigFile, TheResultsDatabaseIsInTheDataFolderByDefault) {
    // The test environment points XDG_DATA_HOME at a folder of its own.
    const std::string data = std::getenv("XDG_DATA_HOME");
    const auto defaults = server::load_config("", {}).value();
    EXPECT_EQ(defaults.settings.db, data + "/skirmish/skirmish-server/results.sqlite");
    EXPECT_EQ(server::load_config("", {{"db", "off"}}).value().settings.db, "off");
    EXPECT_EQ(load_error("db = \"\"\n"), "F:1: db: must not be empty (off: no database)");
}
