// directory::membership: what other capabilities may ask the directory about forums,
// states and who belongs to which forum, without naming its tables (forums, states,
// forum_members; docs/architecture.md "Table ownership"). Used by auth, accounts,
// exchange, hotline, negotiation and the ledger's witnesses.
//
// Free functions on the caller's Connection, so that they run inside the caller's own
// read or write transaction (never open another: see storage/database.h). Stateless and
// thread-safe as the Connection is (one thread at a time).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"

namespace parley::directory::membership {

using C = storage::Connection;

bool forum_exists(C& c, const std::string& forum);
bool state_exists(C& c, const std::string& alpha3);
bool is_member(C& c, const std::string& forum, const std::string& alpha3);

// A forum's member states, and a state's forums, in code order.
std::vector<std::string> member_states(C& c, const std::string& forum);
std::vector<std::string> forums_of(C& c, const std::string& alpha3);

// A forum as others show it: its name, its languages and its names per language (both
// JSON text as stored: '["en","ru"]', '{"ru":"..."}').
struct Forum {
  std::string code;
  std::string name;
  std::string languages;
  std::string names;
  std::string time_zone;   // IANA, or empty
};
std::optional<Forum> forum(C& c, const std::string& code);

// A forum's member groups (e.g. the ARF's "ASEAN"), the rules of its work plan refer to
// (co-chairs from each side): code → member states, in code order.
std::map<std::string, std::vector<std::string>> groups(C& c, const std::string& forum);

// A forum's reconfirmations of its directory (directory/reconfirmation.h) due at or after
// `since_ms`, by due date: for calendars of deadlines.
struct Reconfirmation {
  std::int64_t id = 0;
  std::string due_date;   // YYYY-MM-DD
  std::int64_t due_at = 0;
  std::int64_t started_at = 0;
};
std::vector<Reconfirmation> reconfirmations(C& c, const std::string& forum, std::int64_t since_ms);

// English names (code → name) of every state, and of every forum.
std::map<std::string, std::string> state_names(C& c);
std::map<std::string, std::string> forum_names(C& c);
std::optional<std::string> state_name(C& c, const std::string& alpha3);
// The English names of these states (code → name; unknown codes left out), a few queries.
std::map<std::string, std::string> state_names(C& c, const std::vector<std::string>& alpha3s);
// A state's names per language (language → name; "en" included when recorded).
std::map<std::string, std::string> state_names_of(C& c, const std::string& alpha3);

}  // namespace parley::directory::membership
