// MeasureService: a forum's catalogue of confidence-building measures and its member
// states' reports on implementing them; the matrix of states × measures; a state's own
// row over time.
//
// Who (a forum's business, as its glossary is: library/access.h's forum people):
//  * reads the catalogue, every state's reports and the matrix: the forum's secretariat
//    and the people of its member states; to anyone else the forum's measures do not
//    exist (404);
//  * adds and edits measures (coordinators, period): the forum's secretariat;
//  * reports a state's implementation: that state's focal point, or the secretariat on
//    its behalf (the report records who made it);
//  * a report's evidence in the library is shown only to those who may read the
//    contribution (library/access.h); others are told how many links they cannot see.
// Every change is journaled in its transaction (measure:<id>).
// Thread-safe: no state of its own beyond the references it holds.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "common/time_source.h"
#include "storage/database.h"
#include "workplan/matrix.h"
#include "workplan/model.h"

namespace parley::workplan {

struct MatrixQuery {
  std::string forum;            // empty: the caller's
  std::string as_of;            // YYYY-MM-DD; empty: today
  MatrixFilter filter;
  std::string group;            // a forum group's code: its states only
};

// The forum's member states as the matrix's rows, by name.
std::vector<Matrix::Row> member_rows(storage::Connection& c, const std::string& forum);

class MeasureService {
 public:
  MeasureService(storage::Database& db, TimeSource& time);

  nlohmann::json list(const auth::Principal& who, const std::string& forum);
  nlohmann::json create(const auth::Principal& who, const MeasureInput& in);
  // The measure, and each member state's latest report on it.
  nlohmann::json get(const auth::Principal& who, std::int64_t id);
  nlohmann::json update(const auth::Principal& who, std::int64_t id, const MeasureInput& in);

  nlohmann::json report(const auth::Principal& who, std::int64_t measure_id, const ReportInput& in);
  // The measure's reports, newest first; one state's when `state` is given.
  nlohmann::json reports(const auth::Principal& who, std::int64_t measure_id, const std::string& state);
  // A state's row over time: every measure of the forum with the state's reports on it.
  nlohmann::json state_row(const auth::Principal& who, const std::string& forum, const std::string& state);

  Matrix matrix(const auth::Principal& who, const MatrixQuery& q);
  static nlohmann::json matrix_json(const Matrix& m);

 private:
  storage::Database& db_;
  TimeSource& time_;
};

}  // namespace parley::workplan
