// Time-based one-time passwords (RFC 6238, HMAC-SHA-1, 30 s steps, 6 digits) and the
// base32 (RFC 4648) encoding authenticator apps use for secrets. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parley::crypto {

std::string base32_encode(std::string_view bytes);
std::optional<std::string> base32_decode(std::string_view text);

// The code for counter value floor(unix_time / step); `digits` 6..8.
std::string totp_code(std::string_view secret, std::int64_t unix_time, int digits = 6,
                      int step = 30);
// Accepts the code of the current step or of `window` steps either side; returns the
// matched step so callers can refuse replays of the same step.
std::optional<std::int64_t> totp_verify(std::string_view secret, std::string_view code,
                                        std::int64_t unix_time, int window = 1);
std::string new_totp_secret();   // 20 random bytes, base32
std::string otpauth_uri(std::string_view issuer, std::string_view account,
                        std::string_view base32_secret);

}  // namespace parley::crypto
