#include "crypto/password.h"

#include <sodium.h>

#include <stdexcept>

#include "crypto/random.h"

namespace parley::crypto {

std::string hash_password(std::string_view password) {
  ensure_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    throw std::runtime_error("argon2id: out of memory");
  return out;
}

bool verify_password(std::string_view stored_hash, std::string_view password) {
  ensure_sodium();
  const std::string h(stored_hash);  // must be NUL-terminated
  if (h.rfind("$argon2id$", 0) != 0) return false;
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

const std::string& dummy_password_hash() {
  static const std::string h = hash_password(random_token(16));
  return h;
}

}  // namespace parley::crypto
