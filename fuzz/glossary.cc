// Fuzz target: the glossary's imports (glossary/interchange.h), which a forum's
// secretariat uploads from terminologists' tools, and the comparison of definitions
// (glossary/compare.h).
//
// The first byte picks TBX or CSV; the rest is the file. A refusal is only a 422
// Problem naming "file". What is accepted has a term of at most 300 bytes in a language,
// and definitions whose attribution holds together; written out again in the same
// format and read back, it gives the same terms. The comparison's parts of any texts
// put together are those texts.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/problem.h"
#include "common/text.h"
#include "fuzz/property.h"
#include "glossary/compare.h"
#include "glossary/interchange.h"

using parley::glossary::Term;

namespace {

void check(const std::vector<Term>& terms) {
  for (const auto& t : terms) {
    FUZZ_PROPERTY(!t.term.empty() && t.term.size() <= 300, "a term has text");
    FUZZ_PROPERTY(parley::is_language_tag(t.lang), "a term has a language");
    for (const auto& d : t.definitions) FUZZ_PROPERTY(parley::glossary::check_definition(d).empty(), "definitions hold together");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool tbx = data[0] & 1;
  const auto body = parley::fuzz::text_of(data + 1, size - 1);
  try {
    const auto terms = tbx ? parley::glossary::from_tbx(body) : parley::glossary::from_csv(body);
    check(terms);
    // Written out and read back: the same terms (ids are the writer's, not compared).
    std::vector<Term> numbered = terms;
    for (std::size_t i = 0; i < numbered.size(); ++i) numbered[i].id = static_cast<std::int64_t>(i + 1);
    if (parley::is_valid_utf8(body)) {
      const auto again = tbx ? parley::glossary::from_tbx(parley::glossary::to_tbx(numbered, "t"))
                             : parley::glossary::from_csv(parley::glossary::to_csv(numbered));
      FUZZ_PROPERTY(again.size() == terms.size(), "a written glossary reads back whole");
      for (std::size_t i = 0; i < terms.size(); ++i) {
        FUZZ_PROPERTY(again[i].definitions.size() == terms[i].definitions.size(), "its definitions too");
      }
    }
  } catch (const parley::Problem& p) {
    FUZZ_PROPERTY(p.status() == 422, "a refusal is a 422");
    FUZZ_PROPERTY(!p.errors().empty() && p.errors()[0].field == "file", "a refusal names the file");
  }
  // The comparison of the body's lines.
  std::vector<std::string> texts;
  std::string line;
  for (char c : body.substr(0, 2048)) {
    if (c == '\n') {
      texts.push_back(line);
      line.clear();
    } else {
      line.push_back(c);
    }
  }
  texts.push_back(line);
  const auto parts = parley::glossary::compare_definitions(texts);
  FUZZ_PROPERTY(parts.size() == texts.size(), "a comparison per text");
  for (std::size_t i = 0; i < texts.size(); ++i) {
    std::string joined;
    for (const auto& p : parts[i]) joined += p.text;
    FUZZ_PROPERTY(joined == texts[i], "the parts are the text");
  }
  return 0;
}
