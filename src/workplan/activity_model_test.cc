// The activities' rules as pure functions (workplan/activity_model.h): the co-leadership
// check and its reasons, a stage's outcome moving an activity along its path, and a
// silence procedure deciding its stage.
#include "workplan/activity_model.h"

#include <gtest/gtest.h>

namespace parley::workplan {
namespace {

const std::vector<std::string> kAsean = {"BRN", "IDN", "KHM", "LAO", "MMR", "MYS", "PHL", "SGP", "THA", "VNM"};

ForumRules arf() {
  ForumRules r;
  r.forum = "ARF";
  r.min_co_leads = 2;
  r.co_lead_group = "ASEAN";
  r.path = {4, 5, 6};
  return r;
}

TEST(CoLeadRule, AseanAndNonAseanCoChairsPass) {
  EXPECT_TRUE(co_lead_problems(arf(), {"AUS", "SGP"}, kAsean, "ASEAN member states").empty());
  EXPECT_TRUE(co_lead_problems(arf(), {"MYS", "EUU", "USA"}, kAsean, "ASEAN member states").empty());
}

TEST(CoLeadRule, SaysWhyAProposalFails) {
  auto p = co_lead_problems(arf(), {"AUS", "USA"}, kAsean, "ASEAN member states");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0], "at least one co-lead must be of the ASEAN member states (ASEAN); AUS, USA are not");
  p = co_lead_problems(arf(), {"SGP", "MYS"}, kAsean, "ASEAN member states");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0], "at least one co-lead must be from outside the ASEAN member states (ASEAN); SGP, MYS are all of it");
  p = co_lead_problems(arf(), {"SGP"}, kAsean, "ASEAN member states");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0], "the forum asks for at least 2 co-leads; this proposal has 1");
  EXPECT_EQ(p[1], "at least one co-lead must be from outside the ASEAN member states (ASEAN); SGP is of it");
  ForumRules plain;
  EXPECT_TRUE(co_lead_problems(plain, {"KAZ"}, {}, "").empty());
}

TEST(ApprovalPath, OutcomesMoveTheActivityAlong) {
  Activity a;
  a.status = "in_approval";
  apply_outcome(a, "approved", 3);
  EXPECT_EQ(a.stage, 1);
  EXPECT_EQ(a.status, "in_approval");
  apply_outcome(a, "taken_note", 3);
  EXPECT_EQ(a.stage, 2);
  apply_outcome(a, "approved", 3);
  EXPECT_EQ(a.stage, 2);
  EXPECT_EQ(a.status, "approved");

  Activity b;
  b.status = "in_approval";
  b.stage = 1;
  apply_outcome(b, "returned", 3);
  EXPECT_EQ(b.status, "returned");
  EXPECT_EQ(b.stage, 1);   // resubmitted, it comes back to this stage
  b.status = "in_approval";
  apply_outcome(b, "not_approved", 3);
  EXPECT_EQ(b.status, "not_approved");
}

TEST(ApprovalPath, AnUnbrokenSilenceApprovesItsStageAtTheDeadline) {
  Stage s;
  negotiation::SilenceRow silence;
  silence.started_at = 1000;
  silence.deadline = 5000;
  s.silence = silence;
  EXPECT_FALSE(settle_silence(s, 4999));
  EXPECT_EQ(s.outcome, "");
  EXPECT_TRUE(settle_silence(s, 5000));
  EXPECT_EQ(s.outcome, "approved");
  EXPECT_EQ(s.decided_at, 5000);
  EXPECT_FALSE(settle_silence(s, 9000));   // decided once

  Stage broken;
  silence.broken_at = 3000;
  silence.broken_state = "THA";
  broken.silence = silence;
  EXPECT_FALSE(settle_silence(broken, 9000));
  EXPECT_EQ(broken.outcome, "");
}

}  // namespace
}  // namespace parley::workplan
