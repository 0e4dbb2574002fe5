// Who reads a contribution to the library, and who reviews it: one rule, given twice
// (a C++ predicate for one contribution, and the same as SQL over alias c for lists and
// search), so that every read path (search, a contribution, its versions, files and
// pages, the digest, the stream) applies the same one.
//
//  * The contributing state's people (its focal points, points of contact and
//    observers) read their own state's contributions at every step.
//  * The secretariat of the forum a contribution was submitted to reads it at every
//    step, and reviews it (publishes or returns it).
//  * Once published, a contribution is read by:
//      public  everyone signed in;
//      forum   the people of the forum's member states;
//      states  the people of the states it lists.
//    TLP:AMBER+STRICT narrows that to the focal points and points of contact among them.
//  * Nobody else, the platform's admin included. What one may not read is answered as
//    if it did not exist (404), never 403.
// Pure functions: thread-safe.
#pragma once

#include <string>
#include <vector>

#include "auth/principal.h"
#include "storage/database.h"

namespace parley::library {

// The reader as far as these rules go: the principal and the forums its state is a
// member of (read once per request: directory/membership.h).
struct Reader {
  auth::Principal who;
  std::vector<std::string> member_of;
};

// What the rules ask of a contribution.
struct ContributionFacts {
  std::string state;        // the contributing state
  std::string forum;        // submitted to
  std::string visibility;   // public | forum | states
  int tlp = 0;              // 0 CLEAR, 1 GREEN, 2 AMBER, 3 AMBER+STRICT
  std::string workflow;     // submitted | published | returned
  std::vector<std::string> listed;   // visibility "states"
};

inline constexpr int kAmberStrict = 3;

// The reader `who` is, its state's forums read through `c` (directory/membership.h).
Reader reader_of(storage::Connection& c, const auth::Principal& who);

// A person of a state (its focal point, point of contact or observer): whom the rules
// above call "the state's people".
bool state_person(const auth::Principal& who);
bool can_read(const Reader& r, const ContributionFacts& c);

// What belongs to a forum rather than to one state (its glossary, its work plan) is the
// business of the forum's own people: its secretariat, and the people of its member states.
bool forum_secretariat(const Reader& r, const std::string& forum);
bool member_person(const Reader& r, const std::string& forum);        // a state person of a member state
bool member_focal_point(const Reader& r, const std::string& forum);
// The forum a request means: `forum` upper-cased when given, else a secretariat's own,
// else the one forum of the reader's state; a 400 naming "forum" when that is ambiguous.
std::string forum_or_default(const Reader& r, const std::string& forum);
bool can_review(const Reader& r, const ContributionFacts& c);

// The same rule as SQL over alias c (library_contributions), its parameters appended.
std::string readable_sql(const Reader& r, storage::Params& params);

}  // namespace parley::library
