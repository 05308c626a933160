// server/config/admin_password.cpp
#include "server/config/admin_password.hpp"

#include <sodium.h>

namespace skirmish::server {

bool is_admin_password_hash(std::string_view text) {
    return text.starts_with("$argon2id$") || text.starts_with("$argon2i$");
}

util::Result<std::string, std::string> hash_admin_password(const std::string& text) {
    if (is_admin_password_hash(text)) {
        if (text.size() >= crypto_pwhash_STRBYTES)
            return util::fail(std::string("admin_password looks like a hash but is too long to be one"));
        return text;
    }
    if (sodium_init() < 0) return util::fail(std::string("libsodium could not be initialised"));
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, text.data(), text.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return util::fail(std::string("hashing the admin password ran out of memory (it needs 64 MiB)"));
    return std::string(out);
}

bool check_admin_password(const std::string& hash, const std::string& candidate) {
    if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
    return crypto_pwhash_str_verify(hash.c_str(), candidate.data(), candidate.size()) == 0;
}

} // namespace skirmish::server
