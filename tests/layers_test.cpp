// The layers, as a test (STYLE.md, "Module boundaries"): every #include in
// the source tree is read and checked against two things.
//   1. The module map: util ← sim ← protocol; util ← net; demo on protocol
//      and sim; server and client core on top of those; app and bots on
//      client core; app_sdl on app; tools and bench on anything of the
//      product; tests on anything but tools and bench. No module includes one
//      above it or beside it, and sim, protocol, net, demo and the SDL-free
//      app keep their third-party rules.
//   2. The build: a header belongs to the one library of its folder, and a
//      target that includes it (directly or through a header of its own)
//      must link that library, directly or through PUBLIC links: the
//      repository-root include path reaches every header, the link list is
//      what says the dependency is meant. The CMakeLists are parsed here.
// The last tests add a wrong include (in memory) and watch each check fail.
#include "skirmish/version.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

// --- the tree ------------------------------------------------------------------------

// Repository-relative path → text, for every C++ file and CMakeLists.txt.
using Tree = std::map<std::string, std::string>;

Tree read_tree() {
    const char* env = std::getenv("SKIRMISH_SOURCE_DIR");
    const fs::path root = env ? fs::path(env) : fs::path(skirmish::kSourceDir);
    Tree tree;
    for (const char* top : {"shared", "server", "client", "tools", "bench", "tests", "schemas"}) {
        if (!fs::exists(root / top)) continue;
        for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
            const fs::path& p = entry.path();
            const std::string ext = p.extension().string();
            if (!entry.is_regular_file() ||
                (ext != ".hpp" && ext != ".cpp" && ext != ".h" && p.filename() != "CMakeLists.txt"))
                continue;
            std::ifstream in(p);
            std::stringstream text;
            text << in.rdbuf();
            tree[fs::relative(p, root).generic_string()] = text.str();
        }
    }
    return tree;
}

std::string dir_of(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

struct Include {
    std::string written;  // as in the #include line
    int line = 0;
    std::string resolved; // the file of the tree it names; "" for third-party and generated headers
};

std::vector<Include> includes_of(const std::string& text) {
    std::vector<Include> out;
    std::istringstream in(text);
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        std::size_t i = line.find_first_not_of(" \t");
        if (i == std::string::npos || line[i] != '#') continue;
        i = line.find_first_not_of(" \t", i + 1);
        if (i == std::string::npos || line.compare(i, 7, "include") != 0) continue;
        i = line.find_first_of("\"<", i + 7);
        if (i == std::string::npos) continue;
        const std::size_t end = line.find_first_of("\">", i + 1);
        if (end == std::string::npos) continue;
        out.push_back({line.substr(i + 1, end - i - 1), number, {}});
    }
    return out;
}

// The file of the tree an include names (root-relative, tests/ for the tests'
// own include directory, or beside the includer), or "" for third-party and
// generated headers.
std::string resolve(const Tree& tree, const std::string& from, const std::string& written) {
    std::vector<std::string> candidates{written};
    if (starts_with(from, "tests/")) candidates.push_back("tests/" + written);
    candidates.push_back(dir_of(from) + "/" + written);
    for (const auto& c : candidates) {
        if (tree.contains(c)) return c;
    }
    return {};
}

// Every file's includes, read and resolved once per tree.
using Includes = std::map<std::string, std::vector<Include>>;

Includes includes_of(const Tree& tree) {
    Includes out;
    for (const auto& [path, text] : tree) {
        if (path.ends_with("CMakeLists.txt")) continue;
        std::vector<Include> found = includes_of(text);
        for (Include& inc : found) inc.resolved = resolve(tree, path, inc.written);
        out[path] = std::move(found);
    }
    return out;
}

// --- modules ---------------------------------------------------------------------------

struct Module {
    std::string prefix;                   // folder, with a trailing slash
    std::vector<std::string> may_include; // other modules' prefixes
    std::string forbidden;                // third-party includes it must not use (a regex), "" for none
};

