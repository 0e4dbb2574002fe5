#include "glossary/compare.h"

#include <unicode/utf8.h>

#include <map>
#include <set>
#include <string_view>

#include "common/fold.h"
#include "library/search_text.h"

namespace parley::glossary {

namespace {

struct Token {
  std::size_t begin, end;   // bytes of the text
  std::string folded;
};

std::vector<Token> tokens_of(const std::string& text) {
  std::vector<Token> out;
  for (const auto& run : library::text_runs(text)) {
    if (!run.span) {
      out.push_back({run.begin, run.end, fold_for_search(std::string_view(text).substr(run.begin, run.end - run.begin))});
      continue;
    }
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    for (auto i = static_cast<int32_t>(run.begin); i < static_cast<int32_t>(run.end);) {
      const auto at = static_cast<std::size_t>(i);
      UChar32 c;
      U8_NEXT(s, i, static_cast<int32_t>(run.end), c);
      auto f = fold_for_search(std::string_view(text).substr(at, static_cast<std::size_t>(i) - at));
      if (!f.empty()) out.push_back({at, static_cast<std::size_t>(i), std::move(f)});
    }
  }
  return out;
}

}  // namespace

std::vector<std::vector<ComparedPart>> compare_definitions(const std::vector<std::string>& texts) {
  // How many texts hold each word: a word is shared by all when all hold it (linear in
  // the words, whatever the number of texts).
  std::vector<std::vector<Token>> tokens;
  std::map<std::string, std::size_t> held_by;
  for (const auto& t : texts) {
    tokens.push_back(tokens_of(t));
    std::set<std::string_view> w;
    for (const auto& k : tokens.back()) w.insert(k.folded);
    for (const auto& word : w) ++held_by[std::string(word)];
  }
  std::vector<std::vector<ComparedPart>> out;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const auto& text = texts[i];
    std::vector<ComparedPart> parts;
    auto add = [&](std::size_t a, std::size_t b, bool distinct) {
      if (b <= a) return;
      if (!parts.empty() && parts.back().distinct == distinct) parts.back().text += text.substr(a, b - a);
      else parts.push_back({text.substr(a, b - a), distinct});
    };
    std::size_t at = 0;
    bool last_distinct = false;
    for (std::size_t k = 0; k < tokens[i].size(); ++k) {
      const auto& tok = tokens[i][k];
      const bool distinct = texts.size() > 1 && held_by[tok.folded] < texts.size();
      // What lies between two distinct words (a space, a hyphen) is shown with them.
      const bool gap_joins = distinct && last_distinct && text.find('\n', at) >= tok.begin;
      add(at, tok.begin, gap_joins);
      add(tok.begin, tok.end, distinct);
      at = tok.end;
      last_distinct = distinct;
    }
    add(at, text.size(), false);
    out.push_back(std::move(parts));
  }
  return out;
}

}  // namespace parley::glossary
