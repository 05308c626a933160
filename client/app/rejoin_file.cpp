// client/app/rejoin_file.cpp
#include "client/app/rejoin_file.hpp"

#include "shared/protocol/lobby_codec.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <unistd.h>

namespace skirmish::app {

namespace {

constexpr std::size_t kMaxRejoinFileBytes = 1024;

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

template <typename T>
bool parse_number(std::string_view text, T& out) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size();
}

bool parse_hex(std::string_view text, std::vector<std::uint8_t>& out) {
    if (text.size() != 2 * protocol::lobby::kReconnectSecretBytes) return false;
    out.clear();
    for (std::size_t i = 0; i < text.size(); i += 2) {
        std::uint8_t byte = 0;
        const auto [end, ec] = std::from_chars(text.data() + i, text.data() + i + 2, byte, 16);
        if (ec != std::errc{} || end != text.data() + i + 2) return false;
        out.push_back(byte);
    }
    return true;
}

} // namespace

std::optional<SavedRejoin> parse_rejoin(std::string_view text) {
    if (text.size() > kMaxRejoinFileBytes) return std::nullopt;
    SavedRejoin r;
    bool secret = false;
    while (!text.empty()) {
        const auto end = text.find('\n');
        const std::string_view line = trim(text.substr(0, end));
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        if (line.empty() || line.front() == '#') continue;
        const auto eq = line.find('=');
        if (eq == std::string_view::npos) return std::nullopt;
        const std::string_view key = trim(line.substr(0, eq));
        const std::string_view value = trim(line.substr(eq + 1));
        if (key == "server") r.server = value;
        else if (key == "name") r.name = value;
        else if (key == "match") {
            if (!parse_number(value, r.ticket.match_id)) return std::nullopt;
        } else if (key == "secret") {
            if (!(secret = parse_hex(value, r.ticket.secret))) return std::nullopt;
        } else if (key == "until") {
            if (!parse_number(value, r.until_unix_s)) return std::nullopt;
        }
    }
    if (r.server.empty() || r.server.size() > 255 || !protocol::lobby::is_valid_name(r.name, protocol::kMaxNameBytes) ||
        r.ticket.match_id == 0 || !secret)
        return std::nullopt;
    return r;
}

std::string format_rejoin(const SavedRejoin& r) {
    std::string hex;
    for (const std::uint8_t b : r.ticket.secret) hex += fmt::format("{:02x}", b);
    return fmt::format("# skirmish-client: back into this match after a crash (Rejoin on the connect screen)\n"
                       "server = {}\nname = {}\nmatch = {}\nsecret = {}\nuntil = {}\n",
                       r.server, r.name, r.ticket.match_id, hex, r.until_unix_s);
}

std::optional<SavedRejoin> load_rejoin(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::string text(kMaxRejoinFileBytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    return parse_rejoin(text);
}

util::Result<util::Ok, std::string> save_rejoin(const std::string& path, const SavedRejoin& rejoin) {
    const std::string temporary = path + ".tmp";
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return util::fail(fmt::format("cannot write {}: {}", temporary, std::strerror(errno)));
    const std::string text = format_rejoin(rejoin);
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    const int error = errno;
    ::close(fd);
    if (!written) {
        std::remove(temporary.c_str());
        return util::fail(fmt::format("cannot write {}: {}", temporary, std::strerror(error)));
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        const std::string why = std::strerror(errno);
        std::remove(temporary.c_str());
        return util::fail(fmt::format("cannot replace {}: {}", path, why));
    }
    return util::Ok{};
}

void forget_rejoin(const std::string& path) { std::remove(path.c_str()); }

} // namespace skirmish::app