const std::vector<Module>& modules() {
    static const std::vector<Module> table = [] {
        const std::string util = "shared/util/", sim = "shared/sim/", protocol = "shared/protocol/",
                          net = "shared/net/", demo = "shared/demo/", server = "server/", core = "client/core/", app = "client/app/",
                          app_sdl = "client/app_sdl/", bots = "client/bots/";
        const std::vector<std::string> product{util, sim, protocol, net, demo, server, core, app, app_sdl, bots};
        const std::string no_sdl = R"(^SDL)";
        const std::string no_flatbuffers = R"(^flatbuffers/|_generated\.h$)";
        return std::vector<Module>{
            {util, {}, "^(enet|SDL|asio|sodium)|" + no_flatbuffers},
            {sim, {util}, R"((enet|SDL|flatbuffers|asio|sodium|chrono|thread|random|mutex|iostream|fstream|ctime)\b)"},
            {protocol, {sim, util}, "^(enet|SDL|asio|sodium)"},
            {net, {util}, no_sdl + "|" + no_flatbuffers},
            {demo, {protocol, sim, util}, "^(enet|SDL|asio|sodium)|" + no_flatbuffers},
            {server, {demo, protocol, net, sim, util}, no_sdl + "|" + no_flatbuffers},
            {core, {demo, protocol, net, sim, util}, no_sdl + "|" + no_flatbuffers},
            // The app's logic may use SDL's scancode enum (a header), no SDL call.
            {app, {core, demo, protocol, net, sim, util}, R"(^(?!(SDL2/)?SDL_scancode\.h$)(SDL2/|SDL)|)" + no_flatbuffers},
            {app_sdl, {app, core, protocol, net, sim, util}, no_flatbuffers},
            {bots, {core, protocol, net, sim, util}, no_sdl + "|" + no_flatbuffers},
            {"tools/", product, no_flatbuffers},
            {"bench/", product, no_flatbuffers},
            {"tests/", product, ""},
        };
    }();
    return table;
}

const Module* module_of(const std::string& path) {
    const Module* best = nullptr;
    for (const Module& m : modules()) {
        if (starts_with(path, m.prefix) && (!best || m.prefix.size() > best->prefix.size())) best = &m;
    }
    return best;
}

struct Findings {
    std::vector<std::string> problems;
    void add(std::string text) { problems.push_back(std::move(text)); }
};

void check_layers(const Includes& includes, Findings& f) {
    std::map<const Module*, std::regex> forbidden_by_module;
    for (const Module& m : modules()) forbidden_by_module.emplace(&m, std::regex(m.forbidden.empty() ? "$^" : m.forbidden));
    std::map<std::pair<const Module*, std::string>, bool> verdicts; // a regex is slow; includes repeat
    for (const auto& [path, file_includes] : includes) {
        const Module* from = module_of(path);
        if (!from) continue;
        const std::regex& forbidden = forbidden_by_module.at(from);
        for (const Include& inc : file_includes) {
            const std::string& header = inc.resolved;
            const std::string where = path + ":" + std::to_string(inc.line);
            if (header.empty()) {
                auto [verdict, fresh] = verdicts.try_emplace({from, inc.written}, false);
                if (fresh) verdict->second = std::regex_search(inc.written, forbidden);
                if (verdict->second)
                    f.problems.push_back(where + " includes " + inc.written + ", which " + from->prefix + " must not use");
                continue;
            }
            const Module* to = module_of(header);
            if (!to || to == from) continue;
            if (std::find(from->may_include.begin(), from->may_include.end(), to->prefix) == from->may_include.end())
                f.add(where + " includes " + header + ": " + from->prefix + " may not include " + to->prefix);
        }
    }
}

// --- the build -------------------------------------------------------------------------

struct Target {
    std::string name;
    std::string dir;
    bool library = false;
    bool header_only = false;         // an INTERFACE library: its headers are listed in its sources
    std::vector<std::string> sources; // repository-relative
    std::vector<std::pair<std::string, bool>> links; // name, PUBLIC or INTERFACE
};

struct Build {
    std::map<std::string, Target> targets;
    std::map<std::string, std::string> aliases;
    std::map<std::string, std::string> owners; // header → the library it belongs to

    std::string real(const std::string& name) const {
        auto it = aliases.find(name);
        return it == aliases.end() ? name : it->second;
    }
};

// Every `command(args)` of a CMakeLists, comments removed, arguments split.
std::vector<std::pair<std::string, std::vector<std::string>>> commands_of(const std::string& text) {
    std::string code;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '"') quoted = !quoted;
        if (text[i] == '#' && !quoted) {
            while (i < text.size() && text[i] != '\n') ++i;
        }
        if (i < text.size()) code += text[i];
    }
    // A command is a name, optional blanks, then its parenthesised arguments.
    std::vector<std::pair<std::string, std::vector<std::string>>> out;
    const auto is_name = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    for (std::size_t i = 0; i < code.size();) {
        if (!is_name(code[i]) || (i > 0 && is_name(code[i - 1]))) {
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < code.size() && is_name(code[end])) ++end;
        std::size_t open = end;
        while (open < code.size() && (code[open] == ' ' || code[open] == '\t')) ++open;
        if (open >= code.size() || code[open] != '(') {
            i = end;
            continue;
        }
        int depth = 1;
        std::string args;
        std::size_t j = open + 1;
        for (; j < code.size() && depth > 0; ++j) {
            depth += code[j] == '(' ? 1 : code[j] == ')' ? -1 : 0;
            if (depth > 0) args += code[j];
        }
        std::istringstream words(args);
        std::vector<std::string> split;
        for (std::string w; words >> w;) {
            w.erase(std::remove(w.begin(), w.end(), '"'), w.end());
            split.push_back(w);
        }
        out.emplace_back(code.substr(i, end - i), std::move(split));
        i = open + 1; // commands nested in arguments (a function's body) are found too
    }
    return out;
}

