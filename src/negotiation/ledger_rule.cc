#include "negotiation/ledger_rule.h"

#include <string>

namespace parley::negotiation {

bool may_read_document_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e) {
  constexpr std::string_view kPrefix = "negotiation:document:";
  if (e.object.size() <= kPrefix.size() || e.object.compare(0, kPrefix.size(), kPrefix) != 0) return false;
  const auto digits = e.object.substr(kPrefix.size());
  if (digits.size() > 15 || digits.find_first_not_of("0123456789") != std::string::npos) return false;
  return document_readable(c, who, std::stoll(digits));
}

}  // namespace parley::negotiation
