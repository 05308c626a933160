// shared/net/enet_datagram.hpp
//
// ENet 1.3 datagrams read from outside, before ENet parses them: the header
// and the walk over its commands (ENet's own size table, protocol.c
// `commandSizes`), then the game port's rules for what a client may send
// (docs/PROTOCOL.md, "Datagram rules"). Layout: <enet/protocol.h>; ENet's
// fields are big-endian except connectID and the checksum, which ENet copies
// as they are.
//
//   header: peerID u16 (bits 0-11 peer id, 12-13 session, 14 compressed, 15 sent time)
//           [sentTime u16 if bit 15] | checksum u32 (hosts here always use one)
//   then commands: command u8 (bits 0-3 number, 6 unsequenced, 7 acknowledge) |
//           channelID u8 | reliableSequenceNumber u16 | fixed fields | payload
//
// IMPORTANT: pure and untrusted-input safe: every read is bounds-checked, a
// fault is a value, nothing throws or allocates. Rewrites change only fields
// the rules name, in place, and never the datagram's size.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace skirmish::net {

inline constexpr std::uint16_t kNoPeerId = 0xFFF;             // ENET_PROTOCOL_MAXIMUM_PEER_ID: a CONNECT
inline constexpr std::size_t kMaxCommandsPerDatagram = 32;    // ENET_PROTOCOL_MAXIMUM_PACKET_COMMANDS
inline constexpr std::uint16_t kMaxReliableAhead = 1024;      // reliable sequence numbers a client may run ahead
inline constexpr std::uint32_t kMinFragmentBytes = 256;       // fragmentCount ≤ ceil(totalLength / this) + 1
// The bandwidth and throttle every peer of ours uses, whatever a client asks:
// unlimited bandwidth, and ENet's packet throttle pinned at "send everything".
inline constexpr std::uint32_t kPinnedThrottleInterval = 5000; // ENET_PEER_PACKET_THROTTLE_INTERVAL
inline constexpr std::uint32_t kPinnedThrottleAcceleration = 0;
inline constexpr std::uint32_t kPinnedThrottleDeceleration = 0;

struct DatagramHeader {
    std::uint16_t peer_id = 0; // kNoPeerId: addressed to no peer (a CONNECT)
    std::uint8_t session = 0;
    bool compressed = false;
    bool sent_time = false;
    std::size_t checksum_offset = 0; // where the 32-bit checksum field begins
    std::size_t size = 0;            // header bytes, the checksum field included
};

struct EnetCommand {
    std::uint8_t number = 0; // ENET_PROTOCOL_COMMAND_* (1..12)
    bool acknowledge = false;
    std::uint8_t channel = 0;
    std::uint16_t reliable_sequence = 0;
    std::size_t offset = 0; // of the command within the datagram
    std::size_t size = 0;   // fixed part and payload
};

struct ParsedDatagram {
    DatagramHeader header;
    std::array<EnetCommand, kMaxCommandsPerDatagram> commands{};
    std::size_t command_count = 0;
};

enum class DatagramFault : std::uint8_t {
    None,
    Malformed,           // short header, unknown command, a command or payload past the end, too many commands
    Compressed,          // clients never compress
    NotAConnect,         // addressed to no peer, but not exactly one CONNECT
    UnexpectedCommand,   // a command a client never sends (VERIFY_CONNECT, CONNECT to a peer, SEND_UNSEQUENCED)
    WrongChannel,        // unreliable data off channel 0, reliable data off channel 1, a command on a channel ENet lacks
    OutOfWindow,         // a reliable sequence number far ahead, or unreliable data not at the channel's current one
    FragmentBeforeToken, // a fragment from a peer that has not presented a valid connect token
    FragmentOutOfBounds, // fragment counts, lengths or offsets no packet within the size cap has
};
std::string_view name(DatagramFault fault) noexcept;

// What the server knows of the sending peer when a datagram arrives.
struct PeerView {
    bool admitted = false; // presented a valid connect token (fragments allowed from then on)
    std::uint8_t channel_count = 2; // channels the peer has (of the two used)
    // ENet's incomingReliableSequenceNumber of channels 0 and 1.
    std::array<std::uint16_t, 2> incoming_reliable{};
};

// Parses the header and walks the commands; Malformed where ENet would stop
// parsing part way, so what passes is parsed by ENet to its end.
DatagramFault parse_datagram(std::span<const std::uint8_t> datagram, ParsedDatagram& out) noexcept;

// A datagram to no peer: exactly one CONNECT and nothing after it.
DatagramFault check_connect(const ParsedDatagram& parsed, std::span<const std::uint8_t> datagram) noexcept;

// A datagram from a connected peer, by the rules in docs/PROTOCOL.md.
DatagramFault check_from_peer(const ParsedDatagram& parsed, std::span<const std::uint8_t> datagram,
                              const PeerView& peer, std::size_t max_packet_bytes) noexcept;

// The CONNECT's fields the game port reads (check_connect() passed).
struct ConnectFields {
    std::uint32_t connect_id = 0; // as ENet holds it (copied, not byte-swapped)
    std::uint32_t data = 0;       // the cookie
};
ConnectFields read_connect(const ParsedDatagram& parsed, std::span<const std::uint8_t> datagram) noexcept;

// True if a CONNECT or BANDWIDTH_LIMIT asks for another bandwidth than
// unlimited, or a THROTTLE_CONFIGURE for another throttle than the pinned one.
// (A CONNECT's throttle fields are left alone: VERIFY_CONNECT must echo them.)
bool asks_other_limits(const ParsedDatagram& parsed, std::span<const std::uint8_t> datagram) noexcept;
// Writes the pinned values into those commands, in place.
void pin_limits(const ParsedDatagram& parsed, std::span<std::uint8_t> datagram) noexcept;

// The checksum field, as ENet reads and writes it (native byte order).
std::uint32_t read_checksum(const DatagramHeader& header, std::span<const std::uint8_t> datagram) noexcept;
void write_checksum(const DatagramHeader& header, std::span<std::uint8_t> datagram, std::uint32_t value) noexcept;

} // namespace skirmish::net
