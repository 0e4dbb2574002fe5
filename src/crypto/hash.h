// Hashes used across Parley: SHA-256 (journal chain, token and session digests) and
// HMAC-SHA-1 (TOTP, RFC 6238). OpenSSL underneath. Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace parley::crypto {

std::string sha256_hex(std::string_view data);                 // 64 lower-case hex digits

// SHA-256 over data given in pieces. One thread at a time.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view data);
  std::string hex();   // once, at the end

 private:
  void* ctx_;   // EVP_MD_CTX
};
std::string hmac_sha1(std::string_view key, std::string_view data);  // 20 raw bytes
std::string to_hex(std::string_view bytes);
// Constant-time comparison of two strings of any length.
bool equal_constant_time(std::string_view a, std::string_view b);

}  // namespace parley::crypto
