#include "tlog/note.h"

#include <sodium.h>

#include <charconv>

#include "crypto/random.h"

namespace parley::tlog {

namespace {
const std::string kDash = "\xe2\x80\x94";   // U+2014 EM DASH

std::string hex32(std::uint32_t v) {
  static const char* d = "0123456789abcdef";
  std::string out(8, '0');
  for (int i = 7; i >= 0; --i, v >>= 4) out[static_cast<std::size_t>(i)] = d[v & 0xf];
  return out;
}

std::optional<std::uint32_t> parse_hex32(std::string_view s) {
  if (s.size() != 8) return std::nullopt;
  std::uint32_t v = 0;
  for (char c : s) {
    int n;
    if (c >= '0' && c <= '9') n = c - '0';
    else if (c >= 'a' && c <= 'f') n = c - 'a' + 10;
    else return std::nullopt;
    v = v << 4 | static_cast<std::uint32_t>(n);
  }
  return v;
}

std::string from_b64(std::string_view s, const char* what) {
  try {
    return crypto::from_base64(s);
  } catch (const std::exception&) {
    throw NoteError(std::string(what) + " is not valid base64");
  }
}

std::string b64(std::string_view s) { return crypto::base64(s); }

std::uint32_t read_be32(std::string_view s) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(s[0])) << 24 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[1])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[2])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[3]));
}

std::string be32(std::uint32_t v) {
  std::string out(4, '\0');
  for (int i = 3; i >= 0; --i, v >>= 8) out[static_cast<std::size_t>(i)] = static_cast<char>(v & 0xff);
  return out;
}

std::string be64(std::uint64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i, v >>= 8) out[static_cast<std::size_t>(i)] = static_cast<char>(v & 0xff);
  return out;
}

std::uint64_t read_be64(std::string_view s) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | static_cast<unsigned char>(s[static_cast<std::size_t>(i)]);
  return v;
}

bool has_forbidden_controls(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n') return true;
  return false;
}

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n;
    std::uint32_t cp;
    if (c < 0x80) { ++i; continue; }
    if ((c & 0xe0) == 0xc0) { n = 1; cp = c & 0x1f; }
    else if ((c & 0xf0) == 0xe0) { n = 2; cp = c & 0x0f; }
    else if ((c & 0xf8) == 0xf0) { n = 3; cp = c & 0x07; }
    else return false;
    if (i + n >= s.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = cp << 6 | (cc & 0x3f);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
        (cp >= 0xd800 && cp <= 0xdfff))
      return false;
    i += n + 1;
  }
  return true;
}

NoteSignature parse_signature_line(std::string_view line) {
  if (line.substr(0, kDash.size() + 1) != kDash + " ") throw NoteError("a signature line must begin with '— '");
  line.remove_prefix(kDash.size() + 1);
  const auto space = line.find(' ');
  if (space == std::string_view::npos) throw NoteError("a signature line needs a key name and a signature");
  NoteSignature s;
  s.name = std::string(line.substr(0, space));
  if (!valid_key_name(s.name)) throw NoteError("a signature line has an invalid key name");
  const auto raw = from_b64(line.substr(space + 1), "a signature");
  if (raw.size() < 5) throw NoteError("a signature is too short");
  s.key_id = read_be32(raw);
  s.signature = raw.substr(4);
  return s;
}
}  // namespace

bool valid_key_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name)
    if (c == '+' || static_cast<unsigned char>(c) <= 0x20) return false;
  // Unicode spaces (U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028/9, U+202F, U+205F, U+3000).
  static const char* spaces[] = {"\xc2\x85", "\xc2\xa0", "\xe1\x9a\x80", "\xe2\x80\xa8", "\xe2\x80\xa9",
                                 "\xe2\x80\xaf", "\xe2\x81\x9f", "\xe3\x80\x80"};
  for (const char* sp : spaces)
    if (name.find(sp) != std::string_view::npos) return false;
  for (unsigned char c = 0x80; c <= 0x8a; ++c)
    if (name.find(std::string("\xe2\x80") + static_cast<char>(c)) != std::string_view::npos) return false;
  return valid_utf8(name);
}

std::string NoteSignature::line() const { return kDash + " " + name + " " + b64(be32(key_id) + signature) + "\n"; }

std::string Note::format() const {
  std::string out = text + "\n";
  for (const auto& s : signatures) out += s.line();
  return out;
}

