#include "crypto/totp.h"

#include <fmt/format.h>

#include "crypto/hash.h"
#include "crypto/random.h"

namespace parley::crypto {

namespace {
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string uri_escape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') out.push_back(static_cast<char>(c));
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}
}  // namespace

std::string base32_encode(std::string_view bytes) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kAlphabet[(buffer >> (bits - 5)) & 0x1f]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 0x1f]);
  return out;
}

std::optional<std::string> base32_decode(std::string_view text) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char ch : text) {
    if (ch == '=' || ch == ' ') continue;
    const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= '2' && c <= '7') v = c - '2' + 26;
    else return std::nullopt;
    buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<char>((buffer >> (bits - 8)) & 0xff));
      bits -= 8;
    }
  }
  return out;
}

std::string totp_code(std::string_view secret, std::int64_t unix_time, int digits, int step) {
  const auto counter = static_cast<std::uint64_t>(unix_time / step);
  std::string msg(8, '\0');
  for (int i = 7; i >= 0; --i) msg[static_cast<std::size_t>(i)] = static_cast<char>((counter >> (8 * (7 - i))) & 0xff);
  const auto mac = hmac_sha1(secret, msg);
  const auto offset = static_cast<std::size_t>(mac[19] & 0x0f);
  const std::uint32_t bin = ((static_cast<std::uint32_t>(mac[offset]) & 0x7f) << 24) |
                            ((static_cast<std::uint32_t>(mac[offset + 1]) & 0xff) << 16) |
                            ((static_cast<std::uint32_t>(mac[offset + 2]) & 0xff) << 8) |
                            (static_cast<std::uint32_t>(mac[offset + 3]) & 0xff);
  std::uint32_t mod = 1;
  for (int i = 0; i < digits; ++i) mod *= 10;
  return fmt::format("{:0{}}", bin % mod, digits);
}

std::optional<std::int64_t> totp_verify(std::string_view secret, std::string_view code,
                                        std::int64_t unix_time, int window) {
  if (code.size() != 6) return std::nullopt;
  for (int d = -window; d <= window; ++d) {
    const auto t = unix_time + static_cast<std::int64_t>(d) * 30;
    if (equal_constant_time(totp_code(secret, t), code)) return t / 30;
  }
  return std::nullopt;
}

std::string new_totp_secret() { return base32_encode(random_bytes(20)); }

std::string otpauth_uri(std::string_view issuer, std::string_view account,
                        std::string_view base32_secret) {
  return fmt::format("otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits=6&period=30",
                     uri_escape(issuer), uri_escape(account), base32_secret, uri_escape(issuer));
}

}  // namespace parley::crypto
