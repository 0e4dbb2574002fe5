// WeekService: what needs a forum's secretariat in the coming days, on one page: its
// meetings (coming or under way), registration deadlines with the member states that
// have not registered a delegation, activities whose current approval stage waits for a
// decision (none recorded, no silence procedure running), silence procedures ending, and
// the member states that have not reported on every measure. The forum's readers may
// read it; a state's people see what concerns their own state among the last two.
// Thread-safe: no state of its own beyond the references it holds.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "common/time_source.h"
#include "storage/database.h"

namespace parley::workplan {

class WeekService {
 public:
  WeekService(storage::Database& db, TimeSource& time);
  nlohmann::json week(const auth::Principal& who, const std::string& forum, std::int64_t days);

 private:
  storage::Database& db_;
  TimeSource& time_;
};

}  // namespace parley::workplan
