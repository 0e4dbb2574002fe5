// The implementation matrix: a forum's states × its measures, each cell the status of the
// state's latest report on the measure as of a day, and its renderings (CSV for a
// spreadsheet, SVG for a picture). Built from values the service has read and checked;
// nothing here reads the database or knows who asks.
// Pure functions over values: thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "workplan/model.h"

namespace parley::workplan {

// The cells' status for a state that has not reported on a measure (by that day).
inline const std::string kNotReported = "not_reported";

struct MatrixFilter {
  std::vector<std::string> statuses;   // shown cells' statuses (kStatuses and kNotReported); empty: all
  std::vector<std::string> measures;   // measure codes; empty: all
  std::vector<std::string> states;     // alpha-3 codes; empty: all the forum's states
};

struct MatrixCell {
  std::string status = kNotReported;
  std::string as_of;            // of the report it comes from
  std::int64_t report_id = 0;   // 0: not reported
  bool shown = true;            // false: left out by the status filter
};

struct Matrix {
  struct Column {
    std::int64_t id = 0;
    std::string code, title;
  };
  struct Row {
    std::string state, name;
  };
  std::string forum, forum_name, as_of;
  std::vector<Column> measures;
  std::vector<Row> states;
  std::vector<std::vector<MatrixCell>> cells;   // [state][measure]
};

// `states`: the forum's member states with their names, in the order to show them;
// `reports`: the forum's reports up to `as_of`, oldest first (MeasureStore::forum_reports).
// With a status filter, states with no cell shown are left out.
Matrix build_matrix(const std::string& forum, const std::string& forum_name, const std::string& as_of,
                    const std::vector<Measure>& measures, const std::vector<Matrix::Row>& states,
                    const std::vector<Report>& reports, const MatrixFilter& filter);

// How a status looks in pictures: colours a reader tells apart in print and on screen,
// each with a letter for those who do not see the colours, and its English label.
struct StatusLook {
  const char* fill;
  const char* ink;
  const char* letter;
  const char* label;
};
StatusLook status_look(const std::string& status);

// How many cells of each measure have each status (shown cells only): [measure][status].
std::vector<std::vector<std::size_t>> matrix_totals(const Matrix& m);
// The statuses in the order the totals and the legend give them: kStatuses, then kNotReported.
const std::vector<std::string>& matrix_statuses();

// One record per state: state, name, then one field per measure (its code as header)
// holding the status; a cell the filter left out is empty. RFC 4180, CRLF.
std::string matrix_csv(const Matrix& m);
// A self-contained SVG picture: coloured cells with a letter each (for readers who do
// not tell the colours apart), a tooltip per cell, a legend with the totals.
std::string matrix_svg(const Matrix& m);

}  // namespace parley::workplan
