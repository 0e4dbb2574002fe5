// Edits of a working text: each proposal kind, positions, resolution, ad ref; refusals
// leave the text as it was. Expected texts are written from the notation's rules.
#include "negotiation/edit.h"

#include <gtest/gtest.h>

#include "common/problem.h"
#include "negotiation/notation.h"
#include "negotiation/states.h"

namespace parley::negotiation {
namespace {

Text parse_text(const std::string& s) {
  auto r = parse_compilation(s, [](std::string_view c) { return is_iso3166_alpha3(c); });
  EXPECT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors[0].message);
  return r.text;
}

const char* kDraft =
    "# T\n\nRecalling the report,\n\n## DECLARE THE FOLLOWING:\n\n1. We decide to exchange points of contact.\n\n"
    "2. We will notify each other of incidents within 24 hours.\n";

Author as(const char* state) { return {state, "user", 1}; }

std::string body(const Text& t) {
  auto s = render_compilation(t);   // what follows the chapeau's line
  const auto chapeau = s.find("\n## ");
  return s.substr(s.find("\n\n", chapeau + 1) + 2);
}

TEST(Edit, SpanProposalsInsertDeleteReplace) {
  auto t = parse_text(kDraft);
  propose_span(t, {"insert", "p2", "firmly", "We decide", "", 0}, as("KAZ"), "P1");
  propose_span(t, {"delete", "p3", "within 24 hours", "", "", 0}, as("CHN"), "P2");
  propose_span(t, {"replace", "p3", "notify", "", "inform", 0}, as("RUS"), "P3");
  EXPECT_EQ(body(t),
            "1. We decide [firmly] (+KAZ) to exchange points of contact.\n\n"
            "2. We will [notify] (-RUS) [inform] (+RUS) each other of incidents [within 24 hours] (-CHN).\n");
}

TEST(Edit, PositionsOnAReplacementCoverBothBrackets) {
  auto t = parse_text(kDraft);
  propose_span(t, {"replace", "p3", "24", "", "72", 0}, as("KAZ"), "P4");
  set_position(t, "P4", "UZB", true);
  set_position(t, "P4a", "CHN", false);
  EXPECT_NE(body(t).find("[24] (-KAZ) (-UZB) (+CHN) [72] (+KAZ) (+UZB) (-CHN)"), std::string::npos) << body(t);
  set_position(t, "P4", "UZB", std::nullopt);
  EXPECT_NE(body(t).find("[24] (-KAZ) (+CHN) [72] (+KAZ) (-CHN)"), std::string::npos) << body(t);
  EXPECT_THROW(set_position(t, "P4", "KAZ", false), Problem);
}

TEST(Edit, ResolutionMakesOrDropsTheChangeAndItsNestedBrackets) {
  auto t = parse_text(
      "# T\n\n## D:\n\n1. We note the [Initiative [and other proposals] (+THA) as a basis] (-IND) (+CHN) today.\n\n"
      "[2. Old text.] (-ISR)\n\n[Alt 2. New text.] (+ISR)\n\n3. Last.\n");
  const auto ps = proposals(t);
  ASSERT_EQ(ps.size(), 4u);
  auto accepted = t;
  resolve(accepted, ps[0].id, true);   // IND's deletion accepted: THA's insertion goes with it
  EXPECT_EQ(clean_content(accepted.paragraphs[0].content), "We note the today.");
  EXPECT_EQ(proposals(accepted).size(), 2u);
  auto rejected = t;
  resolve(rejected, ps[0].id, false);   // kept: THA's insertion is still open inside
  EXPECT_EQ(render_content(rejected.paragraphs[0].content), "We note the Initiative [and other proposals] (+THA) as a basis today.");
  auto alt = t;
  resolve(alt, ps[3].id, true);   // the alternative replaces paragraph 2
  EXPECT_EQ(body(alt), "1. We note the [Initiative [and other proposals] (+THA) as a basis] (-IND) (+CHN) today.\n\n"
                       "2. New text.\n\n3. Last.\n");
  EXPECT_THROW(resolve(alt, "P99", true), Problem);
}

TEST(Edit, ParagraphProposalsAndAdRef) {
  auto t = parse_text(kDraft);
  propose_paragraph(t, "p2", Part::kOperative, "We will test them twice a year.", as("THA"), "P5");
  propose_paragraph_deletion(t, "p3", as("ISR"), "P6");
  propose_alternative(t, "p3", "We will notify promptly.", as("CHN"), "P7");
  EXPECT_EQ(body(t), "1. We decide to exchange points of contact.\n\n[1 bis. We will test them twice a year.] (+THA)\n\n"
                     "[2. We will notify each other of incidents within 24 hours.] (-ISR)\n\n"
                     "[Alt 2. We will notify promptly.] (+CHN)\n");
  EXPECT_THROW(agree_ad_ref(t, "p3", true), Problem);   // bracketed
  agree_ad_ref(t, "p2", true);
  EXPECT_THROW(propose_span(t, {"delete", "p2", "points", "", "", 0}, as("KAZ"), "P8"), Problem);
}

TEST(Edit, RefusalsLeaveTheTextUnchanged) {
  auto t = parse_text(kDraft);
  const auto before = render_compilation(t);
  EXPECT_THROW(propose_span(t, {"delete", "p3", "not there", "", "", 0}, as("KAZ"), "P1"), Problem);
  EXPECT_THROW(propose_span(t, {"delete", "p3", "e", "", "", 0}, as("KAZ"), "P1"), Problem);   // ambiguous
  EXPECT_THROW(propose_span(t, {"replace", "p3", "24", "", "[72]", 0}, as("KAZ"), "P1"), Problem);
  EXPECT_THROW(propose_span(t, {"insert", "p9", "x", "", "", 0}, as("KAZ"), "P1"), Problem);
  EXPECT_THROW(propose_alternative(t, "p1", "x", as("KAZ"), "P1"), Problem);   // preambular
  EXPECT_EQ(render_compilation(t), before);
  // An occurrence picks one of several.
  propose_span(t, {"delete", "p3", "e", "", "", 2}, as("KAZ"), "P1");
  EXPECT_NE(render_compilation(t), before);
}

TEST(Edit, AReimportedCompilationKeepsTheIdsOfWhatItStillHolds) {
  auto old = parse_text(kDraft);
  propose_span(old, {"insert", "p2", "firmly", "We decide", "", 0}, as("KAZ"), "P10");
  propose_span(old, {"replace", "p3", "24", "", "72", 0}, as("CHN"), "P11");
  // The secretariat edits the compilation by hand: a new bracket and a new paragraph.
  auto text = render_compilation(old);
  text.replace(text.find("points of contact"), 17, "points of [national] (+THA) contact");
  text += "\n3. We will meet every year.\n";
  auto fresh = parse_text(text);
  std::int64_t next = 20;
  carry_ids(fresh, old, next);
  ASSERT_EQ(fresh.paragraphs.size(), 4u);
  EXPECT_EQ(fresh.paragraphs[0].id, "p1");   // unchanged
  EXPECT_EQ(fresh.paragraphs[1].id, "p2");   // same clean text
  EXPECT_EQ(fresh.paragraphs[2].id, "p3");
  EXPECT_EQ(fresh.paragraphs[3].id, "p21");  // new
  const auto ps = proposals(fresh);
  ASSERT_EQ(ps.size(), 3u);
  EXPECT_EQ(ps[0].id, "P10");
  EXPECT_EQ(ps[0].by, "user");
  EXPECT_EQ(ps[1].id, "P20");                // THA's, new
  EXPECT_EQ(ps[2].id, "P11");
  EXPECT_EQ(ps[2].insert_id, "P11a");
  EXPECT_EQ(next, 22);
}

TEST(Edit, AParsedReplacementIsOneProposal) {
  auto t = parse_text("# T\n\n1. We will [notify] (-KAZ) [inform] (+KAZ) each other.\n");
  const auto ps = proposals(t);
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].insert_id, ps[0].id + "a");
  set_position(t, ps[0].id, "UZB", true);
  EXPECT_EQ(render_content(t.paragraphs[0].content), "We will [notify] (-KAZ) (-UZB) [inform] (+KAZ) (+UZB) each other.");
  resolve(t, ps[0].id, true);
  EXPECT_EQ(render_content(t.paragraphs[0].content), "We will inform each other.");
}

}  // namespace
}  // namespace parley::negotiation
