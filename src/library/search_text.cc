#include "library/search_text.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "common/fold.h"
#include "common/problem.h"
#include "common/text.h"

namespace parley::library {

namespace {

constexpr std::size_t kMaxWordBytes = 200;      // longer runs are not words (hashes, base64)
constexpr std::size_t kMaxBigrams = 16384;      // distinct pairs of span characters a part indexes
constexpr std::size_t kMaxQueryBytes = 500;
constexpr std::size_t kMaxQueryTerms = 32;
constexpr std::size_t kMaxPhraseWords = 16;   // each is compared at every word of a snippet's line

bool word_char(UChar32 c) {
  const auto mask = U_GET_GC_MASK(c);
  return (mask & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK | U_GC_CO_MASK)) != 0;
}

// Scripts whose runs are matched by substring.
bool span_script(UScriptCode s) {
  switch (s) {
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_KATAKANA_OR_HIRAGANA:
    case USCRIPT_HANGUL:
    case USCRIPT_THAI:
    case USCRIPT_LAO:
    case USCRIPT_KHMER:
    case USCRIPT_MYANMAR:
    case USCRIPT_TIBETAN:
    case USCRIPT_ARABIC:
      return true;
    default:
      return false;
  }
}

enum class Run { kNone, kWord, kSpan };

// Cuts folded text into runs; `emit(kind, text)` for each.
template <typename Emit>
void cut(std::string_view folded, Emit emit) {
  const auto* s = reinterpret_cast<const uint8_t*>(folded.data());
  const auto n = static_cast<int32_t>(folded.size());
  Run run = Run::kNone;
  int32_t start = 0;
  for (int32_t i = 0; i < n;) {
    const int32_t at = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    Run kind = Run::kNone;
    if (c >= 0 && word_char(c)) {
      UErrorCode err = U_ZERO_ERROR;
      const UScriptCode script = uscript_getScript(c, &err);
      if (span_script(script)) kind = Run::kSpan;
      // Marks and the like (ー, 々) belong to the run they are in; digits stand alone.
      else if ((script == USCRIPT_COMMON || script == USCRIPT_INHERITED) && run != Run::kNone &&
               !(U_GET_GC_MASK(c) & U_GC_N_MASK))
        kind = run;
      else kind = Run::kWord;
    }
    if (kind != run) {
      if (run != Run::kNone) emit(run, folded.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(at - start)));
      run = kind;
      start = at;
    }
  }
  if (run != Run::kNone) emit(run, folded.substr(static_cast<std::size_t>(start)));
}

