// Hashes used across Parley: SHA-256 (journal chain, token and session digests) and
// HMAC-SHA-1 (TOTP, RFC 6238). OpenSSL underneath. Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace parley::crypto {

std::string sha256_hex(std::string_view data);                 // 64 lower-case hex digits
std::string hmac_sha1(std::string_view key, std::string_view data);  // 20 raw bytes
std::string to_hex(std::string_view bytes);
// Constant-time comparison of two strings of any length.
bool equal_constant_time(std::string_view a, std::string_view b);

}  // namespace parley::crypto
