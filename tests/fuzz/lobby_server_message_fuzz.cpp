// tests/fuzz/lobby_server_message_fuzz.cpp: one lobby frame's payload as a
// client reads it (decode_server_message), and the round trip of what it takes.
#include "lobby_message_fuzz.hpp"

using namespace skirmish;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::fuzz_lobby_payload(
        fuzz::Bytes(data, size), [](fuzz::Bytes b) { return protocol::lobby::decode_server_message(b); },
        [](const protocol::lobby::ServerMessage& m) { return protocol::lobby::encode_server_message(m); });
    return 0;
}
