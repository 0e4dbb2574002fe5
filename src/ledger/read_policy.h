// Who may read what a journal entry records, for every path that serves ledger entries
// (GET /api/v1/ledger/entries/{index}, receipts, `parley verify`). Each capability adds
// a rule for the object kinds it journals (the part of `object` before the first ':',
// e.g. "communication", "contact"); the rule applies the same access checks as that
// capability's own read paths (TLP, sharing scopes, forum membership). An entry of a
// kind no rule covers is readable by admins only. Rules are added at start-up, then
// only read: thread-safe while serving.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "auth/principal.h"
#include "storage/database.h"
#include "storage/journal.h"

namespace parley::ledger {

class ReadPolicy {
 public:
  using Rule = std::function<bool(storage::Connection&, const auth::Principal&, const storage::JournalEntry&)>;

  void add(const std::string& kind, Rule rule) { rules_[kind] = std::move(rule); }
  bool may_read(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e) const {
    const auto kind = e.object.substr(0, e.object.find(':'));
    const auto it = rules_.find(kind);
    if (it == rules_.end()) return who.is(auth::Role::kAdmin);
    return it->second(c, who, e);
  }
  bool covers(const std::string& kind) const { return rules_.count(kind) != 0; }

 private:
  std::map<std::string, Rule> rules_;
};

}  // namespace parley::ledger
