// server/lobby/lobby_errors.hpp
//
// The lobby's words for a frame that did not decode: which ErrorCode it earns,
// whether the session ends, and a text a person can act on (docs/PROTOCOL.md,
// "Lobby error codes" and "Rejection rules").
//
// IMPORTANT: pure, no state; Lobby::on_bad_message() decides the order
// (framing, then Hello first, then the message budget) and sends the answer.
// IMPORTANT: settings texts are validate_settings()' own words, carried in
// DecodeFailure::detail; the lobby never restates the ranges.
#pragma once

#include "server/lobby/lobby_config.hpp"
#include "shared/protocol/lobby_codec.hpp"

#include <string>

namespace skirmish::server {

struct DecodeAnswer {
    protocol::lobby::Error error; // code, text (fitted), in_reply_to
    bool closes = false;          // the frame itself was bad: the session ends
};

// What to answer a client whose frame failed to decode as `failure`.
DecodeAnswer answer_decode_failure(const protocol::lobby::DecodeFailure& failure, const LobbyLimits& limits);

// Error texts are capped by the protocol (kMaxErrorTextBytes): cut at a
// character boundary, with "..." at the end.
std::string fit_error_text(std::string text);

} // namespace skirmish::server
