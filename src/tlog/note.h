// C2SP signed notes (c2sp.org/signed-note): a text signed by one or more keys, the
// verifier-key ("vkey") and private-key encodings, Ed25519 signatures (type 0x01) and
// C2SP timestamped Ed25519 cosignatures (type 0x04, c2sp.org/tlog-cosignature).
// Parsing refuses anything the specification forbids (control characters, a missing
// blank line, a malformed signature line) and bounds the number of signatures.
// Keys are libsodium Ed25519. Values; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace parley::tlog {

class NoteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

constexpr std::uint8_t kEd25519 = 0x01;
constexpr std::uint8_t kCosignatureV1 = 0x04;
constexpr std::size_t kMaxSignatures = 64;

struct NoteSignature {
  std::string name;
  std::uint32_t key_id = 0;
  std::string signature;   // the bytes after the key ID
  std::string line() const;   // "— name base64(id || signature)\n"
};

struct Note {
  std::string text;   // ends in '\n'
  std::vector<NoteSignature> signatures;
  std::string format() const;   // text, blank line, signature lines
};

// Splits a signed note; throws NoteError saying what is wrong.
Note parse_note(std::string_view note);
// Signature lines alone (a witness's response); throws NoteError.
std::vector<NoteSignature> parse_signature_lines(std::string_view lines);
bool valid_key_name(std::string_view name);

std::uint32_t key_id(std::string_view name, std::uint8_t type, std::string_view public_key);

// A public key that verifies notes: Ed25519 (type 0x01, a log) or a timestamped
// cosignature (type 0x04, a witness).
struct Verifier {
  std::string name;
  std::uint32_t key_id = 0;
  std::uint8_t type = kEd25519;
  std::string public_key;   // 32 bytes

  // "<name>+<hex key ID>+<base64(type || key)>"; throws NoteError.
  static Verifier parse(std::string_view vkey);
  std::string vkey() const;
  // Does `s` (matching name and key ID) sign `text`? For cosignatures, `timestamp` gets
  // the signed time.
  bool verify(std::string_view text, const NoteSignature& s, std::uint64_t* timestamp = nullptr) const;
  bool matches(const NoteSignature& s) const { return s.name == name && s.key_id == key_id; }
};

// An Ed25519 private key with its name: a log's (type 0x01) or a witness's (0x04).
class Signer {
 public:
  // A new random key.
  static Signer generate(std::string name, std::uint8_t type);
  // "PRIVATE+KEY+<name>+<hex key ID>+<base64(type || 32-byte seed)>" (the format of Go's
  // golang.org/x/mod/sumdb/note); throws NoteError.
  static Signer parse(std::string_view private_key);
  std::string private_key() const;
  Verifier verifier() const;
  const std::string& name() const { return name_; }
  std::uint8_t type() const { return type_; }

  // An Ed25519 signature of `text` (type 0x01 only).
  NoteSignature sign(std::string_view text) const;
  // A cosignature/v1 of a checkpoint's text at `timestamp` (type 0x04 only).
  NoteSignature cosign(std::string_view checkpoint_text, std::uint64_t timestamp) const;

 private:
  std::string name_;
  std::uint8_t type_ = kEd25519;
  std::string seed_;         // 32 bytes
  std::string secret_key_;   // libsodium's 64 bytes
  std::string public_key_;   // 32 bytes
};

// The message a type 0x04 cosignature signs.
std::string cosigned_message(std::string_view checkpoint_text, std::uint64_t timestamp);

}  // namespace parley::tlog
