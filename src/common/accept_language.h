// Accept-Language (RFC 9110 §12.5.4) and the "lookup" matching scheme of RFC 4647 §3.4:
// which of the languages a resource exists in serves a caller best.
//
//   parse_accept_language("ru, en;q=0.5")  ->  [{ru, 1000}, {en, 500}]
//   lookup_language(ranges, {"en", "ru", "zh-Hans"}, "en")  ->  "ru"
//
// Bounded: a header over kMaxAcceptLanguageBytes or with more than
// kMaxLanguageRanges ranges is refused, as is one that does not follow the grammar
// (a 400 Problem naming the Accept-Language header). Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace parley {

inline constexpr std::size_t kMaxAcceptLanguageBytes = 1024;
inline constexpr std::size_t kMaxLanguageRanges = 32;

struct LanguageRange {
  std::string range;   // "ru", "zh-Hant-TW" or "*", as sent
  int q = 1000;        // the weight in thousandths: q=0.5 is 500

  bool operator==(const LanguageRange&) const = default;
};

// The ranges in order of preference (highest weight first; equal weights keep their
// order). Ranges with q=0 ("not acceptable") are kept, last. An empty or blank header
// gives no ranges. Throws Problem (400, field "Accept-Language") when malformed.
std::vector<LanguageRange> parse_accept_language(std::string_view header);

// RFC 4647 lookup: for each acceptable range in order, the first of `available` equal
// to it (ignoring case), else to it with its last subtag removed, and so on ("zh-Hant-TW",
// "zh-Hant", "zh"). A Chinese range that names a region also tries its script
// (zh-TW, zh-HK, zh-MO -> zh-Hant; zh-CN, zh-SG -> zh-Hans). "*" and q=0 ranges are
// skipped. Returns the matching entry of `available` as spelled there, else `fallback`.
std::string lookup_language(const std::vector<LanguageRange>& ranges, const std::vector<std::string>& available,
                            const std::string& fallback);

}  // namespace parley
