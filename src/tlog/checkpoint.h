// C2SP checkpoints (c2sp.org/tlog-checkpoint): the note text "origin\nsize\nbase64 root\n"
// (plus optional extension lines), and C2SP tlog-proof receipts (c2sp.org/tlog-proof):
// an entry's index, its inclusion proof and the checkpoint, optionally with extra data.
// Parsers refuse malformed input with CheckpointError. Values; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "tlog/merkle.h"
#include "tlog/note.h"

namespace parley::tlog {

class CheckpointError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Checkpoint {
  std::string origin;
  std::uint64_t size = 0;
  Hash root{};
  std::vector<std::string> extensions;

  std::string text() const;   // the note text
  // From a note's text; throws CheckpointError.
  static Checkpoint parse(std::string_view text);
};

// A checkpoint as signed: its note (text and every signature).
struct SignedCheckpoint {
  Checkpoint checkpoint;
  Note note;
  // Throws NoteError / CheckpointError.
  static SignedCheckpoint parse(std::string_view note_text);
  // The log's signature must verify; the witnesses' are counted. Returns the number of
  // distinct witnesses in `witnesses` whose cosignature verifies. Throws CheckpointError
  // when the log's signature is missing or wrong, or when a known witness's is wrong.
  std::size_t verify(const Verifier& log, const std::vector<Verifier>& witnesses) const;
};

// c2sp.org/tlog-proof@v1.
struct Receipt {
  std::optional<std::string> extra;   // decoded extra data (Parley: the entry's leaf data)
  std::uint64_t index = 0;
  std::vector<Hash> proof;
  std::string checkpoint;   // the signed checkpoint, verbatim

  std::string format() const;
  static Receipt parse(std::string_view text);   // throws CheckpointError
};

// "x001/x234/067" for 1234067 (c2sp.org/tlog-tiles).
std::string tile_index_path(std::uint64_t n);
struct TilePath {
  int level = 0;              // -1 for entry bundles (tile/entries/...)
  std::uint64_t index = 0;
  int width = 256;            // 1..255 for partial tiles
};
// Parses "<L>/<N>[.p/<W>]" or "entries/<N>[.p/<W>]" (after "tile/"); nullopt if malformed.
std::optional<TilePath> parse_tile_path(std::string_view path);

}  // namespace parley::tlog
