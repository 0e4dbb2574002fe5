// Fuzz target: the signed-note and checkpoint parsers (tlog/note.h, tlog/checkpoint.h)
// that read what a log serves `parley verify` and what a witness is sent: parse_note,
// SignedCheckpoint::parse, parse_signature_lines and Verifier::parse, then signature
// checks with a fixed key. Only NoteError / CheckpointError may be thrown; an accepted
// note has at most kMaxSignatures signatures and reads back the same once formatted; a
// checkpoint's text is the note's text; verifying never throws and never accepts a
// signature the key did not make (Ed25519 signatures are deterministic).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/property.h"
#include "tlog/checkpoint.h"

using namespace parley::tlog;

namespace {
const Signer& log_key() {
  static const Signer k = Signer::generate("parley.test/ledger", kEd25519);
  return k;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = parley::fuzz::text_of(data, size);
  try {
    (void)parse_signature_lines(text);
  } catch (const NoteError&) {
  }
  try {
    const auto v = Verifier::parse(text.substr(0, text.find('\n')));
    FUZZ_PROPERTY(v.public_key.size() == 32, "a verifier key holds 32 bytes");
  } catch (const NoteError&) {
  }
  Note note;
  try {
    note = parse_note(text);
  } catch (const NoteError&) {
    return 0;
  }
  FUZZ_PROPERTY(note.signatures.size() <= kMaxSignatures, "at most kMaxSignatures signatures");
  FUZZ_PROPERTY(!note.text.empty() && note.text.back() == '\n', "a note's text ends in a newline");
  try {
    const auto again = parse_note(note.format());
    FUZZ_PROPERTY(again.text == note.text && again.signatures.size() == note.signatures.size(),
                  "a formatted note reads back the same");
    for (std::size_t i = 0; i < note.signatures.size(); ++i)
      FUZZ_PROPERTY(again.signatures[i].line() == note.signatures[i].line(), "signature lines read back the same");
  } catch (const NoteError&) {
    FUZZ_PROPERTY(false, "a formatted note parses");
  }
  const auto verifier = log_key().verifier();
  for (const auto& s : note.signatures) {
    std::uint64_t ts = 0;
    // The fuzzer cannot forge an Ed25519 signature: only a signature of this text by
    // the fixed key could verify, and the fuzzer does not have one.
    FUZZ_PROPERTY(!verifier.verify(note.text, s, &ts) || s.signature == log_key().sign(note.text).signature,
                  "no forged signature verifies");
  }
  try {
    const auto cp = SignedCheckpoint::parse(text);
    FUZZ_PROPERTY(Checkpoint::parse(cp.checkpoint.text()).size == cp.checkpoint.size, "a checkpoint's text reads back");
    try {
      (void)cp.verify(verifier, {});
    } catch (const CheckpointError&) {
    }
  } catch (const CheckpointError&) {
  } catch (const NoteError&) {
  }
  return 0;
}
