// The work plan's document (plan.h), the review's median (review.h) and the printable
// helpers (render.h): item status by the stated rule, changes between versions, dates as
// day numbers, escaping.
#include "workplan/plan.h"

#include <gtest/gtest.h>

#include "workplan/render.h"
#include "workplan/review.h"

namespace parley::workplan {
namespace {

PlanActivity act(std::int64_t id, const std::string& status, const std::string& title = "A") {
  PlanActivity a;
  a.id = id;
  a.status = status;
  a.title = title;
  a.kind = "workshop";
  return a;
}

TEST(Plan, AnItemStandsWhereItsLiveActivitiesStand) {
  EXPECT_EQ(item_status({}), "open");
  EXPECT_EQ(item_status({act(1, "draft"), act(2, "withdrawn"), act(3, "not_approved")}), "open");
  EXPECT_EQ(item_status({act(1, "in_approval"), act(2, "returned")}), "proposed");
  EXPECT_EQ(item_status({act(1, "in_approval"), act(2, "scheduled")}), "under_way");
  EXPECT_EQ(item_status({act(1, "held"), act(2, "approved")}), "under_way");
  EXPECT_EQ(item_status({act(1, "held"), act(2, "reported"), act(3, "not_approved")}), "completed");
}

TEST(Plan, ChangesNameWhatWasAddedRemovedAndMoved) {
  PlanContent before, after;
  PlanItem i{7, "iv", "Capacity building", "", "", {"AUS"}, {}, "proposed", {act(1, "in_approval", "Training")}};
  PlanItem gone{8, "v", "Research", "", "", {}, {}, "open", {act(3, "in_approval", "Study")}};
  before.items = {i, gone};
  i.activities = {act(1, "approved", "Training"), act(2, "in_approval", "Seminar")};
  i.status = "under_way";
  PlanItem added{9, "xii", "New item", "", "", {}, {}, "open", {}};
  after.items = {i, added};
  after.version = 2;
  const auto changes = plan_changes(before, after);
  const std::vector<std::string> expected = {
      "Item iv: Proposed \xE2\x86\x92 Under way.",
      "Item added: xii: New item.",
      "Item removed: v: Research.",
      "Activity \xE2\x80\x9CTraining\xE2\x80\x9D: In approval \xE2\x86\x92 Approved.",
      "Activity added under iv: \xE2\x80\x9CSeminar\xE2\x80\x9D (In approval).",
      "Activity removed: \xE2\x80\x9CStudy\xE2\x80\x9D.",
  };
  EXPECT_EQ(changes, expected);
  EXPECT_TRUE(plan_changes(after, after).empty());
}

TEST(Plan, ACirculatedTextReadsBackAsWritten) {
  PlanContent p;
  p.forum = "ARF";
  p.symbol = "ARF/WP/2";
  p.version = 2;
  p.title = "Work plan";
  p.as_of = "2026-12-01";
  p.items.push_back({7, "iv", "Capacity", "2025-01-01", "2027-12-31", {"AUS"}, {"SGP"}, "proposed", {act(1, "in_approval")}});
  EXPECT_EQ(plan_json(plan_from_json(plan_json(p))), plan_json(p));
  EXPECT_THROW(plan_from_json(nlohmann::json::object()), nlohmann::json::exception);
}

TEST(Plan, TheTimelineSpansThePeriodAndLinksActivities) {
  PlanContent p;
  p.title = "Plan";
  p.period_from = "2026-01-01";
  p.period_to = "2026-12-31";
  p.as_of = "2026-07-01";
  auto a = act(5, "scheduled", "Workshop <b>");
  a.starts_on = "2026-03-02";
  a.ends_on = "2026-03-04";
  p.items.push_back({1, "i", "Item", "", "", {}, {}, "under_way", {a, act(6, "in_approval", "Undated")}});
  const auto svg = plan_timeline_svg(p, "#/workplan/activities/");
  EXPECT_NE(svg.find("href=\"#/workplan/activities/5\""), std::string::npos);
  EXPECT_NE(svg.find("Workshop &lt;b&gt;"), std::string::npos);
  EXPECT_NE(svg.find("dates not set"), std::string::npos);
  EXPECT_NE(svg.find(">Jan 2026<"), std::string::npos);
  EXPECT_NE(svg.find(">Dec<"), std::string::npos);
  EXPECT_NE(svg.find("as of 2026-07-01"), std::string::npos);
  EXPECT_EQ(plan_timeline_svg(p, "").find("href="), std::string::npos);
}

TEST(Printable, DaysCountFromTheEpoch) {
  EXPECT_EQ(printable::day_number("1970-01-01"), 0);
  EXPECT_EQ(printable::day_number("2000-03-01"), 11017);
  EXPECT_EQ(printable::day_number("2024-12-31") - printable::day_number("2024-01-01"), 365);   // a leap year
  for (const char* d : {"1999-12-31", "2000-02-29", "2026-12-01", "2100-03-01"})
    EXPECT_EQ(printable::date_of(printable::day_number(d)), d);
}

TEST(Printable, MarkdownAndHtmlAreEscaped) {
  EXPECT_EQ(printable::md("a|b *c* _d_ [e](f) <g>\nh"), "a\\|b \\*c\\* \\_d\\_ \\[e\\](f) \\<g\\> h");
  EXPECT_EQ(printable::html("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;'");
  EXPECT_EQ(printable::ellipsize("\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82", 3), "\xD0\x9F\xD1\x80\xE2\x80\xA6");
}

TEST(Review, TheMedianIsTheMiddleValue) {
  EXPECT_FALSE(median_of({}).has_value());
  EXPECT_EQ(*median_of({30, 10, 60}), 30);
  EXPECT_EQ(*median_of({40, 10, 20, 30}), 25);
}

}  // namespace
}  // namespace parley::workplan
