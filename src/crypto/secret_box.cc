#include "crypto/secret_box.h"

#include <sodium.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "crypto/random.h"

namespace parley::crypto {

namespace {
constexpr std::string_view kPrefix = "v1:";
constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == SecretBox::kKeyBytes);

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
}  // namespace

SecretBox::SecretBox(std::string key) : key_(std::move(key)) {
  if (key_.size() != kKeyBytes) throw std::invalid_argument("a SecretBox key is 32 bytes");
  ensure_sodium();
}

std::string SecretBox::seal(std::string_view plaintext, std::string_view purpose) const {
  const auto nonce = random_bytes(kNonce);
  std::string out(nonce);
  out.resize(kNonce + plaintext.size() + kTag);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char*>(out.data()) + kNonce, &written,
                                             bytes(plaintext), plaintext.size(), bytes(purpose), purpose.size(),
                                             nullptr, bytes(nonce), bytes(key_));
  out.resize(kNonce + written);
  return std::string(kPrefix) + base64(out);
}

std::optional<std::string> SecretBox::open(std::string_view sealed, std::string_view purpose) const {
  if (!is_sealed(sealed)) return std::nullopt;
  std::string raw;
  try {
    raw = from_base64(sealed.substr(kPrefix.size()));
  } catch (const std::invalid_argument&) {
    return std::nullopt;
  }
  if (raw.size() < kNonce + kTag) return std::nullopt;
  std::string plain(raw.size() - kNonce - kTag, '\0');
  unsigned long long n = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(plain.data()), &n, nullptr,
                                                 bytes(raw) + kNonce, raw.size() - kNonce, bytes(purpose),
                                                 purpose.size(), bytes(raw), bytes(key_)) != 0)
    return std::nullopt;
  plain.resize(n);
  return plain;
}

std::string load_or_create_key_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    const auto parent = fs::path(path).parent_path();
    if (!parent.empty()) fs::create_directories(parent, ec);
    const auto key = random_bytes(SecretBox::kKeyBytes);
    std::string hex(SecretBox::kKeyBytes * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), bytes(key), key.size());
    hex.pop_back();
    const auto old = ::umask(077);   // created 0600, never readable by others even briefly
    {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out << hex << "\n";
      out.flush();
      if (!out) {
        ::umask(old);
        throw std::runtime_error("cannot write the key file " + path);
      }
    }
    ::umask(old);
    return key;
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw std::runtime_error("cannot read the key file " + path);
  if (st.st_mode & 077)
    throw std::runtime_error("the key file " + path + " is readable by other users; chmod 600 it");
  std::ifstream in(path, std::ios::binary);
  std::string hex;
  std::getline(in, hex);
  std::string key(SecretBox::kKeyBytes, '\0');
  std::size_t n = 0;
  if (hex.size() != SecretBox::kKeyBytes * 2 ||
      sodium_hex2bin(reinterpret_cast<unsigned char*>(key.data()), key.size(), hex.data(), hex.size(), nullptr, &n,
                     nullptr) != 0 ||
      n != SecretBox::kKeyBytes)
    throw std::runtime_error("the key file " + path + " is not 64 hex digits");
  return key;
}

}  // namespace parley::crypto
