// SecretBox: authenticated encryption of small secrets kept in the database (TOTP
// seeds) under a key that is not in the database: XChaCha20-Poly1305 (libsodium's
// crypto_aead_xchacha20poly1305_ietf) with a random 192-bit nonce per value. A copy of
// the database alone (a backup, a stolen file, a read through any hole) reveals none
// of them. The key lives in a file of its own (`load_or_create_key_file`), readable by
// Parley's user only.
//
// Sealed text is "v1:" + base64(nonce || ciphertext || tag); `purpose` is bound in as
// associated data, so a value sealed for one column cannot be replayed into another.
// Immutable after construction: thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace parley::crypto {

class SecretBox {
 public:
  static constexpr std::size_t kKeyBytes = 32;
  // `key` must be kKeyBytes raw bytes; throws std::invalid_argument otherwise.
  explicit SecretBox(std::string key);

  std::string seal(std::string_view plaintext, std::string_view purpose) const;
  // nullopt when `sealed` was not made by this key for this purpose (or is malformed).
  std::optional<std::string> open(std::string_view sealed, std::string_view purpose) const;
  static bool is_sealed(std::string_view text) { return text.starts_with("v1:"); }

 private:
  std::string key_;
};

// Reads a key file (64 hex digits), or creates one with a new random key (mode 0600,
// its folder created if missing) when there is none. Throws std::runtime_error if the
// file is unreadable, malformed, or readable by other users.
std::string load_or_create_key_file(const std::string& path);

}  // namespace parley::crypto
