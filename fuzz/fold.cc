// Fuzz target: fold_for_search, the search folding of every stored haystack and every
// search word (common/fold.h). The bytes are any text, valid UTF-8 or not: the result
// must be valid UTF-8, bounded in size, with no ASCII upper case left, and folding
// must never throw.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/fold.h"
#include "common/text.h"
#include "fuzz/property.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = parley::fuzz::text_of(data, size);
  const std::string out = parley::fold_for_search(text);
  FUZZ_PROPERTY(parley::is_valid_utf8(out), "folded text is UTF-8");
  const std::size_t in = size < parley::kFoldMaxInput ? size : parley::kFoldMaxInput;
  FUZZ_PROPERTY(out.size() <= 4 * in + 16, "folding grows text at most fourfold");
  for (char c : out) FUZZ_PROPERTY(!(c >= 'A' && c <= 'Z'), "no ASCII upper case is left");
  return 0;
}
