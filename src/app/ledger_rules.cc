#include "app/ledger_rules.h"

#include "auth/ledger_rule.h"
#include "directory/ledger_rule.h"
#include "exchange/ledger_rule.h"
#include "hotline/ledger_rule.h"
#include "glossary/ledger_rule.h"
#include "workplan/ledger_rule.h"
#include "library/ledger_rule.h"
#include "negotiation/ledger_rule.h"

namespace parley::app {

namespace {
// witness:<id> (the witness client's entries: added, removed, refused): the admin and the
// secretariat of the forum that lists the witness.
bool may_read_witness_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e) {
  if (who.is(auth::Role::kAdmin)) return true;
  if (!who.is(auth::Role::kSecretariat) || who.forum.empty()) return false;
  const auto id = hotline::id_after(e.object, "witness:");
  if (!id) return false;
  const auto rows = c.query("SELECT forum FROM ledger_witnesses WHERE id = ?", {*id});
  return !rows.empty() && rows[0].text("forum") == who.forum;
}
}  // namespace

void register_ledger_rules(ledger::ReadPolicy& policy) {
  policy.add("communication", hotline::may_read_communication_entry);
  policy.add("check", hotline::may_read_check_entry);
  policy.add("check_schedule", hotline::may_read_check_entry);
  policy.add("attachment", hotline::may_read_attachment_entry);
  policy.add("collection", exchange::may_read_collection_entry);
  policy.add("negotiation", negotiation::may_read_document_entry);
  policy.add("user", auth::may_read_account_entry);
  policy.add("token", auth::may_read_account_entry);
  policy.add("forum", directory::may_read_forum_entry);
  policy.add("witness", may_read_witness_entry);
  policy.add("contribution", library::may_read_contribution_entry);
  policy.add("file", library::may_read_file_entry);
  policy.add("term", glossary::may_read_term_entry);
  policy.add("glossary", glossary::may_read_glossary_entry);
  policy.add("measure", workplan::may_read_measure_entry);
  policy.add("body", workplan::may_read_body_entry);
  policy.add("meeting", workplan::may_read_meeting_entry);
  policy.add("activity", workplan::may_read_activity_entry);
  policy.add("capacity", workplan::may_read_capacity_entry);
  policy.add("rules", workplan::may_read_rules_entry);
  policy.add("plan", workplan::may_read_plan_entry);
}

}  // namespace parley::app
