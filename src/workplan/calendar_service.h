// CalendarService: the work plan's calendars. A person's feed (every forum it may read)
// or a forum's feed, each at a secret URL the person creates and may revoke: meetings
// (timed in their own zone when they have a start time), scheduled activities, and
// deadlines: delegations' registration, silence procedures (on activities' approval and
// on drafts under negotiation), reconfirmations of the directory. A feed answers as its
// owner would be answered now: a disabled owner's, a revoked or an unknown feed is a 404;
// a forum the owner no longer reads drops out. Only the SHA-256 of a feed's secret is
// kept. Also the invitation to a meeting, as an .ics (METHOD:REQUEST).
// Thread-safe: no state of its own beyond the references it holds.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "common/time_source.h"
#include "storage/database.h"

namespace parley::workplan {

class CalendarService {
 public:
  CalendarService(storage::Database& db, TimeSource& time);

  // `forum` empty: the person's own feed. Returns the feed with its secret path, once.
  nlohmann::json create_feed(const auth::Principal& who, const std::string& forum);
  nlohmann::json feeds(const auth::Principal& who);
  void revoke_feed(const auth::Principal& who, std::int64_t id);
  // The feed at this secret, as iCalendar text; 404 when there is none (or revoked).
  std::string feed(const std::string& secret);
  // A meeting's invitation (METHOD:REQUEST) for whoever may read it.
  std::string invitation(const auth::Principal& who, std::int64_t meeting_id);

 private:
  storage::Database& db_;
  TimeSource& time_;
};

// The iCalendar invitation to a meeting, read inside the caller's transaction (used by
// MeetingService to attach it to the mails convening it).
std::string meeting_invitation(storage::Connection& c, std::int64_t meeting_id, std::int64_t now_ms, const std::string& organizer);

}  // namespace parley::workplan
