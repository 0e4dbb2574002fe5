// Fuzz target: the library's search box (library/search_text.h), which anyone signed in
// types into, and the analysis of the texts it searches.
//
// The bytes are a query. parse_query refuses only with a 400 Problem naming the field;
// what it accepts has at most 32 terms, each with something to match, and each term
// quotes cleanly for FTS5 and PostgreSQL (quotes balanced). index_text of the same
// bytes gives words without spaces and spans without line breaks, so that the columns
// built from them cut back into the same pieces. Snippets of the text for the query are
// pieces of it, cut at character boundaries, each marking a match (library/snippet.h).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/problem.h"
#include "common/text.h"
#include "fuzz/property.h"
#include "library/search_text.h"
#include "library/snippet.h"

namespace {

bool balanced(const std::string& s, char quote) { return std::count(s.begin(), s.end(), quote) % 2 == 0; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = parley::fuzz::text_of(data, size);
  using parley::library::QueryTerm;
  try {
    const auto q = parley::library::parse_query(text, "q");
    FUZZ_PROPERTY(q.terms.size() <= 32, "at most 32 terms");
    for (const auto& t : q.terms) {
      if (t.kind == QueryTerm::Kind::kSpan) {
        FUZZ_PROPERTY(!t.span.empty(), "a span has text");
      } else {
        FUZZ_PROPERTY(!t.words.empty(), "a term has words");
        for (const auto& w : t.words) FUZZ_PROPERTY(!w.empty() && parley::is_valid_utf8(w), "words are UTF-8");
        FUZZ_PROPERTY(balanced(parley::library::tsquery_term(t), '\''), "tsquery quotes balance");
      }
      FUZZ_PROPERTY(balanced(parley::library::fts5_term(t), '"'), "FTS5 quotes balance");
    }
    // Snippets of the query's own text (and of the text with its case changed): each is
    // a piece of the text, cut at character boundaries, with something marked.
    const std::string haystack(text);
    for (const auto& s : parley::library::find_snippets({haystack, haystack + "\n" + haystack}, q, 3)) {
      std::string joined;
      bool any_hit = false;
      for (const auto& part : s.parts) {
        FUZZ_PROPERTY(!part.text.empty(), "a part has text");
        joined += part.text;
        any_hit = any_hit || part.hit;
        FUZZ_PROPERTY(!parley::is_valid_utf8(haystack) || parley::is_valid_utf8(part.text), "parts of UTF-8 are UTF-8");
      }
      FUZZ_PROPERTY(any_hit, "a snippet marks what matched");
      FUZZ_PROPERTY(haystack.find(joined) != std::string::npos, "a snippet is a piece of the text");
    }
  } catch (const parley::Problem& p) {
    FUZZ_PROPERTY(p.status() == 400, "a refusal is a 400");
    FUZZ_PROPERTY(p.errors().size() == 1 && p.errors()[0].field == "q", "a refusal names the field");
  }
  const auto t = parley::library::index_text(text.substr(0, 4096));
  for (const auto& w : t.words) FUZZ_PROPERTY(!w.empty() && w.find(' ') == std::string::npos, "a word has no space");
  for (const auto& s : t.spans) FUZZ_PROPERTY(!s.empty() && s.find('\n') == std::string::npos, "a span has no line break");
  // The words column is the words, then the spans' pairs of characters, cut at single
  // spaces (FTS5 and the tsvector split it there); the words alone analyse to themselves.
  const auto column = parley::library::words_column(t);
  auto listed = t.words;
  for (auto& b : parley::library::span_bigrams(t)) {
    FUZZ_PROPERTY(!b.empty() && b.find(' ') == std::string::npos, "a pair has no space");
    listed.push_back(std::move(b));
  }
  std::vector<std::string> split;
  for (std::size_t at = 0; at < column.size();) {
    const auto end = std::min(column.find(' ', at), column.size());
    split.emplace_back(column.substr(at, end - at));
    at = end + 1;
  }
  FUZZ_PROPERTY(split == listed, "the words column cuts back into the words and the pairs");
  parley::library::IndexedText words_only;
  words_only.words = t.words;
  FUZZ_PROPERTY(parley::library::index_text(parley::library::words_column(words_only)).words == t.words,
                "the words cut back into the same words");
  return 0;
}
