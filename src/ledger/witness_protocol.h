// The log's side of c2sp.org/tlog-witness, without I/O: the add-checkpoint request body
// Parley sends a witness, and what the witness's answer means (a cosignature to keep,
// a retry from the size the witness says it holds, a refusal, or a witness that is down).
// Functions; thread-safe. The loop that sends is witness_client.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tlog/merkle.h"
#include "tlog/note.h"

namespace parley::ledger {

// "old N\n" + one base64 hash per line + "\n" + the signed checkpoint.
std::string add_checkpoint_body(std::uint64_t old_size, const std::vector<tlog::Hash>& proof,
                                std::string_view checkpoint_note);

struct WitnessAnswer {
  enum class Kind { kCosigned, kRetry, kRefused, kDown };
  Kind kind = Kind::kDown;
  std::string line;             // kCosigned: the verified cosignature line
  std::uint64_t timestamp = 0;  // kCosigned: its time
  std::uint64_t size = 0;       // kRetry: the size the witness holds
  std::string reason;           // kRefused / kDown: a sentence for people
};

// What an answer to add-checkpoint means. `checkpoint_text` is the checkpoint's note
// text (what the cosignature signs); `tree_size` is the log's tree size (a 409 naming a
// size within it is worth one retry from that size; beyond it, the witness saw a longer
// log than ours: a refusal).
WitnessAnswer interpret_witness_answer(int status, std::string_view content_type, std::string_view body,
                                       std::string_view checkpoint_text, const tlog::Verifier& witness,
                                       std::uint64_t tree_size);

}  // namespace parley::ledger
