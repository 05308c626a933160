// server/admin_link.hpp
//
// The seam between the lobby (its own thread) and administration
// (server/admin/, its own thread): the lobby hands over a remote
// AdminCommand with its password; the admin thread checks the password
// (crypto_pwhash_str_verify: slow on purpose, so never on the lobby thread),
// runs the command and answers through `reply`.
//
// IMPORTANT: submit() is thread-safe and returns at once; false means the
// admin thread is busy (its queue is full) and nothing was queued. `reply` is
// called once, on the admin thread; it must only post to the lobby's thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace skirmish::server {

struct AdminRequest {
    std::string address;  // the lobby connection's address, for the logs and the event log
    std::string password; // empty: the session authenticated before
    std::string password_hash; // crypto_pwhash_str of the admin password, as the lobby has it now
    std::string command;  // one line
    bool authenticated = false; // the session proved the password before: no check
    // (ok, authenticated now, the text to send back)
    std::function<void(bool, bool, std::string)> reply;
};

class AdminGate {
public:
    virtual ~AdminGate() = default;
    virtual bool submit(AdminRequest request) = 0;
};

} // namespace skirmish::server