std::vector<NoteSignature> parse_signature_lines(std::string_view lines) {
  if (!valid_utf8(lines) || has_forbidden_controls(lines)) throw NoteError("signatures must be UTF-8 text");
  std::vector<NoteSignature> out;
  while (!lines.empty()) {
    const auto nl = lines.find('\n');
    if (nl == std::string_view::npos) throw NoteError("a signature line must end in a newline");
    if (out.size() == kMaxSignatures) throw NoteError("too many signatures");
    out.push_back(parse_signature_line(lines.substr(0, nl)));
    lines.remove_prefix(nl + 1);
  }
  return out;
}

Note parse_note(std::string_view note) {
  if (note.size() > 1 << 20) throw NoteError("the note is too large");
  if (!valid_utf8(note)) throw NoteError("the note is not valid UTF-8");
  if (has_forbidden_controls(note)) throw NoteError("the note contains control characters");
  if (note.empty() || note.back() != '\n') throw NoteError("the note must end in a newline");
  // The text ends at the last blank line ("\n\n").
  const auto split = note.rfind("\n\n");
  if (split == std::string_view::npos) throw NoteError("the note has no blank line before its signatures");
  Note n;
  n.text = std::string(note.substr(0, split + 1));
  n.signatures = parse_signature_lines(note.substr(split + 2));
  if (n.signatures.empty()) throw NoteError("the note has no signatures");
  return n;
}

std::uint32_t key_id(std::string_view name, std::uint8_t type, std::string_view public_key) {
  crypto::ensure_sodium();
  std::string buf(name);
  buf += '\n';
  buf += static_cast<char>(type);
  buf += public_key;
  unsigned char h[32];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(buf.data()), buf.size());
  return read_be32(std::string_view(reinterpret_cast<const char*>(h), 4));
}

Verifier Verifier::parse(std::string_view vkey) {
  const auto p1 = vkey.find('+');
  const auto p2 = p1 == std::string_view::npos ? p1 : vkey.find('+', p1 + 1);
  if (p2 == std::string_view::npos) throw NoteError("a verifier key is <name>+<key ID>+<key>");
  Verifier v;
  v.name = std::string(vkey.substr(0, p1));
  if (!valid_key_name(v.name)) throw NoteError("the verifier key's name is invalid");
  const auto id = parse_hex32(vkey.substr(p1 + 1, p2 - p1 - 1));
  if (!id) throw NoteError("the verifier key's ID is not 8 lower-case hex digits");
  const auto raw = from_b64(vkey.substr(p2 + 1), "the verifier key");
  if (raw.size() != 33) throw NoteError("the verifier key is not an Ed25519 key");
  v.type = static_cast<std::uint8_t>(raw[0]);
  if (v.type != kEd25519 && v.type != kCosignatureV1)
    throw NoteError("the verifier key's type is neither Ed25519 (1) nor a cosignature (4)");
  v.public_key = raw.substr(1);
  v.key_id = *id;
  if (tlog::key_id(v.name, v.type, v.public_key) != v.key_id) throw NoteError("the verifier key's ID does not match its key");
  return v;
}

std::string Verifier::vkey() const {
  return name + "+" + hex32(key_id) + "+" + b64(std::string(1, static_cast<char>(type)) + public_key);
}

bool Verifier::verify(std::string_view text, const NoteSignature& s, std::uint64_t* timestamp) const {
  if (!matches(s)) return false;
  crypto::ensure_sodium();
  const auto* pk = reinterpret_cast<const unsigned char*>(public_key.data());
  if (type == kEd25519) {
    if (s.signature.size() != crypto_sign_BYTES) return false;
    return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(s.signature.data()),
                                       reinterpret_cast<const unsigned char*>(text.data()), text.size(), pk) == 0;
  }
  if (s.signature.size() != 8 + crypto_sign_BYTES) return false;
  const auto ts = read_be64(s.signature);
  if (ts > (std::uint64_t{1} << 63) - 1) return false;
  const auto msg = cosigned_message(text, ts);
  if (crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(s.signature.data() + 8),
                                  reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), pk) != 0)
    return false;
  if (timestamp) *timestamp = ts;
  return true;
}

std::string cosigned_message(std::string_view checkpoint_text, std::uint64_t timestamp) {
  return "cosignature/v1\ntime " + std::to_string(timestamp) + "\n" + std::string(checkpoint_text);
}

