// The implementation matrix from reports (workplan/matrix.h): which report a cell shows,
// the filters, and the CSV and SVG renderings, parsed back.
#include "workplan/matrix.h"

#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <memory>

#include "common/csv.h"

namespace parley::workplan {
namespace {

Measure measure(std::int64_t id, const std::string& code) {
  Measure m;
  m.id = id;
  m.code = code;
  m.title = "Measure " + code;
  return m;
}

Report report(std::int64_t id, std::int64_t measure, const std::string& state, const std::string& status,
              const std::string& as_of) {
  Report r;
  r.id = id;
  r.measure_id = measure;
  r.state = state;
  r.status = status;
  r.as_of = as_of;
  return r;
}

class MatrixTest : public ::testing::Test {
 protected:
  std::vector<Measure> measures{measure(1, "ICT-1"), measure(2, "ICT-2")};
  std::vector<Matrix::Row> states{{"KAZ", "Kazakhstan"}, {"RUS", "Russian Federation"}, {"THA", "Thailand"}};
  // Oldest first, as MeasureStore::forum_reports gives them.
  std::vector<Report> reports{
      report(10, 1, "KAZ", "not_started", "2026-01-10"), report(11, 1, "KAZ", "in_progress", "2026-03-01"),
      report(12, 2, "RUS", "implemented", "2026-03-01"), report(13, 1, "KAZ", "implemented", "2026-03-01"),
      report(14, 2, "KAZ", "not_applicable", "2026-04-01")};
};

TEST_F(MatrixTest, EachCellIsTheLatestReportAsOfTheDay) {
  const auto m = build_matrix("CICA", "CICA", "2026-03-15", measures, states, reports, {});
  ASSERT_EQ(m.states.size(), 3u);
  ASSERT_EQ(m.measures.size(), 2u);
  // Two reports speak for 2026-03-01: the one made later (id 13) wins.
  EXPECT_EQ(m.cells[0][0].status, "implemented");
  EXPECT_EQ(m.cells[0][0].report_id, 13);
  // KAZ's report on ICT-2 speaks for a later day than the matrix.
  EXPECT_EQ(m.cells[0][1].status, kNotReported);
  EXPECT_EQ(m.cells[0][1].report_id, 0);
  EXPECT_EQ(m.cells[1][1].status, "implemented");
  EXPECT_EQ(m.cells[2][0].status, kNotReported);

  const auto earlier = build_matrix("CICA", "CICA", "2026-02-01", measures, states, reports, {});
  EXPECT_EQ(earlier.cells[0][0].status, "not_started");
  EXPECT_EQ(earlier.cells[1][1].status, kNotReported);
}

TEST_F(MatrixTest, TotalsCountEachStatusPerMeasure) {
  const auto m = build_matrix("CICA", "CICA", "2026-12-31", measures, states, reports, {});
  const auto totals = matrix_totals(m);
  const auto& order = matrix_statuses();
  auto at = [&](std::size_t measure, const std::string& status) {
    return totals[measure][static_cast<std::size_t>(std::find(order.begin(), order.end(), status) - order.begin())];
  };
  EXPECT_EQ(at(0, "implemented"), 1u);
  EXPECT_EQ(at(0, kNotReported), 2u);
  EXPECT_EQ(at(1, "implemented"), 1u);
  EXPECT_EQ(at(1, "not_applicable"), 1u);
  EXPECT_EQ(at(1, kNotReported), 1u);
}

TEST_F(MatrixTest, FiltersKeepTheStatesWithACellShown) {
  MatrixFilter f;
  f.statuses = {kNotReported};
  auto m = build_matrix("CICA", "CICA", "2026-12-31", measures, states, reports, f);
  // KAZ reported on both; RUS not on ICT-1; THA on neither.
  ASSERT_EQ(m.states.size(), 2u);
  EXPECT_EQ(m.states[0].state, "RUS");
  EXPECT_TRUE(m.cells[0][0].shown);
  EXPECT_FALSE(m.cells[0][1].shown);
  EXPECT_EQ(m.states[1].state, "THA");

  f = {};
  f.measures = {"ICT-2"};
  f.states = {"RUS", "THA"};
  m = build_matrix("CICA", "CICA", "2026-12-31", measures, states, reports, f);
  ASSERT_EQ(m.measures.size(), 1u);
  EXPECT_EQ(m.measures[0].code, "ICT-2");
  ASSERT_EQ(m.states.size(), 2u);
  EXPECT_EQ(m.cells[0][0].status, "implemented");
}

TEST_F(MatrixTest, CsvHasAColumnPerMeasureAndNeutralisesFormulas) {
  states[2].name = "=HYPERLINK(\"http://evil\")";
  MatrixFilter f;
  f.statuses = {"implemented", kNotReported};
  const auto m = build_matrix("CICA", "CICA", "2026-12-31", measures, states, reports, f);
  const auto t = parse_csv(matrix_csv(m));
  ASSERT_EQ(t.records.size(), 1u + m.states.size());
  EXPECT_EQ(t.records[0], (std::vector<std::string>{"state", "name", "ICT-1", "ICT-2"}));
  EXPECT_EQ(t.records[1], (std::vector<std::string>{"KAZ", "Kazakhstan", "implemented", ""}));   // n/a filtered out
  EXPECT_EQ(t.records[3][1].front(), '\'');
}

TEST_F(MatrixTest, SvgIsWellFormedWithACellPerStateAndMeasure) {
  states[0].name = "<script>alert(1)</script> & co";
  measures[1].title = "\"quoted\" </text>";
  const auto svg = matrix_svg(build_matrix("CICA", "Conference", "2026-12-31", measures, states, reports, {}));
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(
      xmlReadMemory(svg.data(), static_cast<int>(svg.size()), "matrix.svg", nullptr, XML_PARSE_NONET | XML_PARSE_NOERROR),
      &xmlFreeDoc);
  ASSERT_NE(doc, nullptr) << svg;
  const auto* root = xmlDocGetRootElement(doc.get());
  EXPECT_STREQ(reinterpret_cast<const char*>(root->name), "svg");
  // A cell is a group holding its tooltip, its rectangle and its letter.
  int cells = 0, scripts = 0;
  std::function<void(const xmlNode*)> walk = [&](const xmlNode* n) {
    for (; n; n = n->next) {
      if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST "g")) ++cells;
      if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST "script")) ++scripts;
      walk(n->children);
    }
  };
  walk(root);
  EXPECT_EQ(cells, 3 * 2);
  EXPECT_EQ(scripts, 0);
  EXPECT_NE(svg.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(svg.find("KAZ \xC2\xB7 ICT-1: Implemented (as of 2026-03-01)"), std::string::npos);
}

}  // namespace
}  // namespace parley::workplan
