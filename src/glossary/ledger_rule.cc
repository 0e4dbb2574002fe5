#include "glossary/ledger_rule.h"

#include <charconv>

#include "glossary/glossary_service.h"

namespace parley::glossary {

bool may_read_term_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e) {
  constexpr std::string_view kPrefix = "term:";
  if (e.object.rfind(kPrefix, 0) != 0) return false;
  std::int64_t id = 0;
  const auto* begin = e.object.data() + kPrefix.size();
  const auto* end = e.object.data() + e.object.size();
  if (std::from_chars(begin, end, id).ptr != end) return false;
  const auto rows = c.query("SELECT forum FROM glossary_terms WHERE id = ?", {id});
  return !rows.empty() && can_read_glossary(library::reader_of(c, who), rows[0].text("forum"));
}

bool may_read_glossary_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e) {
  constexpr std::string_view kPrefix = "glossary:";
  if (e.object.rfind(kPrefix, 0) != 0) return false;
  return can_read_glossary(library::reader_of(c, who), e.object.substr(kPrefix.size()));
}

}  // namespace parley::glossary