std::string quoted(std::string_view s, char quote) {
  std::string out(1, quote);
  for (char c : s) {
    if (c == quote) out.push_back(quote);
    else if (quote == '\'' && c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back(quote);
  return out;
}

}  // namespace

IndexedText index_text(std::string_view utf8) {
  IndexedText out;
  auto emit = [&](Run kind, std::string_view text) {
    if (kind == Run::kSpan) out.spans.emplace_back(text);
    else if (text.size() <= kMaxWordBytes) out.words.emplace_back(text);
  };
  // Folded a piece at a time (fold_for_search reads at most kFoldMaxInput bytes), each
  // piece ending at white space where there is some, so that no word is cut in two.
  constexpr std::size_t kPiece = 256 * 1024;
  for (std::size_t at = 0; at < utf8.size();) {
    std::size_t end = std::min(utf8.size(), at + kPiece);
    if (end < utf8.size()) {
      const auto space = utf8.substr(at, end - at).find_last_of(" \t\n\r");
      if (space != std::string_view::npos && space > 0) {
        end = at + space + 1;
      } else {
        while (end > at && (static_cast<unsigned char>(utf8[end]) & 0xC0) == 0x80) --end;
        if (end == at) end = std::min(utf8.size(), at + kPiece);
      }
    }
    cut(fold_for_search(utf8.substr(at, end - at)), emit);
    at = end;
  }
  return out;
}

std::vector<TextRun> text_runs(std::string_view utf8) {
  std::vector<TextRun> out;
  cut(utf8, [&](Run kind, std::string_view text) {
    const auto begin = static_cast<std::size_t>(text.data() - utf8.data());
    out.push_back({kind == Run::kSpan, begin, begin + text.size()});
  });
  return out;
}

std::vector<std::string> span_bigrams(const IndexedText& t) {
  std::vector<std::string> out;
  std::set<std::string_view> seen;
  std::string_view previous;
  for (const auto& s : t.spans) {
    previous = {};
    for (std::size_t at = 0; at < s.size();) {
      std::size_t n = 1;
      const auto lead = static_cast<unsigned char>(s[at]);
      if (lead >= 0xF0) n = 4;
      else if (lead >= 0xE0) n = 3;
      else if (lead >= 0xC0) n = 2;
      n = std::min(n, s.size() - at);
      const std::string_view ch(s.data() + at, n);
      if (!previous.empty()) {
        const std::string_view pair(previous.data(), previous.size() + ch.size());
        if (seen.size() < kMaxBigrams && seen.insert(pair).second) out.emplace_back(pair);
      }
      previous = ch;
      at += n;
    }
  }
  return out;
}

std::string words_column(const IndexedText& t) {
  std::string out;
  for (const auto& w : t.words) {
    if (!out.empty()) out.push_back(' ');
    out += w;
  }
  for (const auto& b : span_bigrams(t)) {
    if (!out.empty()) out.push_back(' ');
    out += b;
  }
  return out;
}

std::vector<IndexedText> index_parts(IndexedText t) {
  constexpr std::size_t kMaxWords = 10000;
  constexpr std::size_t kMaxBytes = 256 * 1024;
  // Spans take less: their pairs of characters go in the words column too.
  constexpr std::size_t kMaxSpanBytes = 32 * 1024;
  std::vector<IndexedText> parts(1);
  std::size_t bytes = 0;
  for (auto& w : t.words) {
    if (parts.back().words.size() >= kMaxWords || bytes + w.size() + 1 > kMaxBytes) {
      parts.emplace_back();
      bytes = 0;
    }
    bytes += w.size() + 1;
    parts.back().words.push_back(std::move(w));
  }
  std::size_t part = 0;
  bytes = 0;
  for (auto& s : t.spans) {
    if (bytes + s.size() + 1 > kMaxSpanBytes && !parts[part].spans.empty()) {
      if (++part == parts.size()) parts.emplace_back();
      bytes = 0;
    }
    bytes += s.size() + 1;
    parts[part].spans.push_back(std::move(s));
  }
  return parts;
}

std::string spans_column(const IndexedText& t) {
  std::string out;
  for (const auto& s : t.spans) {
    if (!out.empty()) out.push_back('\n');
    out += s;
  }
  return out;
}

namespace {

// The filter a query token names ("state" for "State:"), or "".
std::string filter_named(std::string_view name) {
  std::string lower;
  for (char c : name) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return std::find(std::begin(kQueryFilters), std::end(kQueryFilters), lower) != std::end(kQueryFilters) ? lower : "";
}

// The terms a piece of query text stands for: its words as one word or a phrase, each
// span a term of its own.
void add_terms(std::string_view text, bool excluded, bool prefix, const std::string& field, LibraryQuery& q) {
  const auto t = index_text(text);
  if (prefix) {
    if (t.words.empty() && !t.spans.empty())
      throw Problem::bad_request("The query cannot be read.",
                                 {{field, "a prefix* is for words of languages written with spaces; Chinese, Japanese, "
                                          "Korean, Thai and Arabic are found inside longer words already: leave out the *"}});
    if (t.words.size() != 1 || !t.spans.empty())
      throw Problem::bad_request("The query cannot be read.", {{field, "a prefix* is one word"}});
    if (utf8_length(t.words[0]) < 2)
      throw Problem::bad_request("The query cannot be read.", {{field, "a prefix* has two letters or more"}});
    q.terms.push_back({QueryTerm::Kind::kPrefix, {t.words[0]}, "", excluded});
    return;
  }
  if (t.words.size() > kMaxPhraseWords)
    throw Problem::bad_request("The query cannot be read.",
                               {{field, "a \"phrase\" has at most " + std::to_string(kMaxPhraseWords) + " words"}});
  if (t.words.size() == 1) q.terms.push_back({QueryTerm::Kind::kWord, t.words, "", excluded});
  else if (t.words.size() > 1) q.terms.push_back({QueryTerm::Kind::kPhrase, t.words, "", excluded});
  for (const auto& s : t.spans) q.terms.push_back({QueryTerm::Kind::kSpan, {}, s, excluded});
}

}  // namespace

LibraryQuery parse_query(std::string_view text, const std::string& field) {
  auto refuse = [&](const std::string& why) -> void {
    throw Problem::bad_request("The query cannot be read.", {{field, why}});
  };
  if (text.size() > kMaxQueryBytes) refuse("is longer than " + std::to_string(kMaxQueryBytes) + " bytes");
  if (!is_valid_utf8(text)) refuse("is not UTF-8");
  LibraryQuery q;
  std::size_t i = 0;
  auto space = [&](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (i < text.size()) {
    while (i < text.size() && space(text[i])) ++i;
    if (i >= text.size()) break;
    bool excluded = false;
    if (text[i] == '-' && i + 1 < text.size() && !space(text[i + 1])) {
      excluded = true;
      ++i;
    }
    if (text[i] == '"') {
      const auto close = text.find('"', i + 1);
      if (close == std::string_view::npos) refuse("has a quote that is not closed");
      add_terms(text.substr(i + 1, close - i - 1), excluded, false, field, q);
      i = close + 1;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && !space(text[end])) ++end;
    std::string_view token = text.substr(i, end - i);
    const auto colon = token.find(':');
    const std::string filter = colon != std::string_view::npos && colon > 0 ? filter_named(token.substr(0, colon)) : "";
    if (!filter.empty()) {
      if (excluded) refuse("-" + filter + ": a filter cannot be excluded; leave it out, or name the values to keep");
      std::string value;
      const std::size_t value_at = i + colon + 1;
      if (value_at < text.size() && text[value_at] == '"') {
        const auto close = text.find('"', value_at + 1);
        if (close == std::string_view::npos) refuse("has a quote that is not closed");
        value = trim(text.substr(value_at + 1, close - value_at - 1));
        end = close + 1;
      } else {
        value = std::string(token.substr(colon + 1));
      }
      i = end;
      if (value.empty() || value.size() > 64) refuse(filter + ": needs a value of at most 64 bytes");
      if (filter == "year" && !(value.size() == 4 && std::all_of(value.begin(), value.end(), [](char c) {
                                  return c >= '0' && c <= '9';
                                })))
        refuse("year: is a year, like 2023");
      if (filter == "state" || filter == "forum") value = to_upper(value);
      if (filter == "state" && !is_alpha3(value)) refuse("state: is an ISO 3166 alpha-3 code, like KAZ");
      if (filter == "lang" && !is_language_tag(value)) refuse("lang: is a language tag, like ru or zh-Hans");
      q.filters[filter].push_back(value);
      continue;
    }
    i = end;
    const bool prefix = token.size() > 1 && token.back() == '*';
    if (prefix) token.remove_suffix(1);
    add_terms(token, excluded, prefix, field, q);
  }
  if (q.terms.size() > kMaxQueryTerms) refuse("has more than " + std::to_string(kMaxQueryTerms) + " terms");
  // What no index answers is asked of each candidate: exclusions, and spans of a single
  // character (two are a word of the words column). A few of them, not dozens.
  const auto short_spans = std::count_if(q.terms.begin(), q.terms.end(), [](const QueryTerm& t) {
    return t.kind == QueryTerm::Kind::kSpan && utf8_length(t.span) < 2;
  });
  const auto exclusions = std::count_if(q.terms.begin(), q.terms.end(), [](const QueryTerm& t) { return t.excluded; });
  if (short_spans > 2)
    refuse("has more than 2 single characters in Chinese, Japanese, Korean, Thai or Arabic; join them (网络安全) or add a longer term");
  if (exclusions > 8) refuse("excludes more than 8 terms");
  // A prefix costs every word it begins (SQLite's FTS5 merges their pages at each query).
  const auto prefixes = std::count_if(q.terms.begin(), q.terms.end(), [](const QueryTerm& t) { return t.kind == QueryTerm::Kind::kPrefix; });
  if (prefixes > 4) refuse("has more than 4 prefixes (word*)");
  if (!q.terms.empty() && q.filters.empty() &&
      std::all_of(q.terms.begin(), q.terms.end(), [](const QueryTerm& t) { return t.excluded; }))
    refuse("says only what to leave out; say what to find, or filter");
  return q;
}

std::string fts5_term(const QueryTerm& t) {
  switch (t.kind) {
    case QueryTerm::Kind::kWord: return quoted(t.words.at(0), '"');
    case QueryTerm::Kind::kPrefix: return quoted(t.words.at(0), '"') + " *";
    case QueryTerm::Kind::kPhrase: {
      std::string joined;
      for (const auto& w : t.words) joined += (joined.empty() ? "" : " ") + w;
      return quoted(joined, '"');
    }
    case QueryTerm::Kind::kSpan: return quoted(t.span, '"');
  }
  return "";
}

std::string tsquery_term(const QueryTerm& t) {
  switch (t.kind) {
    case QueryTerm::Kind::kWord: return quoted(t.words.at(0), '\'');
    case QueryTerm::Kind::kPrefix: return quoted(t.words.at(0), '\'') + ":*";
    case QueryTerm::Kind::kPhrase: {
      std::string out;
      for (const auto& w : t.words) out += (out.empty() ? "" : " <-> ") + quoted(w, '\'');
      return out;
    }
    case QueryTerm::Kind::kSpan: return "";
  }
  return "";
}

}  // namespace parley::library
