// shared/protocol/lobby_admin_codec.cpp
//
// Write and read the lobby's administration messages (docs/PROTOCOL.md,
// "Administration"); lobby_codec.cpp verifies the frame and dispatches here.
// IMPORTANT: every string is held to text_rules.hpp and its cap; a reply's
// text may hold newlines between lines, nothing else below U+0020.
#include "shared/protocol/detail/common_fb.hpp"
#include "shared/protocol/detail/lobby_messages.hpp"

namespace skirmish::protocol::lobby::tables {

using protocol::detail::read_string;

namespace {

// Lines of free text (no control characters within a line), at most max_bytes in all.
bool is_valid_lines(std::string_view text, std::size_t max_bytes) {
    if (text.size() > max_bytes) return false;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        if (!is_valid_text(text.substr(start, end - start), free_text(max_bytes))) return false;
        start = end + 1;
    }
    return true;
}

} // namespace

flatbuffers::Offset<fb::AdminCommand> write(flatbuffers::FlatBufferBuilder& b, const AdminCommand& m) {
    const auto password = m.password.empty() ? 0 : b.CreateString(m.password);
    const auto command = b.CreateString(m.command);
    return fb::CreateAdminCommand(b, password, command);
}
flatbuffers::Offset<fb::AdminReply> write(flatbuffers::FlatBufferBuilder& b, const AdminReply& m) {
    const auto text = b.CreateString(m.text);
    return fb::CreateAdminReply(b, m.ok, text);
}

util::Result<AdminCommand, LobbyDecodeError> read(const fb::AdminCommand& t) {
    AdminCommand m;
    m.password = read_string(t.password());
    m.command = read_string(t.command());
    // The password is free text of any bytes a person can type: UTF-8, no control characters.
    if (!is_valid_text(m.password, free_text(kMaxAdminPasswordBytes))) return util::fail(LobbyDecodeError::BadText);
    if (!is_valid_text(m.command, TextRule{1, kMaxAdminCommandBytes, true}))
        return util::fail(LobbyDecodeError::BadText);
    return m;
}
util::Result<AdminReply, LobbyDecodeError> read(const fb::AdminReply& t) {
    AdminReply m;
    m.ok = t.ok();
    m.text = read_string(t.text());
    if (!is_valid_lines(m.text, kMaxAdminReplyBytes)) return util::fail(LobbyDecodeError::BadText);
    return m;
}

} // namespace skirmish::protocol::lobby::tables
