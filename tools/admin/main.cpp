// tools/admin/main.cpp: skirmish-admin, one administration command to a
// running skirmish-server through its lobby port (docs/OPERATIONS.md,
// "Administration"):
//
//   SKIRMISH_ADMIN_PASSWORD=... skirmish-admin HOST:PORT kick griefer spamming
//   echo "$PASSWORD" | skirmish-admin HOST:PORT status
//
// The password comes from SKIRMISH_ADMIN_PASSWORD or the first line of
// standard input, never the command line (ps shows it to everyone). It sends
// one AdminCommand (docs/PROTOCOL.md, "Administration") and prints the reply.
// Exit 0: the command was done; 1: refused or failed (the reason printed);
// 2: bad arguments; 3: no answer (cannot connect, timeout, a bad reply).
#include "shared/net/lobby_framing.hpp"
#include "shared/protocol/lobby_codec.hpp"
#include "skirmish/version.hpp"

#include <CLI/CLI.hpp>
#include <asio.hpp>
#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <cstdlib>
#include <iostream>

namespace {

using namespace skirmish;
namespace pl = protocol::lobby;

constexpr int kDone = 0, kRefused = 1, kUsage = 2, kNoAnswer = 3;

struct Exchange {
    std::optional<pl::ServerMessage> reply;
    std::string error;
};

// Connects, sends one frame and reads frames until a reply that answers it,
// all within `timeout`.
Exchange exchange(const std::string& host, const std::string& port, const pl::AdminCommand& command,
                  std::chrono::milliseconds timeout) {
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    asio::ip::tcp::resolver resolver(io);
    asio::steady_timer deadline(io, timeout);
    Exchange out;
    std::vector<std::uint8_t> frame;
    const auto payload = pl::encode_client_message(command);
    if (!net::append_frame(frame, payload)) return {std::nullopt, "the command is too long to send"};
    net::FrameDecoder decoder;
    std::array<std::uint8_t, 4096> buffer{};
    const auto finish = [&] { deadline.cancel(); };
    std::function<void()> read_more = [&] {
        socket.async_read_some(asio::buffer(buffer), [&](const std::error_code& ec, std::size_t n) {
            if (ec) {
                out.error = ec == asio::error::eof ? "the server closed the connection without an answer"
                                                   : "reading the answer failed: " + ec.message();
                return finish();
            }
            decoder.feed(std::span(buffer.data(), n));
            for (;;) {
                auto next = decoder.next();
                if (!next) {
                    out.error = "the server sent a bad frame";
                    return finish();
                }
                if (!*next) break;
                auto message = pl::decode_server_message(**next);
                if (!message) {
                    out.error = fmt::format("the server sent a message this tool cannot read ({}): is it the same "
                                            "Skirmish version?",
                                            pl::name(message.error().error));
                    return finish();
                }
                if (std::holds_alternative<pl::AdminReply>(*message) || std::holds_alternative<pl::Error>(*message)) {
                    out.reply = std::move(*message);
                    return finish();
                }
            }
            read_more();
        });
    };
    resolver.async_resolve(host, port, [&](const std::error_code& ec, asio::ip::tcp::resolver::results_type found) {
        if (ec) {
            out.error = fmt::format("cannot resolve {}: {}", host, ec.message());
            return finish();
        }
        asio::async_connect(socket, found, [&](const std::error_code& connect_ec, const asio::ip::tcp::endpoint&) {
            if (connect_ec) {
                out.error = fmt::format("cannot connect to {}:{}: {} (is the server running, and is that its port?)",
                                        host, port, connect_ec.message());
                return finish();
            }
            asio::async_write(socket, asio::buffer(frame), [&](const std::error_code& write_ec, std::size_t) {
                if (write_ec) {
                    out.error = "sending the command failed: " + write_ec.message();
                    return finish();
                }
                read_more();
            });
        });
    });
    deadline.async_wait([&](const std::error_code& ec) {
        if (!ec && !out.reply && out.error.empty())
            out.error = fmt::format("no answer within {} ms", timeout.count());
        std::error_code ignored;
        resolver.cancel();
        socket.close(ignored);
    });
    io.run();
    return out;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"skirmish-admin: run one administration command on a skirmish-server through its lobby port. The "
                 "admin password is read from SKIRMISH_ADMIN_PASSWORD, else from the first line of standard input"};
    app.set_version_flag("--version", std::string("skirmish-admin ") + skirmish::kVersion);
    std::string target;
    std::vector<std::string> words;
    int timeout_ms = 10000;
    app.add_option("HOST:PORT", target, "The server's lobby (its port, e.g. 192.168.1.20:7777)")->required();
    app.add_option("COMMAND", words, "The command and its words, as on the server's console ('help' lists them)")
        ->required();
    app.add_option("--timeout-ms", timeout_ms, "How long to wait for the answer")->check(CLI::Range(100, 120000));
    CLI11_PARSE(app, argc, argv);

    const auto colon = target.rfind(':');
    std::uint16_t port = 0;
    if (colon == std::string::npos || colon == 0 ||
        std::from_chars(target.data() + colon + 1, target.data() + target.size(), port).ec != std::errc{} ||
        port == 0) {
        fmt::print(stderr, "skirmish-admin: '{}' is not HOST:PORT (the server's port, e.g. 192.168.1.20:7777)\n",
                   target);
        return kUsage;
    }
    std::string host = target.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);

    std::error_code not_an_address;
    const auto literal = asio::ip::make_address(host, not_an_address);
    if (not_an_address ? host != "localhost" : !literal.is_loopback())
        fmt::print(stderr, "skirmish-admin: warning: the admin password crosses the network to {} unencrypted; on a "
                           "network you do not trust, run skirmish-admin on the server over ssh, or use a VPN\n",
                   host);

    pl::AdminCommand command;
    if (const char* env = std::getenv("SKIRMISH_ADMIN_PASSWORD"); env && *env) {
        command.password = env;
    } else if (!std::getline(std::cin, command.password) || command.password.empty()) {
        fmt::print(stderr, "skirmish-admin: no admin password: set SKIRMISH_ADMIN_PASSWORD or give it as the first "
                           "line of standard input\n");
        return kUsage;
    }
    if (!command.password.empty() && command.password.back() == '\r') command.password.pop_back();
    for (const auto& w : words) command.command += (command.command.empty() ? "" : " ") + w;
    if (command.password.size() > pl::kMaxAdminPasswordBytes || command.command.size() > pl::kMaxAdminCommandBytes) {
        fmt::print(stderr, "skirmish-admin: the password is at most {} bytes and the command at most {}\n",
                   pl::kMaxAdminPasswordBytes, pl::kMaxAdminCommandBytes);
        return kUsage;
    }

    const Exchange answer = exchange(host, std::to_string(port), command, std::chrono::milliseconds(timeout_ms));
    if (!answer.reply) {
        fmt::print(stderr, "skirmish-admin: {}\n", answer.error);
        return kNoAnswer;
    }
    if (const auto* error = std::get_if<pl::Error>(&*answer.reply)) {
        fmt::print(stderr, "skirmish-admin: the server refused: {} ({})\n", error->text, pl::name(error->code));
        return kRefused;
    }
    const auto& reply = std::get<pl::AdminReply>(*answer.reply);
    if (!reply.ok) {
        fmt::print(stderr, "skirmish-admin: {}\n", reply.text);
        return kRefused;
    }
    fmt::print("{}\n", reply.text);
    return kDone;
}
