#include "library/snippet.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <utility>

#include "common/fold.h"

namespace parley::library {

namespace {

using Range = std::pair<std::size_t, std::size_t>;   // bytes [first, second) of a line

// Where `needle` (folded) is in the span run line[begin, end), in the line's bytes:
// the run is folded a character at a time to keep each character's place.
std::vector<Range> span_hits(std::string_view line, std::size_t begin, std::size_t end, const std::string& needle) {
  std::string folded;
  std::vector<std::size_t> origin;   // for each byte of `folded`, where its character starts in `line`
  const auto* s = reinterpret_cast<const uint8_t*>(line.data());
  for (auto i = static_cast<int32_t>(begin); i < static_cast<int32_t>(end);) {
    const auto at = static_cast<std::size_t>(i);
    UChar32 c;
    U8_NEXT(s, i, static_cast<int32_t>(end), c);
    const auto f = fold_for_search(line.substr(at, static_cast<std::size_t>(i) - at));
    folded += f;
    origin.insert(origin.end(), f.size(), at);
  }
  origin.push_back(end);
  std::vector<Range> out;
  for (auto at = folded.find(needle); at != std::string::npos && !needle.empty(); at = folded.find(needle, at + needle.size())) {
    // The end: the start of the character after the match's last byte.
    std::size_t last = at + needle.size();
    std::size_t stop = last < origin.size() - 1 ? origin[last] : end;
    if (stop <= origin[at]) stop = end;
    out.emplace_back(origin[at], stop);
  }
  return out;
}

// The matches of the query's positive terms in one line, sorted, not overlapping.
std::vector<Range> line_hits(std::string_view line, const std::string& folded_line, const LibraryQuery& q) {
  // A cheap test on the folded line first: most lines match nothing.
  bool any = false;
  for (const auto& t : q.terms) {
    if (t.excluded) continue;
    const std::string& needle = t.kind == QueryTerm::Kind::kSpan ? t.span : t.words.at(0);
    if (folded_line.find(needle) != std::string::npos) any = true;
  }
  if (!any) return {};
  const auto runs = text_runs(line);
  std::vector<std::string> folded(runs.size());
  for (std::size_t i = 0; i < runs.size(); ++i)
    if (!runs[i].span) folded[i] = fold_for_search(line.substr(runs[i].begin, runs[i].end - runs[i].begin));
  std::vector<Range> hits;
  for (const auto& t : q.terms) {
    if (t.excluded) continue;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const auto& r = runs[i];
      switch (t.kind) {
        case QueryTerm::Kind::kWord:
          if (!r.span && folded[i] == t.words[0]) hits.emplace_back(r.begin, r.end);
          break;
        case QueryTerm::Kind::kPrefix:
          if (!r.span && folded[i].starts_with(t.words[0])) hits.emplace_back(r.begin, r.end);
          break;
        case QueryTerm::Kind::kPhrase: {
          std::size_t k = 0, j = i;
          for (; k < t.words.size() && j < runs.size(); ++j) {
            if (runs[j].span) break;
            if (folded[j] != t.words[k]) break;
            ++k;
          }
          if (k == t.words.size()) hits.emplace_back(r.begin, runs[j - 1].end);
          break;
        }
        case QueryTerm::Kind::kSpan:
          if (r.span)
            for (const auto& h : span_hits(line, r.begin, r.end, t.span)) hits.push_back(h);
          break;
      }
    }
  }
  std::sort(hits.begin(), hits.end());
  std::vector<Range> merged;
  for (const auto& h : hits) {
    if (!merged.empty() && h.first <= merged.back().second) merged.back().second = std::max(merged.back().second, h.second);
    else merged.push_back(h);
  }
  return merged;
}

// `at` moved back (or forward) to the start of a UTF-8 character.
std::size_t char_start(std::string_view s, std::size_t at, bool forward) {
  while (at > 0 && at < s.size() && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) at += forward ? 1 : -1;
  return std::min(at, s.size());
}

Snippet snippet_of(std::string_view line, const std::vector<Range>& hits, std::size_t page, std::size_t width) {
  // A window around the first match, at most `width` bytes beyond it, cut at spaces where there are some.
  const auto first = hits.front();
  const std::size_t context = width > (first.second - first.first) ? (width - (first.second - first.first)) / 2 : 0;
  std::size_t from = first.first > context ? first.first - context : 0;
  std::size_t to = std::min(line.size(), first.second + context);
  if (from > 0) {
    const auto space = line.substr(from, first.first - from).find(' ');
    if (space != std::string_view::npos) from += space + 1;
  }
  if (to < line.size()) {
    const auto space = line.substr(first.second, to - first.second).rfind(' ');
    if (space != std::string_view::npos) to = first.second + space;
  }
  from = char_start(line, from, true);
  to = char_start(line, to, false);
  Snippet s;
  s.page = page;
  auto add = [&](std::size_t a, std::size_t b, bool hit) {
    if (b > a) s.parts.push_back({std::string(line.substr(a, b - a)), hit});
  };
  s.cut_before = from > 0;
  s.cut_after = to < line.size();
  std::size_t at = from;
  for (const auto& h : hits) {
    if (h.first < from || h.second > to) continue;
    add(at, h.first, false);
    add(h.first, h.second, true);
    at = h.second;
  }
  add(at, to, false);
  return s;
}

}  // namespace

std::vector<Snippet> find_snippets(const std::vector<std::string>& pages, const LibraryQuery& q, std::size_t max,
                                   std::size_t first_page, std::size_t width, std::size_t budget) {
  std::vector<Snippet> out;
  if (max == 0 || std::none_of(q.terms.begin(), q.terms.end(), [](const QueryTerm& t) { return !t.excluded; })) return out;
  constexpr std::size_t kMaxLine = 4096;
  for (std::size_t p = 0; p < pages.size() && out.size() < max && budget > 0; ++p) {
    std::string_view page = pages[p];
    if (page.size() > budget) page = page.substr(0, char_start(page, budget, false));
    budget -= page.size();
    // A line at a time (a long one in pieces cut at a space): folding is done per line,
    // and a snippet does not cross lines.
    for (std::size_t at = 0; at < page.size() && out.size() < max;) {
      std::size_t end = page.find('\n', at);
      if (end == std::string_view::npos) end = page.size();
      if (end - at > kMaxLine) {
        end = at + kMaxLine;
        const auto space = page.substr(at, kMaxLine).rfind(' ');
        end = space != std::string_view::npos && space > 0 ? at + space : char_start(page, end, false);
        if (end == at) end = std::min(page.size(), at + kMaxLine);
      }
      const auto line = page.substr(at, end - at);
      at = end < page.size() && page[end] == '\n' ? end + 1 : end;
      if (line.empty()) continue;
      const auto hits = line_hits(line, fold_for_search(line), q);
      if (!hits.empty()) out.push_back(snippet_of(line, hits, first_page + p, width));
    }
  }
  return out;
}

}  // namespace parley::library
