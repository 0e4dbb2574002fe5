// Who may see a communication, as one predicate shared by every read path (the API's
// reads and lists, the stream's audience, attachments, check reports):
//
//  * its sender always;
//  * TLP:RED: otherwise only the recipient people named in it;
//  * otherwise its people (those it was addressed to through the directory, named, or
//    reached by escalation), the people of the sender state, the focal points (and
//    observers) of every recipient state — but not the other points of contact of a
//    recipient state: a communication to a state's technical contacts does not reach its
//    policy contact;
//  * and the secretariat of its forum, except for TLP:AMBER+STRICT (which stays within
//    the states' own organisations).
// A state's people see nothing of a forum their state is not a current member of
// (`members`): leaving a forum ends access to its communications from that day on, even
// to those it sent or received before.
// The platform admin has no reading right of its own. Values only; thread-safe to copy.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.h"
#include "common/events.h"

namespace parley::hotline {

// Who is looking: a view of a Principal or a stream Subscriber, which must outlive it
// (no copies: the stream checks a thousand subscribers per event).
struct Viewer {
  std::int64_t user_id = 0;
  auth::Role role = auth::Role::kObserver;
  std::string_view state;
  std::string_view forum;

  static Viewer of(const auth::Principal& p) { return {p.user_id, p.role, p.state, p.forum}; }
  static Viewer of(const Subscriber& s) {
    return {s.user_id, auth::parse_role(s.role).value_or(auth::Role::kObserver), s.state, s.forum};
  }
};

struct Access {
  std::int64_t sender_user = 0;
  std::string sender_state;
  std::string forum;
  std::string tlp;
  std::vector<std::string> states;      // recipient states
  std::vector<std::int64_t> named;      // named recipient people
  std::vector<std::int64_t> people;     // every person it was sent or escalated to, sorted
  std::vector<std::string> members;     // the forum's current member states, sorted

  bool is_recipient_state(std::string_view s) const {
    return !s.empty() && std::find(states.begin(), states.end(), s) != states.end();
  }
  bool is_named(std::int64_t user) const { return std::find(named.begin(), named.end(), user) != named.end(); }
  bool is_person(std::int64_t user) const {
    return user != 0 && std::binary_search(people.begin(), people.end(), user);
  }

  bool is_member(std::string_view s) const { return std::binary_search(members.begin(), members.end(), s); }
  bool can_see(const Viewer& v) const {
    const bool of_a_state = v.role == auth::Role::kFocalPoint || v.role == auth::Role::kPointOfContact ||
                            v.role == auth::Role::kObserver;
    if (of_a_state && !v.state.empty() && !is_member(v.state)) return false;   // left the forum
    if (v.user_id != 0 && v.user_id == sender_user) return true;
    if (tlp == "TLP:RED") return is_named(v.user_id);
    if (is_person(v.user_id)) return true;
    const bool state_person = v.role == auth::Role::kFocalPoint || v.role == auth::Role::kPointOfContact ||
                              v.role == auth::Role::kObserver;
    if (state_person && !v.state.empty() && v.state == sender_state) return true;
    const bool overseer = v.role == auth::Role::kFocalPoint || v.role == auth::Role::kObserver;
    if (overseer && is_recipient_state(v.state)) return true;
    return v.role == auth::Role::kSecretariat && v.forum == forum && tlp != "TLP:AMBER+STRICT";
  }
  // On the receiving side (its arrival there counts as delivery): its people, and the
  // focal points of the recipient states.
  bool receives(const Viewer& v) const {
    if (!v.state.empty() && !is_member(v.state)) return false;
    if (tlp == "TLP:RED") return is_named(v.user_id);
    return is_person(v.user_id) || (v.role == auth::Role::kFocalPoint && is_recipient_state(v.state));
  }
};

}  // namespace parley::hotline
