// PlanService: the work plan as a versioned document of its forum (workplan/plan.h). The
// secretariat opens a draft version (one at a time), which shows the plan as it stands
// (the catalogue's items, the activities serving them, their leads and status); it
// circulates it like a negotiated text: the forum's next note verbale number, the note
// in the forum's languages, delivered on the hotline to the member states' points of
// contact, and the document frozen as circulated, its SHA-256 journaled on plan:<id>.
// Circulated versions are read by the forum's people; a draft only by its secretariat
// (to others it does not exist, 404). Each version renders as JSON, Markdown, HTML and an
// SVG timeline, with what changed since the version circulated before it.
// Thread-safe: no state of its own beyond the references it holds.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "common/time_source.h"
#include "storage/database.h"
#include "workplan/plan.h"

namespace parley::hotline {
class HotlineService;
}

namespace parley::workplan {

class PlanService {
 public:
  PlanService(storage::Database& db, TimeSource& time, hotline::HotlineService* hotline);

  nlohmann::json list(const auth::Principal& who, const std::string& forum);
  nlohmann::json create(const auth::Principal& who, const std::string& forum, const PlanInput& in);
  nlohmann::json update(const auth::Principal& who, std::int64_t id, const PlanInput& in);
  void discard(const auth::Principal& who, std::int64_t id);
  nlohmann::json get(const auth::Principal& who, std::int64_t id);
  nlohmann::json circulate(const auth::Principal& who, std::int64_t id);

  // The version as a file: format md, html or svg (the timeline, its activities linked
  // with `link_prefix`).
  struct Rendered {
    std::string body, content_type, filename;
  };
  Rendered render(const auth::Principal& who, std::int64_t id, const std::string& format, const std::string& link_prefix);

 private:
  storage::Database& db_;
  TimeSource& time_;
  hotline::HotlineService* hotline_;
};

}  // namespace parley::workplan
