// ReviewService: the annual review of a forum (workplan/review.h) for a year, gathered
// from the work plan (activities, meetings' decisions, the implementation matrix at the
// year's start and end), the hotline (the communication checks started in the year, per
// addressed state) and the library (contributions submitted in the year that the reader
// may read). Read by the forum's people (its secretariat and its member states' people;
// 404 to anyone else), and by the operator on the command line as the forum's
// secretariat would (`parley review`). A state's communication-check figures are, as in
// the checks' own reports, the secretariat's and that state's: other states' people get
// the forum's totals only.
// Thread-safe: no state of its own beyond the references it holds.
#pragma once

#include <string>

#include "auth/principal.h"
#include "common/time_source.h"
#include "storage/database.h"
#include "workplan/review.h"

namespace parley::workplan {

class ReviewService {
 public:
  ReviewService(storage::Database& db, TimeSource& time);
  // `year`: a year from 2000 to the current one (422 naming "year" otherwise).
  Review review(const auth::Principal& who, const std::string& forum, int year);
  // The principal the command line reads a forum's review as: its secretariat.
  static auth::Principal operator_for(const std::string& forum);

 private:
  storage::Database& db_;
  TimeSource& time_;
};

}  // namespace parley::workplan
