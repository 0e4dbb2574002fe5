// Snippets: where a search's terms are found in a document's original text, cut out
// with a little context and the matched words marked, so that a reader sees the passage
// as written (case, accents and all), not the folded form the indexes hold.
//
// Found the way search_text.h finds them: a word term matches a whole word once folded,
// a prefix the start of one, a phrase consecutive words, a span a substring of a run of
// Chinese, Japanese, Korean, Thai or Arabic. Excluded terms are never marked.
// Pure functions: thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "library/search_text.h"

namespace parley::library {

struct SnippetPart {
  std::string text;
  bool hit = false;
};

struct Snippet {
  std::size_t page = 0;               // the page of the text it comes from (from 1; 0: title and summary)
  std::vector<SnippetPart> parts;     // concatenated: the original text around the match
  bool cut_before = false;            // the line goes on before the first part
  bool cut_after = false;             // and after the last
};

// At most `max` snippets from `pages` (page numbers from `first_page`), in page order,
// each about `width` bytes of context; reads at most `budget` bytes of text in all.
std::vector<Snippet> find_snippets(const std::vector<std::string>& pages, const LibraryQuery& q, std::size_t max,
                                   std::size_t first_page = 1, std::size_t width = 200,
                                   std::size_t budget = 4u << 20);

}  // namespace parley::library
