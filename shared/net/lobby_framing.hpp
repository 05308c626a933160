// shared/net/lobby_framing.hpp
//
// Lobby TCP framing: cuts a byte stream into frames and back. Knows nothing of
// what a frame holds (that is shared/protocol/lobby_codec); docs/PROTOCOL.md,
// "Lobby framing".
//
//   offset 0  u32 little-endian  payload length N, 1..kMaxLobbyFrameBytes
//   offset 4  N bytes            payload: one FlatBuffer, identifier "SKLB"
//
// IMPORTANT: FrameDecoder reads untrusted bytes. It never throws or asserts on
// input; a bad length prefix is a FrameError, and after one the decoder stays
// failed (the stream cannot be resynchronised, the connection must close).
// IMPORTANT: not thread-safe; one decoder per connection, used by its owner.
#pragma once

#include "shared/util/result.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace skirmish::net {

inline constexpr std::size_t kLobbyFrameHeaderBytes = 4;
// The largest payload a frame may carry (the length prefix excludes itself).
inline constexpr std::size_t kMaxLobbyFrameBytes = 64 * 1024;

enum class FrameError : std::uint8_t {
    ZeroLength, // a length prefix of 0: no FlatBuffer is that short
    TooLong,    // a length prefix above the cap
};
std::string_view name(FrameError error);

// --- write ---------------------------------------------------------------------

// Appends header + payload to `out`. Fails (and appends nothing) for an empty
// payload or one longer than `max_payload_bytes`.
util::Result<util::Ok, FrameError> append_frame(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> payload,
                                               std::size_t max_payload_bytes = kMaxLobbyFrameBytes);

// --- read ----------------------------------------------------------------------

// Incremental decoder: feed() bytes as they arrive, then call next() until it
// yields std::nullopt (more bytes needed) or an error.
class FrameDecoder {
public:
    explicit FrameDecoder(std::size_t max_payload_bytes = kMaxLobbyFrameBytes) : max_payload_(max_payload_bytes) {}

    // Buffers received bytes. Ignored once the decoder has failed.
    void feed(std::span<const std::uint8_t> bytes);

    // The next complete frame's payload, or std::nullopt if it has not fully
    // arrived. A length prefix is judged as soon as its 4 bytes are here, so
    // an oversized frame is refused before its body is buffered.
    // IMPORTANT: the returned span is valid until the next feed() or next().
    util::Result<std::optional<std::span<const std::uint8_t>>, FrameError> next();

    // True if bytes of an unfinished frame are buffered: a stream that ends
    // now ends with a truncated frame.
    bool mid_frame() const noexcept { return buffer_.size() > consumed_; }
    bool failed() const noexcept { return error_.has_value(); }
    std::size_t buffered_bytes() const noexcept { return buffer_.size() - consumed_; }

private:
    std::size_t max_payload_;
    std::vector<std::uint8_t> buffer_;
    std::size_t consumed_ = 0; // bytes at the front already handed out
    std::optional<FrameError> error_;
};

} // namespace skirmish::net
