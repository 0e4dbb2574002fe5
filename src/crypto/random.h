// Cryptographically secure randomness (libsodium). Thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace parley::crypto {

void ensure_sodium();                          // sodium_init once; throws on failure
std::string random_bytes(std::size_t n);
std::string random_token(std::size_t bytes);   // base64url without padding
std::string uuid4();                           // a random (version 4) UUID, lower-case
std::string base64url(std::string_view bytes);
// Standard base64 with padding (RFC 4648 section 4), for binary content kept in text columns.
std::string base64(std::string_view bytes);
std::string from_base64(std::string_view text);   // throws std::invalid_argument if malformed

}  // namespace parley::crypto
