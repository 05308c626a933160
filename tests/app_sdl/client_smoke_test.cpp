// skirmish-client as a person would run it, under Xvfb: a real skirmish-server
// on an ephemeral port, three bots playing in a room of four, and the client
// joining with --quick-play and writing a screenshot. The screenshot must be a
// real frame of the match: many colours, no colour covering most of it, the
// arena's floor and walls present in proportions the arena gives them.
// Skipped (with the reason) only when Xvfb is missing or cannot start.
#include "child_process.hpp"
#include "client/app_sdl/palette.hpp"

#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

using namespace skirmish;
using namespace std::chrono_literals;
using test::ChildProcess;

namespace {

bool on_path(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        if (access((dir + "/" + program).c_str(), X_OK) == 0) return true;
    }
    return false;
}

struct Picture {
    int width = 0, height = 0;
    std::map<std::uint32_t, std::size_t> colours; // 0xRRGGBB → pixels
    std::size_t pixels() const { return static_cast<std::size_t>(width) * static_cast<std::size_t>(height); }
    double share(app::Color c) const {
        const auto it = colours.find((std::uint32_t{c.r} << 16) | (std::uint32_t{c.g} << 8) | c.b);
        return it == colours.end() ? 0.0 : static_cast<double>(it->second) / static_cast<double>(pixels());
    }
};

std::optional<Picture> load_picture(const std::string& path) {
    SDL_Surface* loaded = IMG_Load(path.c_str());
    if (!loaded) return std::nullopt;
    SDL_Surface* rgb = SDL_ConvertSurfaceFormat(loaded, SDL_PIXELFORMAT_RGB24, 0);
    SDL_FreeSurface(loaded);
    if (!rgb) return std::nullopt;
    Picture p;
    p.width = rgb->w;
    p.height = rgb->h;
    for (int y = 0; y < rgb->h; ++y) {
        const auto* row = static_cast<const std::uint8_t*>(rgb->pixels) + static_cast<std::ptrdiff_t>(y) * rgb->pitch;
        for (int x = 0; x < rgb->w; ++x) {
            const std::uint8_t* px = row + x * 3;
            ++p.colours[(std::uint32_t{px[0]} << 16) | (std::uint32_t{px[1]} << 8) | px[2]];
        }
    }
    SDL_FreeSurface(rgb);
    return p;
}

class TempDir {
public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "skirmish-client-smoke-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

} // namespace

TEST(ClientSmoke, JoinsAMatchWithBotsAndDrawsTheArena) {
    if (!on_path("Xvfb"))
        GTEST_SKIP() << "Xvfb is not installed, so the client cannot get a display here: install the xvfb package "
                        "(scripts/test does) to run this test";
    // A free display number: Xvfb picks it and writes it to fd 3 (-displayfd).
    ChildProcess xvfb({"Xvfb", "-displayfd", "3", "-screen", "0", "1280x720x24", "-nolisten", "tcp", "-noreset"}, {}, 3);
    const auto display = xvfb.started() ? xvfb.side_line(15s) : std::nullopt;
    if (!display || display->empty())
        GTEST_SKIP() << "Xvfb did not start (no display number within 15 s), so the client cannot be tested here. "
                        "Its output: "
                     << xvfb.output();

    TempDir temp;
    ChildProcess server({SKIRMISH_SERVER_BINARY, "--port", "0", "--log-level", "warn"});
    const auto port_match = server.wait_for(std::regex("game on UDP port (\\d+)"), 20s);
    ASSERT_TRUE(port_match) << "skirmish-server did not say its port: " << server.output();
    const std::string endpoint = "127.0.0.1:" + (*port_match)[1].str();

    // Three bots in a room of four; they start their match when it has not
    // filled for two seconds. The client joins it in progress.
    ChildProcess bots({SKIRMISH_BOTS_BINARY, "--server", endpoint, "--bots", "3", "--room-size", "4", "--duration", "120"});
    ASSERT_TRUE(bots.wait_for(std::regex("in match 3\\)"), 30s)) << "the bots did not get into a match: "
                                                                  << bots.output() << "\nserver: " << server.output();

    const std::string shot = (temp.path() / "shot.png").string();
    const std::string settings = (temp.path() / "settings.txt").string();
    // SDL and the GL/dbus libraries it loads keep a few allocations to the end
    // of the process; LeakSanitizer's report of those is not this client's.
    ChildProcess client({SKIRMISH_CLIENT_BINARY, "--connect", endpoint, "--name", "smoke", "--quick-play", "--net-graph",
                         "--screenshot", shot, "--screenshot-after", "5", "--max-fps", "30", "--settings", settings},
                        {"DISPLAY=:" + *display, "XDG_DATA_HOME=" + (temp.path() / "data").string(),
                         "SDL_RENDER_DRIVER=software", "ASAN_OPTIONS=detect_leaks=0", "SDL_AUDIODRIVER=dummy"});
    const auto status = client.wait_for_exit(45s);
    ASSERT_TRUE(status) << "skirmish-client did not finish within 45 s: " << client.output();
    ASSERT_EQ(*status, 0) << client.output();
    EXPECT_NE(client.output().find("screenshot of the match screen (1280x720)"), std::string::npos) << client.output();

    const auto picture = load_picture(shot);
    ASSERT_TRUE(picture) << "cannot read " << shot << ": " << IMG_GetError();
    EXPECT_EQ(picture->width, 1280);
    EXPECT_EQ(picture->height, 720);
    // A real frame: not blank, not one colour, nothing covering most of it.
    std::size_t top = 0;
    for (const auto& [colour, count] : picture->colours) top = std::max(top, count);
    EXPECT_GT(picture->colours.size(), 64u) << "too few colours for a drawn frame";
    EXPECT_LT(static_cast<double>(top) / static_cast<double>(picture->pixels()), 0.7);
    // The arena: the floor covers a large share (it fills most of the window,
    // less what players, grid, HUD and net graph cover); the walls a small one.
    EXPECT_GT(picture->share(app::palette::kFloor), 0.25) << "the arena floor is missing";
    EXPECT_GT(picture->share(app::palette::kWall), 0.01) << "the walls are missing";
    EXPECT_LT(picture->share(app::palette::kWall), 0.15);

    // The settings were saved: the name and the server are remembered.
    std::ifstream in(settings);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_NE(text.str().find("name = smoke"), std::string::npos) << text.str();
    EXPECT_NE(text.str().find("server = " + endpoint), std::string::npos) << text.str();

    bots.stop(SIGINT);
    server.stop(SIGTERM);
}

