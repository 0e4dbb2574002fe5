// The bodies' and meetings' SQL: static functions on a Connection, run inside the
// caller's transaction; the same SQL on SQLite and PostgreSQL.
// Thread-safety: that of the Connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"
#include "workplan/meeting_model.h"

namespace parley::workplan {

class MeetingStore {
 public:
  using C = storage::Connection;

  static std::vector<Body> bodies(C& c, const std::string& forum);
  static std::optional<Body> body(C& c, std::int64_t id);
  static std::optional<std::int64_t> find_body(C& c, const std::string& forum, const std::string& code);
  static std::int64_t insert_body(C& c, const Body& b, std::int64_t now);
  static void update_body(C& c, const Body& b, std::int64_t now);

  // The forum's meetings (of one body when body_id is not 0) whose days meet [from, to]
  // (either may be empty), by first day.
  static std::vector<Meeting> meetings(C& c, const std::string& forum, std::int64_t body_id, const std::string& from,
                                       const std::string& to);
  static std::optional<Meeting> meeting(C& c, std::int64_t id);
  static std::int64_t insert_meeting(C& c, const Meeting& m, std::int64_t by, std::int64_t now);
  static void update_meeting(C& c, const Meeting& m, std::int64_t now);
  static void set_agenda(C& c, std::int64_t meeting_id, const std::vector<AgendaItem>& agenda);

  static std::vector<Delegate> delegates(C& c, std::int64_t meeting_id);
  static void set_delegation(C& c, std::int64_t meeting_id, const std::string& state, const std::vector<Delegate>& members,
                             std::int64_t by, std::int64_t now);
  // Marks who attended: the delegates in `ids` yes, the meeting's others no.
  static void set_attendance(C& c, std::int64_t meeting_id, const std::vector<std::int64_t>& ids);

  static std::vector<MeetingDocument> documents(C& c, std::int64_t meeting_id);
  static void put_document(C& c, std::int64_t meeting_id, const MeetingDocument& d, std::int64_t now);

  static std::vector<Decision> decisions(C& c, std::int64_t meeting_id);
  static std::int64_t insert_decision(C& c, std::int64_t meeting_id, const Decision& d, std::int64_t by, std::int64_t now);
};

}  // namespace parley::workplan
