// The comparison view's arithmetic: definitions of one term, side by side, each cut into
// parts, a part marked `distinct` when its words are not in every other definition
// compared (what sets this definition apart). Words are compared folded (common/fold.h:
// case and diacritics); in Chinese, Japanese, Korean, Thai and Arabic runs, character by
// character (library/search_text.h's spans).
// Pure function: thread-safe.
#pragma once

#include <string>
#include <vector>

namespace parley::glossary {

struct ComparedPart {
  std::string text;
  bool distinct = false;
};

// For each text, its parts (concatenated: the text as given). With fewer than two texts
// nothing is distinct.
std::vector<std::vector<ComparedPart>> compare_definitions(const std::vector<std::string>& texts);

}  // namespace parley::glossary