Build parse_build(const Tree& tree) {
    Build build;
    const std::set<std::string> keywords{"STATIC", "SHARED", "OBJECT", "MODULE", "EXCLUDE_FROM_ALL", "WIN32"};
    std::vector<std::pair<std::string, std::vector<std::string>>> link_commands;
    for (const auto& [path, text] : tree) {
        if (!path.ends_with("CMakeLists.txt")) continue;
        const std::string dir = dir_of(path);
        const auto source = [&](const std::string& s) { return dir + "/" + s; };
        for (auto& [command, args] : commands_of(text)) {
            if (args.empty() || args[0].find("${") != std::string::npos) continue;
            if (command == "add_library" && args.size() >= 3 && args[1] == "ALIAS") {
                build.aliases[args[0]] = args[2];
            } else if (command == "add_library" || command == "add_executable") {
                if (std::find(args.begin(), args.end(), "IMPORTED") != args.end()) continue;
                const bool header_only = args.size() >= 2 && args[1] == "INTERFACE";
                Target t{args[0], dir, command == "add_library", header_only, {}, {}};
                for (std::size_t i = 1; i < args.size(); ++i) {
                    if (!header_only && !keywords.contains(args[i]) && args[i].find('$') == std::string::npos)
                        t.sources.push_back(source(args[i]));
                }
                build.targets[t.name] = std::move(t);
            } else if (command == "skirmish_add_test") {
                Target t{args[0], dir, false, false, {}, {}};
                std::string section;
                for (std::size_t i = 1; i < args.size(); ++i) {
                    if (args[i] == "LABEL" || args[i] == "TIMEOUT" || args[i] == "SOURCES" || args[i] == "LIBS") {
                        section = args[i];
                    } else if (section == "SOURCES") {
                        t.sources.push_back(source(args[i]));
                    } else if (section == "LIBS") {
                        t.links.emplace_back(args[i], false);
                    }
                }
                build.targets[t.name] = std::move(t);
            } else if (command == "target_sources") {
                link_commands.emplace_back("sources:" + dir, args);
            } else if (command == "target_link_libraries") {
                link_commands.emplace_back("links", args);
            }
        }
    }
    for (const auto& [kind, args] : link_commands) {
        auto it = build.targets.find(build.real(args[0]));
        if (it == build.targets.end()) continue; // an imported target
        bool exported = false;
        for (std::size_t i = 1; i < args.size(); ++i) {
            if (args[i] == "PUBLIC" || args[i] == "INTERFACE" || args[i] == "PRIVATE") {
                exported = args[i] != "PRIVATE";
            } else if (kind == "links") {
                it->second.links.emplace_back(build.real(args[i]), exported);
            } else if (args[i].find('$') == std::string::npos) {
                it->second.sources.push_back(kind.substr(8) + "/" + args[i]);
            }
        }
    }
    for (auto& [name, t] : build.targets) {
        for (auto& [link, exported] : t.links) link = build.real(link);
    }
    // Which library each header belongs to: the one that lists it (a header-only
    // library), else the one compiled library of the nearest folder (itself or
    // above) that defines one; none for tests' and tools' helpers, which count
    // as part of whoever includes them.
    for (const auto& [name, t] : build.targets) {
        for (const auto& src : t.sources) {
            if (t.library && (src.ends_with(".hpp") || src.ends_with(".h"))) build.owners[src] = name;
        }
    }
    for (const auto& [path, text] : tree) {
        if ((!path.ends_with(".hpp") && !path.ends_with(".h")) || build.owners.contains(path)) continue;
        for (std::string dir = dir_of(path); !dir.empty() && !build.owners.contains(path); dir = dir_of(dir)) {
            for (const auto& [name, t] : build.targets) {
                if (t.library && !t.header_only && t.dir == dir) {
                    build.owners[path] = name;
                    break;
                }
            }
        }
    }
    return build;
}

