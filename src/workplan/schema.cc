#include "workplan/schema.h"

namespace parley::workplan {

std::vector<storage::Migration> migrations() {
  // A report is never changed: a state's implementation over time is the sequence of its
  // reports, each dated by the day it speaks for (`as_of`) and the moment it was made.
  // Evidence points to rows of other capabilities by kind and id; the service checks
  // that the reader may see each before showing it.
  return {storage::Migration{1000, "workplan: measures, coordinators, implementation reports", R"sql(
CREATE TABLE workplan_measures (
  id INTEGER PRIMARY KEY,
  forum TEXT NOT NULL REFERENCES forums(code),
  code TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  period_from TEXT NOT NULL DEFAULT '',
  period_to TEXT NOT NULL DEFAULT '',
  position INTEGER NOT NULL,
  created_by INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (forum, code)
);
CREATE TABLE workplan_measure_coordinators (
  measure_id INTEGER NOT NULL REFERENCES workplan_measures(id),
  state TEXT NOT NULL REFERENCES states(alpha3),
  role TEXT NOT NULL CHECK (role IN ('coordinator', 'co-coordinator')),
  PRIMARY KEY (measure_id, state)
);
CREATE TABLE workplan_reports (
  id INTEGER PRIMARY KEY,
  measure_id INTEGER NOT NULL REFERENCES workplan_measures(id),
  state TEXT NOT NULL REFERENCES states(alpha3),
  status TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'implemented', 'not_applicable')),
  note TEXT NOT NULL DEFAULT '',
  as_of TEXT NOT NULL,
  reported_by INTEGER NOT NULL,
  reported_at INTEGER NOT NULL
);
CREATE INDEX workplan_reports_measure_state ON workplan_reports(measure_id, state, as_of, id);
CREATE TABLE workplan_report_evidence (
  report_id INTEGER NOT NULL REFERENCES workplan_reports(id),
  kind TEXT NOT NULL,
  ref INTEGER NOT NULL,
  PRIMARY KEY (report_id, kind, ref)
);
)sql"}};
}

}  // namespace parley::workplan
