// shared/net/lobby_framing.cpp
#include "shared/net/lobby_framing.hpp"

namespace skirmish::net {

namespace {

std::uint32_t read_u32_le(const std::uint8_t* p) {
    return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
           (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

} // namespace

std::string_view name(FrameError error) {
    switch (error) {
    case FrameError::ZeroLength: return "zero-length frame";
    case FrameError::TooLong: return "frame longer than the cap";
    }
    return "unknown frame error";
}

// --- write ---------------------------------------------------------------------

util::Result<util::Ok, FrameError> append_frame(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> payload,
                                               std::size_t max_payload_bytes) {
    if (payload.empty()) return util::fail(FrameError::ZeroLength);
    if (payload.size() > max_payload_bytes) return util::fail(FrameError::TooLong);
    const auto n = static_cast<std::uint32_t>(payload.size());
    out.reserve(out.size() + kLobbyFrameHeaderBytes + payload.size());
    for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<std::uint8_t>(n >> shift));
    out.insert(out.end(), payload.begin(), payload.end());
    return util::Ok{};
}

// --- read ----------------------------------------------------------------------

void FrameDecoder::feed(std::span<const std::uint8_t> bytes) {
    if (error_ || bytes.empty()) return;
    // Drop what was handed out before growing, so the buffer stays about one
    // frame plus one read in size however long the connection lives.
    if (consumed_ > 0) {
        buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(consumed_));
        consumed_ = 0;
    }
    buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

util::Result<std::optional<std::span<const std::uint8_t>>, FrameError> FrameDecoder::next() {
    if (error_) return util::fail(*error_);
    const std::size_t available = buffer_.size() - consumed_;
    if (available < kLobbyFrameHeaderBytes) return std::optional<std::span<const std::uint8_t>>{};
    const std::uint32_t length = read_u32_le(buffer_.data() + consumed_);
    if (length == 0) error_ = FrameError::ZeroLength;
    else if (length > max_payload_) error_ = FrameError::TooLong;
    if (error_) return util::fail(*error_);
    if (available - kLobbyFrameHeaderBytes < length) return std::optional<std::span<const std::uint8_t>>{};
    const std::span<const std::uint8_t> payload(buffer_.data() + consumed_ + kLobbyFrameHeaderBytes, length);
    consumed_ += kLobbyFrameHeaderBytes + length;
    return std::optional<std::span<const std::uint8_t>>{payload};
}

} // namespace skirmish::net
