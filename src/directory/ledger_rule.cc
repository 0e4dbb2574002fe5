#include "directory/ledger_rule.h"

namespace parley::directory {

bool may_read_forum_entry(storage::Connection&, const auth::Principal& who, const storage::JournalEntry& e) {
  if (who.is(auth::Role::kAdmin)) return true;
  constexpr std::string_view kPrefix = "forum:";
  if (!who.is(auth::Role::kSecretariat) || who.forum.empty() || e.object.compare(0, kPrefix.size(), kPrefix) != 0)
    return false;
  const auto forum = e.object.substr(kPrefix.size(), e.object.find('/') == std::string::npos
                                                         ? std::string::npos
                                                         : e.object.find('/') - kPrefix.size());
  return forum == who.forum;
}

}  // namespace parley::directory
