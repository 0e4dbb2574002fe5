// MeetingService: a forum's bodies and their meetings. The secretariat keeps the bodies
// (with their chairs) and the meetings: it plans one (dates, time zone, place or online
// link, agenda citing drafts under negotiation, measures and library documents),
// convenes it with a note verbale (numbered in the forum's sequence, in its languages,
// delivered on the hotline: negotiation/notes.h) and an e-mail to each member state's
// focal points with the meeting's invitation attached (.ics, METHOD:REQUEST), adds the meeting's documents, records
// the decisions taken (each with its wording and what it acted on) and, once it is held,
// who took part. Member states' focal points register their delegations (names,
// functions, the head) until the registration deadline; the secretariat may at any time.
//
// Readers are the forum's (workplan/measure_service.h's can_read_workplan); to anyone
// else a forum's bodies and meetings do not exist (404). What an agenda item, document or
// decision cites is shown only to those who may read it. Every change is journaled in
// its transaction (body:<id>, meeting:<id>).
// Thread-safe: no state of its own beyond the references it holds.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "common/time_source.h"
#include "storage/database.h"
#include "workplan/meeting_model.h"

namespace parley::hotline {
class HotlineService;
}

namespace parley::workplan {

class MeetingService {
 public:
  // `organizer`: the address invitations come from (the mail's sender).
  MeetingService(storage::Database& db, TimeSource& time, hotline::HotlineService* hotline, std::string organizer = "");

  nlohmann::json bodies(const auth::Principal& who, const std::string& forum);
  nlohmann::json create_body(const auth::Principal& who, const BodyInput& in);
  nlohmann::json update_body(const auth::Principal& who, std::int64_t id, const BodyInput& in);

  // The forum's meetings (one body's when body is not 0) meeting [from, to].
  nlohmann::json meetings(const auth::Principal& who, const std::string& forum, std::int64_t body, const std::string& from,
                          const std::string& to);
  nlohmann::json create(const auth::Principal& who, const MeetingInput& in);
  nlohmann::json get(const auth::Principal& who, std::int64_t id);
  nlohmann::json update(const auth::Principal& who, std::int64_t id, const MeetingInput& in);
  // Sends the note verbale convening the meeting; the meeting becomes "convened".
  nlohmann::json convene(const auth::Principal& who, std::int64_t id);
  nlohmann::json cancel(const auth::Principal& who, std::int64_t id);
  nlohmann::json set_delegation(const auth::Principal& who, std::int64_t id, const std::string& state,
                                const std::vector<Delegate>& members);
  nlohmann::json add_document(const auth::Principal& who, std::int64_t id, const MeetingDocument& d);
  nlohmann::json record_decision(const auth::Principal& who, std::int64_t id, const Decision& d);
  // The meeting was held: `participants` are the delegates who attended (all registered
  // ones when nullopt).
  nlohmann::json held(const auth::Principal& who, std::int64_t id, const std::optional<std::vector<std::int64_t>>& participants);

 private:
  storage::Database& db_;
  TimeSource& time_;
  hotline::HotlineService* hotline_;
  std::string organizer_;
};

}  // namespace parley::workplan
