// Folding for search: one form of a text that ignores case and diacritics in every
// script, so that "Казахстан" finds "КАЗАХСТАН", "Ё" finds "Е", "é" finds "e",
// "Ἀθῆναι" finds "ΑΘΗΝΑΙ" and "İstanbul" finds "istanbul". Stored haystacks and the
// words searched for are folded by the same function. Built on ICU (Unicode case
// folding and normalization), which only fold.cc includes.
// Pure function: thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace parley {

// At most this many bytes of input are folded; the rest is ignored (a haystack is
// never that long, and a search word is bounded far below it).
inline constexpr std::size_t kFoldMaxInput = 1 << 20;

// Case-folds (full Unicode folding: "ß" -> "ss", final sigma -> sigma), removes
// non-spacing marks after canonical decomposition (accents, diaeresis, breve: "Ё" ->
// "е", "й" -> "и", "ά" -> "α"), maps the Turkish dotless ı to i, and recomposes (NFC).
// Invalid UTF-8 becomes U+FFFD; never throws for any input.
std::string fold_for_search(std::string_view utf8);

}  // namespace parley
