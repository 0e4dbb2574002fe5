// Cryptographically secure randomness (libsodium). Thread-safe.
#pragma once

#include <cstddef>
#include <string>

namespace parley::crypto {

void ensure_sodium();                          // sodium_init once; throws on failure
std::string random_bytes(std::size_t n);
std::string random_token(std::size_t bytes);   // base64url without padding
std::string base64url(std::string_view bytes);

}  // namespace parley::crypto
