// Who may read what a journal entry records, for every path that serves ledger entries
// (GET /api/v1/ledger/entries/{index}, receipts, `parley verify`). Each capability adds
// a rule for the object kinds it journals (the part of `object` before the first ':',
// e.g. "communication", "contact"); the rule applies the same access checks as that
// capability's own read paths (TLP, sharing scopes, forum membership). An entry of a
// kind no rule covers is readable by admins only. Rules are added at start-up, then
// only read: thread-safe while serving.
//
// What the rules decide, and why (the leaf data holds the whole change JSON, so a rule
// must not let an entry say what the capability would not show to that reader; app/
// ledger_rules.cc registers them, each is defined next to its capability):
//  * communication:<id> (hotline/ledger_rule.h): whoever may see the communication
//    (hotline/access.h, including "a state that left the forum sees nothing of it"). Its
//    sending, deliveries, acknowledgements, answers and closing show each recipient
//    state's progress, which the communication's own view shows to the same readers. An
//    escalation entry names the people of one recipient state who were called: only the
//    sender's side, the secretariat and that state. The admin has no right of its own.
//  * check:<id>, check_schedule:<id>: the forum's secretariat and the admin; a check's
//    answers are acknowledgements under communication:<id>.
//  * attachment:<sha256>: its uploader and the readers of a communication it is attached to.
//  * collection:<uuid> (exchange/ledger_rule.h): objects are recorded one entry per TLP
//    label per batch; an entry is readable only by who sees every object it names (TLP
//    rights, producer, producing state below RED), so that no one learns that a TLP:RED
//    object exists from its id or digest. Collection creation and import counts: its
//    readers and writers.
//  * negotiation:document:<id>: whoever may read the document (its distribution).
//  * user:<id>, token:<id>: the account's own user and the admin (who signed in when is
//    nobody else's business).
//  * forum:<code>[/…]: the admin and the forum's secretariat.
//  * witness:<id>: the admin and the secretariat of the forum listing the witness.
//  * everything else (contact, agency, state, reconfirmation, invitation, directory
//    imports, the demo): the admin only, because those entries carry personal data whose
//    visibility the directory decides field by field; a rule may widen this later.
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
