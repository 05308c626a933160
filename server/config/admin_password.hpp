// server/config/admin_password.hpp
//
// The admin password as the server keeps it: never the password itself, only
// libsodium's crypto_pwhash_str of it (Argon2id, with its salt and costs in the
// string). The config file may hold either the password or such a hash
// (skirmish-server --hash-admin-password makes one). Remote administration
// (issue 11 item 4) checks a candidate with check_admin_password().
//
// IMPORTANT: hashing takes about a tenth of a second and 64 MiB on purpose;
// call it at start and on reload, never per message. check_admin_password()
// costs the same: rate-limit what calls it.
#pragma once

#include "shared/util/result.hpp"

#include <string>
#include <string_view>

namespace skirmish::server {

// Whether `text` is a crypto_pwhash_str string ("$argon2id$..." or "$argon2i$...").
bool is_admin_password_hash(std::string_view text);
// The hash to keep: `text` itself if it is one, else a fresh hash of it.
util::Result<std::string, std::string> hash_admin_password(const std::string& text);
// Whether `candidate` is the password `hash` was made from (constant time in libsodium).
bool check_admin_password(const std::string& hash, const std::string& candidate);

} // namespace skirmish::server
