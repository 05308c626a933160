// skirmish-client's LAN list walked with real X input under Xvfb (issue 11
// item 1): the connect screen probes the LAN when it opens and lists a real
// server with its name, ping and players; "Refresh LAN" probes again; a
// double-click on the row connects. The probes go to 127.255.255.255 only
// (the suite's SKIRMISH_LAN_ADDRESS), on a discovery port of the test's own.
// Skipped (with the reason) only when Xvfb cannot start.
#include "desktop.hpp"

#include "shared/net/udp_socket.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>

using namespace skirmish;
using namespace skirmish::test;
using namespace std::chrono_literals;

namespace {

// A UDP port free a moment ago (the server then binds it with SO_REUSEADDR).
std::string free_udp_port() {
    net::Fd socket = net::open_udp(AF_INET, 0).value();
    net::Endpoint local;
    auto* sin = reinterpret_cast<sockaddr_in*>(&local.storage);
    sin->sin_family = AF_INET;
    sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    local.length = sizeof(sockaddr_in);
    EXPECT_TRUE(net::bind_udp(socket, local));
    return std::to_string(net::port_of(local));
}

} // namespace

TEST(WalkLan, TheConnectScreenListsALanServerWithItsPingAndConnectsOnADoubleClick) {
    Desktop desk;
    if (!desk.skipped().empty()) GTEST_SKIP() << desk.skipped();
    ASSERT_TRUE(on_path("xdotool")) << "xdotool is not installed: install the xdotool package (scripts/test does)";
    const std::string port = free_udp_port();
    desk.start_server({"--discovery-port", port, "--server-name", "Walk LAN"});
    desk.start_client({"--discovery-port", port});
    ASSERT_TRUE(desk.wait_screen("connect"));
    // Found when the screen opened, with its ping and players.
    ASSERT_TRUE(desk.wait_ui([](const Json& f) {
        return Desktop::shows_text(f, "Walk LAN") && Desktop::shows_text(f, " ms \xc2\xb7 0/1000 players");
    }, 15s, "the LAN server listed"));
    const std::string address = desk.endpoint();
    ASSERT_TRUE(desk.wait_ui([&](const Json& f) { return Desktop::shows_text(f, address); }));
    desk.click("name", "text_field");
    desk.key("ctrl+a");
    desk.type("lan walker");
    desk.click("Refresh LAN");
    ASSERT_TRUE(desk.wait_ui([](const Json& f) { return Desktop::shows_text(f, "Walk LAN"); }, 15s,
                             "still listed after Refresh LAN"));
    std::optional<Json> row;
    ASSERT_TRUE(desk.wait_ui([&](const Json& f) { return (row = Desktop::widget_after(f, "Refresh LAN", "")).has_value(); }));
    desk.double_click_at(centre(*row));
    ASSERT_TRUE(desk.wait_net([](const Json& n) { return n["screen"] == "lobby" && n["lobby_state"] == "ready"; }, 15s,
                              "the lobby after a double-click on the LAN row"));
}
