// The annual review of a forum's work: for a year, the activities held and those still
// planned, the decisions its bodies took, each member state's implementation of the
// measures at the start and the end of the year (and what changed), how each state
// answered the communication checks (response rate, median time to the first
// acknowledgement), and the library contributions each state made; with charts where a
// reader would rather look than read. Rendered as JSON, Markdown and an HTML page for the
// screen and print, with its charts in SVG. Built from values the service has read and
// checked; nothing here reads the database or knows who asks.
// Pure functions over values: thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace parley::workplan {

struct ReviewActivity {
  std::int64_t id = 0;
  std::string kind, title, status, starts_on, ends_on, venue;
  std::vector<std::string> co_leads;
  std::string summary;                 // the report's, when reported
  std::int64_t participants = 0;       // people who took part, all states
};

struct ReviewDecision {
  std::string date, body, meeting, wording, outcome;
};

struct StateYear {
  std::string state, name;
  std::map<std::string, std::int64_t> start, end;   // status → measures (matrix_statuses())
  struct Change {
    std::string measure, from, to;
  };
  std::vector<Change> changes;
  // Communication checks addressed to the state in the year, those it acknowledged, and
  // the seconds to its first acknowledgement (median over the acknowledged ones).
  std::int64_t checks = 0, acknowledged = 0;
  std::optional<double> median_seconds;
  // The figures above are not this reader's to see (another state's, to a state's
  // reader): they count in the forum's totals and are shown nowhere else.
  bool checks_withheld = false;
  std::int64_t contributions = 0;
};

struct Review {
  std::string forum, forum_name;
  int year = 0;
  std::string from, to;                // the days it covers: 1 January, and 31 December or today
  std::string generated_on;
  std::int64_t measures = 0, checks = 0;
  std::vector<ReviewActivity> held, planned;
  std::vector<ReviewDecision> decisions;
  std::vector<StateYear> states;       // in the order to show them
};

// The median of `values` (the mean of the two middle values when even); nullopt when empty.
std::optional<double> median_of(std::vector<double> values);

nlohmann::json review_json(const Review& r);
std::string review_markdown(const Review& r);
std::string review_html(const Review& r);   // the charts inline

// The charts: "implementation" (each state's measures by status at the year's end, with
// the change), "responses" (each state's response rate to the checks), "contributions".
inline const std::vector<std::string> kReviewCharts = {"implementation", "responses", "contributions"};
std::string review_chart_svg(const Review& r, const std::string& chart);

}  // namespace parley::workplan