std::string owner_of(const Build& build, const std::string& header) {
    auto it = build.owners.find(header);
    return it == build.owners.end() ? std::string() : it->second;
}

// Everything `name` may include: itself, what it links, and what those
// export (PUBLIC and INTERFACE links), transitively.
std::set<std::string> reach_of(const Build& build, const std::string& name) {
    std::set<std::string> reach{name};
    std::function<void(const std::string&)> exported = [&](const std::string& lib) {
        if (!reach.insert(lib).second) return;
        auto it = build.targets.find(lib);
        if (it == build.targets.end()) return;
        for (const auto& [l, pub] : it->second.links) {
            if (pub) exported(l);
        }
    };
    for (const auto& [l, pub] : build.targets.at(name).links) exported(l);
    return reach;
}

void check_build(const Tree& tree, const Includes& includes, const Build& build, Findings& f) {
    // A folder holds at most one compiled library: then a header's target is its folder's.
    std::map<std::string, std::vector<std::string>> libraries_by_dir;
    for (const auto& [name, t] : build.targets) {
        if (t.library && !t.header_only) libraries_by_dir[t.dir].push_back(name);
    }
    for (const auto& [dir, names] : libraries_by_dir) {
        if (names.size() > 1)
            f.problems.push_back(dir + "/CMakeLists.txt defines " + std::to_string(names.size()) +
                                 " libraries in one folder (" + names[0] + ", " + names[1] +
                                 "): give each its own folder");
    }
    // Every product source is built by some target.
    std::set<std::string> built;
    for (const auto& [name, t] : build.targets) built.insert(t.sources.begin(), t.sources.end());
    for (const auto& [path, text] : tree) {
        if (path.ends_with(".cpp") && !starts_with(path, "tests/") && !built.contains(path))
            f.problems.push_back(path + " is in no target's sources");
    }
    // Each target's includes, through its own headers and helper headers.
    for (const auto& [name, target] : build.targets) {
        const std::set<std::string> reach = reach_of(build, name);
        std::vector<std::string> todo = target.sources;
        if (target.library) {
            for (const auto& [header, owner] : build.owners) {
                if (owner == name) todo.push_back(header);
            }
        }
        std::set<std::string> seen(todo.begin(), todo.end());
        while (!todo.empty()) {
            const std::string file = todo.back();
            todo.pop_back();
            auto file_includes = includes.find(file);
            if (file_includes == includes.end()) continue;
            for (const Include& inc : file_includes->second) {
                const std::string& header = inc.resolved;
                if (header.empty()) continue;
                const std::string owner = owner_of(build, header);
                if (owner.empty()) {
                    if (seen.insert(header).second) todo.push_back(header);
                } else if (!reach.contains(owner)) {
                    f.add(file + ":" + std::to_string(inc.line) + " includes " + header + " of " + owner + ", but " + name +
                          " does not link " + owner + " (add it to target_link_libraries, or drop the include)");
                }
            }
        }
    }
}

Findings check_all(const Tree& tree) {
    const Includes includes = includes_of(tree);
    Findings f;
    check_layers(includes, f);
    check_build(tree, includes, parse_build(tree), f);
    return f;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += "\n  " + l;
    return out;
}

// The tree with one more line after the first line of `file`.
Tree with_line(Tree tree, const std::string& file, const std::string& line) {
    std::string& text = tree.at(file);
    text.insert(text.find('\n') + 1, line + "\n");
    return tree;
}

bool mentions(const Findings& f, const std::string& a, const std::string& b) {
    return std::any_of(f.problems.begin(), f.problems.end(), [&](const std::string& p) {
        return p.find(a) != std::string::npos && p.find(b) != std::string::npos;
    });
}

} // namespace

// --- the tree as it is -------------------------------------------------------------------

TEST(Layers, NoModuleIncludesOneAboveOrBesideIt) {
    const Tree tree = read_tree();
    ASSERT_GT(tree.size(), 200u);
    Findings f;
    check_layers(includes_of(tree), f);
    EXPECT_TRUE(f.problems.empty()) << joined(f.problems);
}

TEST(Layers, EveryHeaderComesFromALibraryTheIncluderLinks) {
    const Tree tree = read_tree();
    const Build build = parse_build(tree);
    for (const char* library : {"skirmish_util", "skirmish_sim", "skirmish_protocol", "skirmish_net", "skirmish_game",
                                "skirmish_lobby", "skirmish_game_link", "skirmish_client_core", "skirmish_app", "skirmish_app_sdl",
                                "skirmish_bots_lib"})
        ASSERT_TRUE(build.targets.contains(library) && build.targets.at(library).library) << library << " not parsed";
    Findings f;
    check_build(tree, includes_of(tree), build, f);
    EXPECT_TRUE(f.problems.empty()) << joined(f.problems);
}

