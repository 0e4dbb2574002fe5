// How the library's texts and the queries over them are cut into what its search indexes
// hold: one analysis in C++, so that SQLite (FTS5) and PostgreSQL (tsvector, pg_trgm)
// index exactly the same things and answer the same query alike (their own tokenizers
// disagree on hyphens, fractions, Thai and Devanagari marks...).
//
// A text is folded first (common/fold.h: case and diacritics, in every script), then cut
// at every character that is not a letter, mark or digit:
//  - runs in scripts written with spaces between words (Latin, Cyrillic, Greek,
//    Armenian, Georgian, Hebrew, Devanagari, ...) become words, matched whole or by
//    prefix ("кибербезопасност*");
//  - runs in scripts written without them, or whose words carry attached particles
//    (Han, Hiragana, Katakana, Hangul, Thai, Lao, Khmer, Myanmar, Tibetan, Arabic),
//    become spans, matched by substring ("网络安全" inside "中华人民共和国网络安全法").
//
// The query language: words and spans as above, "a phrase" (words in this order; a
// hyphenated or otherwise joined word is one too), prefix*, -excluded, and filters
// field:value (state:KAZ kind:law tag:norm-13 lang:ru year:2023 forum:CICA; another
// name before a colon is text, as in "ISO/IEC 27000:2018"); every term must match.
// Pure functions: thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace parley::library {

struct IndexedText {
  std::vector<std::string> words;   // folded, in order (a word's position is its index + 1)
  std::vector<std::string> spans;   // folded runs of the scripts matched by substring
};

IndexedText index_text(std::string_view utf8);

// What each engine stores for a text: the words separated by single spaces (FTS5's
// unicode61, told that letters, marks, digits and private-use characters are word
// characters, cuts them exactly there; PostgreSQL splits it at the spaces); the spans
// one per line (a substring never crosses from one to the next).
// The words column ends with the distinct pairs of adjacent characters of the spans
// (span_bigrams; as Lucene's CJK analyzer does), so that a span of two characters,
// under the trigram indexes' reach, is a word looked up in the words index.
std::string words_column(const IndexedText& t);
// The distinct pairs of adjacent characters within each span, in order of first
// appearance, at most 16,384 (a part holds at most 32 KiB of spans: ~11,000 characters).
std::vector<std::string> span_bigrams(const IndexedText& t);
// `t` cut into parts that each engine indexes whole: at most 10,000 words and 256 KiB of
// words, and 32 KiB of spans, each (a phrase is not found across two parts). One part when small.
std::vector<IndexedText> index_parts(IndexedText t);
std::string spans_column(const IndexedText& t);

// A run of an unfolded text, as index_text would cut it once folded: a word or a span,
// by its bytes [begin, end) in the text.
struct TextRun {
  bool span = false;
  std::size_t begin = 0, end = 0;
};
std::vector<TextRun> text_runs(std::string_view utf8);

struct QueryTerm {
  enum class Kind { kWord, kPrefix, kPhrase, kSpan };
  Kind kind = Kind::kWord;
  std::vector<std::string> words;   // kWord, kPrefix: one; kPhrase: two or more, in order
  std::string span;                 // kSpan: the folded substring
  bool excluded = false;            // -term: must not match
};

struct LibraryQuery {
  std::vector<QueryTerm> terms;
  std::map<std::string, std::vector<std::string>> filters;   // field -> values (any of them)
  bool empty() const { return terms.empty() && filters.empty(); }
};

// The filters a query may name.
inline constexpr std::string_view kQueryFilters[] = {"state", "kind", "tag", "lang", "year", "forum"};

// Parses a search box's text. Throws a 400 Problem naming `field` for what cannot be a
// query: an unclosed quote, an unknown filter, a query over 500 bytes or 32 terms (or 8
// exclusions, 4 prefixes, 2 single-character spans), a query of exclusions only, a prefix of fewer
// than two letters.
LibraryQuery parse_query(std::string_view q, const std::string& field = "q");

// A word, prefix or phrase term as an FTS5 query over the words column ("a", "a" *,
// "a b") and as a PostgreSQL tsquery literal ('a', 'a':*, 'a' <-> 'b'). Exclusion is
// the caller's (NOT IN): FTS5 has no unary NOT.
std::string fts5_term(const QueryTerm& t);
std::string tsquery_term(const QueryTerm& t);

}  // namespace parley::library
