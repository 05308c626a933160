// shared/protocol/detail/identifiers.hpp
//
// File identifiers of the game port's root types. schemas/game.fbs declares
// "SKGM" (Envelope); the two channel-0 roots get their own so a datagram of
// one kind can never verify as another. Internal to shared/protocol.
#pragma once

namespace skirmish::protocol::detail {

inline constexpr const char* kEnvelopeIdentifier = "SKGM";
inline constexpr const char* kInputPacketIdentifier = "SKGI";
inline constexpr const char* kSnapshotIdentifier = "SKGS";

} // namespace skirmish::protocol::detail
