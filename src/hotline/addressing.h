// Addressing: the points-of-contact directory as the hotline's address book.
//
// The account that receives hotline traffic for a state is the account linked to one of
// its directory contacts (users.contact_id): one record seen from two sides. For a
// communication addressed to a state and a kind of contact (policy, technical,
// law_enforcement, or all), the state's recipient people are the accounts of its
// contacts that are
//   * active in the directory (status), of the kind addressed (any, for "all"),
//   * valid on the day, in the contact's own time zone (valid_from..valid_until), and
//   * whose accounts are not disabled.
// A contact of the kind whose entry has expired (past valid_until) receives nothing; the
// service tells its state's focal point. A state with no valid contact of the kind is
// reported as such.
//
// Availability (directory/availability.h): a state's acknowledgement deadline counts
// from when its first recipient contact is available — now, if one of them is 24/7 or
// inside its office hours, else the earliest next opening among them.
// Stateless functions over a Connection; thread-safe as the Connection.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "directory/availability.h"
#include "hotline/hotline_store.h"
#include "storage/database.h"

namespace parley::hotline {

// A communication is for this kind of contact; "all" by default.
inline const std::vector<std::string> kContactKinds = {"all", "policy", "technical", "law_enforcement"};

// A directory contact that has an account.
struct Addressee {
  Person person;   // the account (person.state is the contact's state)
  std::int64_t contact_id = 0;
  std::string contact_name, kind, agency, status, availability, office_hours, timezone, valid_from, valid_until;
  directory::Availability when;

  bool valid_on(std::int64_t now_ms) const;     // active, and within its validity dates on its own day
  bool expired_on(std::int64_t now_ms) const;   // past valid_until on its own day
  bool of_kind(const std::string& kind) const { return kind == "all" || kind == this->kind; }
};

// Who a communication reaches, resolved before it is written.
struct Addressed {
  std::vector<std::string> states;
  std::vector<Person> people;
  bool named = false;                                // people were named by the sender
  std::map<std::string, std::int64_t> opens_at;      // state -> when its first recipient is available
  std::vector<Addressee> expired;                    // missed it: their entry has expired
  std::vector<std::string> unreachable;              // states with no valid contact of the kind
};

class Addressing {
 public:
  using C = storage::Connection;

  // Every contact of `state` that has an enabled account, whatever its status or dates.
  static std::vector<Addressee> contacts_with_accounts(C& c, const std::string& state);
  static std::optional<Addressee> by_contact(C& c, std::int64_t contact_id);
  static std::optional<Addressee> by_username(C& c, const std::string& username);

  // The recipient people of `states` for `kind` (see the header comment).
  static Addressed resolve(C& c, const std::vector<std::string>& states, const std::string& kind,
                           std::int64_t now_ms);
  // When the first of `people` is available (now_ms when one is now; now_ms when empty).
  static std::int64_t first_available(const std::vector<Addressee>& people, std::int64_t now_ms);
};

}  // namespace parley::hotline