namespace {
Signer make_signer(std::string name, std::uint8_t type, std::string seed) {
  if (!valid_key_name(name)) throw NoteError("a key name must be non-empty, without spaces or '+'");
  if (type != kEd25519 && type != kCosignatureV1) throw NoteError("unsupported key type");
  crypto::ensure_sodium();
  std::string pk(crypto_sign_PUBLICKEYBYTES, '\0'), sk(crypto_sign_SECRETKEYBYTES, '\0');
  crypto_sign_seed_keypair(reinterpret_cast<unsigned char*>(pk.data()), reinterpret_cast<unsigned char*>(sk.data()),
                           reinterpret_cast<const unsigned char*>(seed.data()));
  std::string text = "PRIVATE+KEY+" + name + "+" + hex32(key_id(name, type, pk)) + "+" +
                     b64(std::string(1, static_cast<char>(type)) + seed);
  sodium_memzero(seed.data(), seed.size());
  return Signer::parse(text);
}
}  // namespace

Signer Signer::generate(std::string name, std::uint8_t type) {
  return make_signer(std::move(name), type, crypto::random_bytes(32));
}

Signer Signer::parse(std::string_view text) {
  constexpr std::string_view kPrefix = "PRIVATE+KEY+";
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  if (text.substr(0, kPrefix.size()) != kPrefix) throw NoteError("a private key begins with PRIVATE+KEY+");
  text.remove_prefix(kPrefix.size());
  const auto p1 = text.find('+');
  const auto p2 = p1 == std::string_view::npos ? p1 : text.find('+', p1 + 1);
  if (p2 == std::string_view::npos) throw NoteError("a private key is PRIVATE+KEY+<name>+<key ID>+<key>");
  Signer s;
  s.name_ = std::string(text.substr(0, p1));
  if (!valid_key_name(s.name_)) throw NoteError("the private key's name is invalid");
  const auto id = parse_hex32(text.substr(p1 + 1, p2 - p1 - 1));
  auto raw = from_b64(text.substr(p2 + 1), "the private key");
  if (!id || raw.size() != 33) throw NoteError("the private key is not an Ed25519 key");
  s.type_ = static_cast<std::uint8_t>(raw[0]);
  if (s.type_ != kEd25519 && s.type_ != kCosignatureV1) throw NoteError("unsupported private key type");
  s.seed_ = raw.substr(1);
  sodium_memzero(raw.data(), raw.size());
  crypto::ensure_sodium();
  s.public_key_.assign(crypto_sign_PUBLICKEYBYTES, '\0');
  s.secret_key_.assign(crypto_sign_SECRETKEYBYTES, '\0');
  crypto_sign_seed_keypair(reinterpret_cast<unsigned char*>(s.public_key_.data()),
                           reinterpret_cast<unsigned char*>(s.secret_key_.data()),
                           reinterpret_cast<const unsigned char*>(s.seed_.data()));
  if (key_id(s.name_, s.type_, s.public_key_) != *id) throw NoteError("the private key's ID does not match its key");
  return s;
}

std::string Signer::private_key() const {
  return "PRIVATE+KEY+" + name_ + "+" + hex32(key_id(name_, type_, public_key_)) + "+" +
         b64(std::string(1, static_cast<char>(type_)) + seed_);
}

Verifier Signer::verifier() const {
  return Verifier{name_, key_id(name_, type_, public_key_), type_, public_key_};
}

NoteSignature Signer::sign(std::string_view text) const {
  if (type_ != kEd25519) throw NoteError("a witness key signs cosignatures, not notes");
  std::string sig(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(sig.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                       reinterpret_cast<const unsigned char*>(secret_key_.data()));
  return {name_, key_id(name_, type_, public_key_), sig};
}

NoteSignature Signer::cosign(std::string_view checkpoint_text, std::uint64_t timestamp) const {
  if (type_ != kCosignatureV1) throw NoteError("a log key signs notes, not cosignatures");
  const auto msg = cosigned_message(checkpoint_text, timestamp);
  std::string sig(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(sig.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
                       reinterpret_cast<const unsigned char*>(secret_key_.data()));
  return {name_, key_id(name_, type_, public_key_), be64(timestamp) + sig};
}

}  // namespace parley::tlog
