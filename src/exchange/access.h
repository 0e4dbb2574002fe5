// Who may read and write what in the threat exchange, as one predicate shared by every
// read path (API listing and search, object by id, TAXII objects / manifest / versions,
// export, the stream's audience):
//
//  * A collection is readable by the people of the states in its scope (for the
//    forum-wide collection, every member state) and by its forum's secretariat;
//    writable by their focal points and points of contact and by the secretariat.
//  * Within it, by TLP 2.0 label: CLEAR, GREEN and AMBER to all its readers; AMBER+STRICT
//    only to the people of the states in scope (not the secretariat); RED only to the
//    people the collection names.
//  * Whoever stored an object, and the people of the producing state for anything but
//    RED, always see it.
// The platform admin has no reading right of its own. Values only; thread-safe.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "auth/principal.h"
#include "exchange/model.h"

namespace parley::exchange {

struct Rights {
  bool read = false;
  bool write = false;
  std::vector<int> tlps;   // the labels (Tlp values) this caller sees in the collection

  bool sees(Tlp t) const { return std::find(tlps.begin(), tlps.end(), static_cast<int>(t)) != tlps.end(); }
};

// `in_scope`: the caller's state is one of the collection's states (or, for the
// forum-wide collection, a member of the forum); computed by the caller with the
// directory's membership.
inline Rights rights_in(const auth::Principal& who, const Collection& c, bool in_scope) {
  using auth::Role;
  Rights r;
  const bool named = std::find(c.people.begin(), c.people.end(), who.user_id) != c.people.end();
  const bool state_person = (who.is(Role::kFocalPoint) || who.is(Role::kPointOfContact) || who.is(Role::kObserver)) &&
                            !who.state.empty() && in_scope;
  const bool secretariat = who.is(Role::kSecretariat) && who.forum == c.forum;
  if (state_person) {
    r.read = true;
    r.write = !who.is(Role::kObserver);
    r.tlps = {static_cast<int>(Tlp::kClear), static_cast<int>(Tlp::kGreen), static_cast<int>(Tlp::kAmber),
              static_cast<int>(Tlp::kAmberStrict)};
  } else if (secretariat) {
    r.read = r.write = true;
    r.tlps = {static_cast<int>(Tlp::kClear), static_cast<int>(Tlp::kGreen), static_cast<int>(Tlp::kAmber)};
  }
  if (named) {
    r.read = true;
    r.tlps.push_back(static_cast<int>(Tlp::kRed));
  }
  return r;
}

}  // namespace parley::exchange