// --- a wrong include makes it fail ----------------------------------------------------------

TEST(Layers, FailsWhenTheSimIncludesAnythingAboveIt) {
    const Tree tree = read_tree();
    ASSERT_TRUE(check_all(tree).problems.empty());
    const Findings f = check_all(with_line(tree, "shared/sim/step.cpp", R"(#include "shared/protocol/snapshot_codec.hpp")"));
    EXPECT_TRUE(mentions(f, "shared/sim/step.cpp:2 includes shared/protocol/snapshot_codec.hpp",
                         "shared/sim/ may not include shared/protocol/"))
        << joined(f.problems);
    EXPECT_TRUE(mentions(f, "shared/sim/step.cpp", "skirmish_sim does not link skirmish_protocol")) << joined(f.problems);
    const Findings clock = check_all(with_line(tree, "shared/sim/step.cpp", "#include <chrono>"));
    EXPECT_TRUE(mentions(clock, "shared/sim/step.cpp:2 includes chrono", "must not use")) << joined(clock.problems);
}

TEST(Layers, FailsWhenTheClientCoreIncludesTheServerOrTheApp) {
    const Tree tree = read_tree();
    for (const char* header : {"server/server.hpp", "client/app/settings.hpp", "client/bots/brain.hpp"}) {
        const Findings f = check_all(with_line(tree, "client/core/game_client.cpp", "#include \"" + std::string(header) + "\""));
        EXPECT_TRUE(mentions(f, "client/core/game_client.cpp:2 includes " + std::string(header), "client/core/ may not include"))
            << joined(f.problems);
    }
    const Findings sdl = check_all(with_line(tree, "client/core/game_client.hpp", "#include <SDL2/SDL.h>"));
    EXPECT_TRUE(mentions(sdl, "client/core/game_client.hpp:2 includes SDL2/SDL.h", "must not use")) << joined(sdl.problems);
    const Findings app = check_all(with_line(tree, "client/app/settings.cpp", "#include <SDL2/SDL_render.h>"));
    EXPECT_TRUE(mentions(app, "client/app/settings.cpp:2 includes SDL2/SDL_render.h", "must not use"))
        << joined(app.problems);
}

TEST(Layers, FailsWhenProductCodeIncludesTestsToolsOrBench) {
    const Tree tree = read_tree();
    const Findings f = check_all(with_line(tree, "server/server.cpp", R"(#include "tests/support/test_maps.hpp")"));
    EXPECT_TRUE(mentions(f, "server/server.cpp:2 includes tests/support/test_maps.hpp", "server/ may not include tests/"))
        << joined(f.problems);
}

TEST(Layers, FailsWhenATargetIncludesAHeaderOfALibraryItDoesNotLink) {
    const Tree tree = read_tree();
    // The layers allow a test to include the bots, but game_unit_test does not link them.
    const Findings f = check_all(with_line(tree, "tests/game/match_test.cpp", R"(#include "client/bots/brain.hpp")"));
    EXPECT_TRUE(mentions(f, "tests/game/match_test.cpp:2 includes client/bots/brain.hpp of skirmish_bots_lib",
                         "game_unit_test does not link skirmish_bots_lib"))
        << joined(f.problems);
    // Through a helper header: the helper counts as part of every includer.
    const Findings helper = check_all(with_line(tree, "tests/support/test_maps.hpp", R"(#include "server/server.hpp")"));
    EXPECT_TRUE(mentions(helper, "tests/support/test_maps.hpp:2 includes server/server.hpp", "sim_test does not link"))
        << joined(helper.problems);
    // A link dropped from a CMakeLists: the includes it allowed fail.
    Tree unlinked = tree;
    std::string& cmake = unlinked.at("client/bots/CMakeLists.txt");
    cmake.replace(cmake.find("PUBLIC skirmish::client_core"), 28, "PUBLIC");
    const Findings dropped = check_all(unlinked);
    EXPECT_TRUE(mentions(dropped, "client/bots/bot.hpp", "skirmish_bots_lib does not link skirmish_client_core"))
        << joined(dropped.problems);
}

TEST(Layers, FailsWhenOneFolderHoldsTwoLibraries) {
    const Tree tree = read_tree();
    const Findings f = check_all(with_line(tree, "client/app/CMakeLists.txt", "add_library(skirmish_second second.cpp)"));
    EXPECT_TRUE(mentions(f, "client/app/CMakeLists.txt defines 2 libraries", "give each its own folder"))
        << joined(f.problems);
}