TEST(ClientSmoke, ExplainsARefusedConnectionOnTheConnectScreen) {
    if (!on_path("Xvfb")) GTEST_SKIP() << "Xvfb is not installed: install the xvfb package (scripts/test does)";
    ChildProcess xvfb({"Xvfb", "-displayfd", "3", "-screen", "0", "1280x720x24", "-nolisten", "tcp", "-noreset"}, {}, 3);
    const auto display = xvfb.started() ? xvfb.side_line(15s) : std::nullopt;
    if (!display || display->empty()) GTEST_SKIP() << "Xvfb did not start: " << xvfb.output();
    TempDir temp;
    // Port 1 on loopback: nothing listens there, so the TCP connect is refused.
    const std::string shot = (temp.path() / "refused.png").string();
    ChildProcess client({SKIRMISH_CLIENT_BINARY, "--connect", "127.0.0.1:1", "--name", "smoke", "--screenshot", shot,
                         "--screenshot-after", "2", "--max-fps", "30", "--settings",
                         (temp.path() / "settings.txt").string(), "--log-level", "warn"},
                        {"DISPLAY=:" + *display, "SDL_RENDER_DRIVER=software", "ASAN_OPTIONS=detect_leaks=0"});
    const auto status = client.wait_for_exit(30s);
    ASSERT_TRUE(status) << client.output();
    EXPECT_EQ(*status, 0) << client.output();
    EXPECT_NE(client.output().find("screenshot of the connect screen"), std::string::npos) << client.output();
    EXPECT_NE(client.output().find("refused"), std::string::npos) << "the reason is logged: " << client.output();
}

TEST(ClientSmoke, BadCommandLinesSayWhatToDo) {
    ChildProcess quick({SKIRMISH_CLIENT_BINARY, "--quick-play"});
    EXPECT_EQ(quick.wait_for_exit(10s), 2);
    EXPECT_NE(quick.output().find("--quick-play needs --connect"), std::string::npos) << quick.output();
    ChildProcess bad({SKIRMISH_CLIENT_BINARY, "--connect", "host:99999"});
    EXPECT_EQ(bad.wait_for_exit(10s), 2);
    EXPECT_NE(bad.output().find("1 to 65535"), std::string::npos) << bad.output();
    ChildProcess loss({SKIRMISH_CLIENT_BINARY, "--loss-pct", "150"});
    EXPECT_NE(loss.wait_for_exit(10s), 0);
}
