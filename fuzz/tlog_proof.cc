// Fuzz target: tlog::Receipt::parse, the c2sp.org/tlog-proof parser that `parley verify
// --receipt` runs on files a state was handed (tlog/checkpoint.h), then the checkpoint
// it carries (SignedCheckpoint::parse) and the inclusion check over them. Only
// CheckpointError / NoteError may be thrown; an accepted proof has at most 64 hashes and
// reads back the same once formatted; verifying it never throws.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/property.h"
#include "tlog/checkpoint.h"

using namespace parley::tlog;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = parley::fuzz::text_of(data, size);
  Receipt r;
  try {
    r = Receipt::parse(text);
  } catch (const CheckpointError&) {
    return 0;
  }
  FUZZ_PROPERTY(r.proof.size() <= 64, "an inclusion proof has at most 64 hashes");
  FUZZ_PROPERTY(!r.checkpoint.empty(), "an accepted proof carries a checkpoint");
  Receipt again;
  try {
    again = Receipt::parse(r.format());
  } catch (const CheckpointError&) {
    FUZZ_PROPERTY(false, "a formatted proof parses");
  }
  FUZZ_PROPERTY(
      again.index == r.index && again.proof == r.proof && again.extra == r.extra && again.checkpoint == r.checkpoint,
      "a formatted proof reads back the same");
  try {
    const auto cp = SignedCheckpoint::parse(r.checkpoint);
    const auto leaf = leaf_hash(r.extra.value_or(""));
    (void)verify_inclusion(leaf, r.index, cp.checkpoint.size, r.proof, cp.checkpoint.root);
  } catch (const CheckpointError&) {
  } catch (const NoteError&) {
  }
  return 0;
}
