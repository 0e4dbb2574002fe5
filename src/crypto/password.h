// Password hashing with argon2id (libsodium crypto_pwhash_str, interactive limits).
// The stored string carries its own salt and parameters. Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace parley::crypto {

// Throws std::runtime_error if libsodium cannot allocate the working memory.
std::string hash_password(std::string_view password);
bool verify_password(std::string_view stored_hash, std::string_view password);
// A stable argon2id hash of a random secret: lets sign-in spend the same time whether
// or not the user exists.
const std::string& dummy_password_hash();

}  // namespace parley::crypto
