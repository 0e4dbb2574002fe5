// The bracket notation: the parser on the seed's real compilation, golden renderings
// written by hand, round trips both ways, and the errors bad input must get.
#include "negotiation/notation.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "negotiation/akn.h"
#include "negotiation/states.h"

namespace parley::negotiation {
namespace {

std::string testdata(const std::string& name) {
  std::ifstream in(std::string(PARLEY_SOURCE_DIR) + "/src/negotiation/testdata/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

ParseResult parse(std::string_view s) {
  return parse_compilation(s, [](std::string_view c) { return is_iso3166_alpha3(c); });
}

Node run(std::string t) { return Node::run(std::move(t)); }
Node bracket(std::vector<Node> children, std::vector<Attribution> as) {
  Node n;
  n.bracket = true;
  n.children = std::move(children);
  n.attributions = std::move(as);
  return n;
}
Paragraph para(Part part, std::vector<Node> content) {
  Paragraph p;
  p.part = part;
  p.content = std::move(content);
  return p;
}
Paragraph proposed(Part part, std::vector<Node> content, std::vector<Attribution> as, bool alt = false) {
  auto p = para(part, std::move(content));
  p.bracketed = true;
  p.alternative = alt;
  p.attributions = std::move(as);
  return p;
}

// The draft of the golden files, built by hand.
Text golden_text() {
  Text t;
  t.symbol = "TEST/2026/1/Rev.2";
  t.distribution = "Member States only";
  t.date = "23 November 2026";
  t.title = "Draft Statement on Points of Contact";
  t.chapeau = "DECLARE THE FOLLOWING:";
  const auto P = Part::kPreamble;
  const auto O = Part::kOperative;
  t.paragraphs.push_back(para(P, {run("Recalling the "), bracket({run("2015")}, {{'-', "USA"}}),
                                  run(" report of the Group of Governmental Experts,")}));
  t.paragraphs.push_back(proposed(P, {run("Noting with concern the rise of ransomware,")}, {{'+', "KAZ"}, {'+', "UZB"}}));
  auto op1 = para(O, {run("We decide to exchange points of contact.")});
  op1.agreed_ad_ref = true;
  t.paragraphs.push_back(op1);
  t.paragraphs.push_back(para(
      O, {run("We will "), bracket({run("notify")}, {{'-', "CHN"}}), run(" "),
          bracket({run("inform")}, {{'+', "CHN"}, {'-', "KAZ"}}), run(" each other of incidents "),
          bracket({run("within "), bracket({run("24")}, {{'+', "RUS"}}), run(" hours")}, {{'-', "USA"}, {'+', "KAZ"}}),
          run(".")}));
  t.paragraphs.push_back(proposed(O, {run("We will hold an annual exercise.")}, {{'+', "THA"}}));
  t.paragraphs.push_back(proposed(O, {run("We will share threat indicators.")}, {{'-', "CHN"}}));
  t.paragraphs.push_back(proposed(O, {run("We may share threat indicators on request.")}, {{'+', "CHN"}}, true));
  t.paragraphs.push_back(para(O, {run("This statement enters into effect on adoption.")}));
  return t;
}

TEST(Notation, RendersTheGoldenCompilationCleanTextAndStateView) {
  const auto t = golden_text();
  EXPECT_EQ(render_compilation(t), testdata("golden_compilation.txt"));
  EXPECT_EQ(render_clean(t), testdata("golden_clean.txt"));
  EXPECT_EQ(render_state_view(t, "KAZ"), testdata("golden_view_kaz.txt"));
}

TEST(Notation, ParsesTheGoldenCompilationIntoTheSameText) {
  const auto r = parse(testdata("golden_compilation.txt"));
  ASSERT_TRUE(r.ok()) << r.errors[0].message;
  EXPECT_TRUE(r.ambiguities.empty()) << r.ambiguities[0].message;
  EXPECT_TRUE(r.notices.empty()) << r.notices[0].message;
  EXPECT_TRUE(r.text.same_as(golden_text()));
}

TEST(Notation, LabelsNumberInSequenceWithBisAndAlt) {
  const auto labels = paragraph_labels(golden_text());
  EXPECT_EQ(labels, (std::vector<std::string>{"", "", "1", "2", "2 bis", "3", "Alt 3", "4"}));
}

TEST(Notation, ParseOfRenderIsIdentityAndRenderOfParseToo) {
  const auto t = golden_text();
  const auto text = render_compilation(t);
  const auto r = parse(text);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.text.same_as(t));
  EXPECT_EQ(render_compilation(r.text), text);
  // And a model round-trips through its stored JSON.
  EXPECT_TRUE(Text::from_json(r.text.to_json()).same_as(r.text));
}

TEST(Notation, ProposalsAndPositionsByState) {
  const auto ps = proposals(golden_text());
  ASSERT_EQ(ps.size(), 8u);
  EXPECT_EQ(ps[0].kind, "delete");
  EXPECT_EQ(ps[0].state, "USA");
  EXPECT_EQ(ps[1].kind, "add_paragraph");
  EXPECT_EQ(ps[1].supporters, (std::vector<std::string>{"UZB"}));
  EXPECT_EQ(ps[2].kind, "replace");
  EXPECT_EQ(ps[2].text, "notify");
  EXPECT_EQ(ps[2].replacement, "inform");
  EXPECT_EQ(ps[2].opposers, std::vector<std::string>{});   // KAZ's (-KAZ) is on the insertion
  EXPECT_EQ(ps[3].kind, "delete");
  EXPECT_EQ(ps[3].state, "USA");
  EXPECT_EQ(ps[3].opposers, (std::vector<std::string>{"KAZ"}));
  EXPECT_EQ(ps[4].kind, "insert");
  EXPECT_EQ(ps[4].state, "RUS");
  EXPECT_EQ(ps[4].depth, 1);
  EXPECT_EQ(ps[5].kind, "add_paragraph");
  EXPECT_EQ(ps[6].kind, "delete_paragraph");
  EXPECT_EQ(ps[7].kind, "alternative");
  EXPECT_EQ(ps[7].state, "CHN");
  const auto counts = count_brackets(golden_text());
  EXPECT_EQ(counts.total, 9);
  EXPECT_EQ(counts.per_paragraph, (std::vector<int>{1, 1, 0, 4, 1, 1, 1, 0}));
}

// ../shared/seeds/001: the real compilation, with every proposal by state.
TEST(Notation, ImportsTheSeedCompilationWithEveryAttribution) {
  const auto r = parse(testdata("seed_001_draft_en.txt"));
  ASSERT_TRUE(r.ok()) << r.errors[0].message;
  EXPECT_EQ(r.text.symbol, "SUM/2022/DRAFT/3/Rev.1");
  EXPECT_EQ(r.text.date, "12 August 2022");
  EXPECT_EQ(r.text.distribution, "Member States only");
  EXPECT_EQ(r.text.chapeau, "DECLARE THE FOLLOWING:");
  EXPECT_EQ(r.text.title.rfind("Draft CICA Leaders' Statement on Cooperation", 0), 0u);
  const auto labels = paragraph_labels(r.text);
  ASSERT_EQ(labels, (std::vector<std::string>{"", "", "", "", "", "", "", "1", "2", "3", "Alt 3", "4", "5", "6", "7"}));

  struct Expected {
    std::string paragraph, kind, state, starts;
    std::vector<std::string> supporters, opposers;
  };
  const std::vector<Expected> expected = {
      {"PP6", "replace", "ISR", "priority of developing, under the auspices", {}, {}},
      {"PP7", "delete", "ISR", "information space and building confidence in the", {}, {}},
      {"PP7", "delete", "ISR", "of", {}, {}},
      {"3", "delete_paragraph", "ISR", "We reaffirm the commonality", {}, {}},
      {"Alt 3", "alternative", "ISR", "We declare that the development", {}, {}},
      {"4", "delete", "IND", ", and in this respect, the Global Initiative", {"ISR"}, {"CHN", "RUS"}},
      {"4", "insert", "THA", "as well as other proposals", {}, {}},
      {"7", "delete", "ISR", "We support internationalization of Internet governance", {}, {}},
  };
  const auto ps = proposals(r.text);
  ASSERT_EQ(ps.size(), expected.size());
  for (std::size_t i = 0; i < ps.size(); ++i) {
    SCOPED_TRACE(i);
    const auto label = labels[ps[i].paragraph].empty() ? fmt::format("PP{}", ps[i].paragraph + 1) : labels[ps[i].paragraph];
    EXPECT_EQ(label, expected[i].paragraph);
    EXPECT_EQ(ps[i].kind, expected[i].kind);
    EXPECT_EQ(ps[i].state, expected[i].state);
    EXPECT_EQ(ps[i].text.rfind(expected[i].starts, 0), 0u) << ps[i].text;
    EXPECT_EQ(ps[i].supporters, expected[i].supporters);
    EXPECT_EQ(ps[i].opposers, expected[i].opposers);
  }
  EXPECT_EQ(ps[0].replacement.rfind("importance of implementing the agreed upon voluntary norms", 0), 0u);
  EXPECT_EQ(ps[0].replacement.substr(ps[0].replacement.size() - 5), "while");

  const auto counts = count_brackets(r.text);
  EXPECT_EQ(counts.per_state, (std::vector<std::pair<std::string, int>>{
                                  {"CHN", 1}, {"IND", 1}, {"ISR", 8}, {"RUS", 1}, {"THA", 1}}));

  // What the parser had to decide is reported, with where, for a person to confirm.
  ASSERT_EQ(r.ambiguities.size(), 3u);
  EXPECT_NE(r.ambiguities[0].message.find("(+ISR) follows text that is not in brackets"), std::string::npos);
  EXPECT_EQ(r.ambiguities[0].line, 25);
  EXPECT_NE(r.ambiguities[1].message.find("unnumbered paragraph"), std::string::npos);
  EXPECT_EQ(r.ambiguities[1].line, 41);
  EXPECT_NE(r.ambiguities[2].message.find("numbered \"3\" in the text; Parley numbers it \"4\""), std::string::npos);
  EXPECT_EQ(r.ambiguities[2].line, 35);

  // Its canonical rendering is stable and says the same.
  const auto canonical = render_compilation(r.text);
  const auto again = parse(canonical);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again.ambiguities.empty());
  EXPECT_TRUE(again.text.same_as(r.text));
  EXPECT_EQ(render_compilation(again.text), canonical);
  EXPECT_NE(canonical.find("Recognizing the [priority of developing"), std::string::npos);
  EXPECT_NE(canonical.find("legally binding,] (-ISR) [importance of implementing"), std::string::npos);
  EXPECT_NE(canonical.find("[of] (-ISR)"), std::string::npos);
  EXPECT_NE(canonical.find("within the OEWG] (-IND) (+CHN) (+RUS) (-ISR)."), std::string::npos);
}

struct BadCase {
  std::string text;
  int line, column;
  std::string says;
};

TEST(Notation, BadInputIsRefusedWithLineAndColumn) {
  const std::vector<BadCase> cases = {
      {"# T\n\n1. We [agree to (-ISR) share.\n", 3, 7, "'[' is never closed"},
      {"# T\n\n1. We agree] (-ISR) to share.\n", 3, 12, "']' closes no bracket"},
      {"# T\n\nPreamble.\n\n1. We [agree] (+XYZ).\n", 5, 17, "unknown state code 'XYZ'"},
      {"# T\n\n1. We [agree] (+isr).\n", 3, 17, "in capitals"},
      {"# T\n\n1. We [] (+ISR) agree.\n", 3, 7, "an attribution with no text"},
      {"# T\n\n(+ISR) We agree.\n", 3, 1, "an attribution with no text before it"},
      {"# T\n\nСтатья [один] (−ABC).\n", 3, 17, "unknown state code 'ABC'"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const auto r = parse(c.text);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.text.paragraphs.empty());
    EXPECT_EQ(r.errors[0].line, c.line);
    EXPECT_EQ(r.errors[0].column, c.column);
    EXPECT_NE(r.errors[0].message.find(c.says), std::string::npos) << r.errors[0].message;
  }
}

TEST(Notation, LooseFormsAreNormalised) {
  // No space before the attribution, the minus sign, several attributions in one pair.
  const auto r = parse("# T\n\n1. We [agree](−ISR) to [share] (+CHN, -RUS) data.\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(render_compilation(r.text), "# T\n\n1. We [agree] (-ISR) to [share] (+CHN) (-RUS) data.\n");
}

TEST(Notation, MarkdownAndHtmlKeepTheAttributions) {
  const auto t = golden_text();
  const auto md = render_markdown(t);
  EXPECT_NE(md.find("2\\. We will [notify] (-CHN) [inform] (+CHN) (-KAZ)"), std::string::npos) << md;
  EXPECT_NE(md.find("[2 bis\\. We will hold"), std::string::npos) << md;
  const auto html = render_html(t);
  EXPECT_NE(html.find("title=\"Proposed by CHN (insert); opposed by KAZ\""), std::string::npos) << html;
  EXPECT_NE(html.find("<span class=\"attribution minus\">(-KAZ)</span>"), std::string::npos);
}

TEST(Notation, NotationSafeRefusesWhatWouldNotRoundTrip) {
  EXPECT_EQ(notation_safe("We agree (in principle)."), "");
  EXPECT_NE(notation_safe("We [agree]"), "");
  EXPECT_NE(notation_safe("We agree (+ISR)"), "");
  EXPECT_NE(notation_safe("two\nlines"), "");
}

TEST(Akn, KeepsEveryAttribution) {
  AknDocument d;
  d.text = golden_text();
  d.forum = "CICA";
  d.work_date = "2026-11-01";
  const auto xml = render_akn(d);
  EXPECT_NE(xml.find(R"(<TLCOrganization eId="kaz" href="/ontology/organization/state/KAZ" showAs="KAZ"/>)"),
            std::string::npos);
  EXPECT_NE(xml.find(R"(<inline name="attribution" refersTo="#kaz" class="minus">(-KAZ)</inline>)"), std::string::npos);
  EXPECT_NE(xml.find("<num>2 bis.</num>"), std::string::npos);
}

TEST(Notation, BracketsNestedPastTheLimitAreAnErrorNotARecursion) {
  // 30,000 levels overflowed the parser's stack; the limit stops it at kMaxBracketDepth.
  const auto r = parse("# T\n\n" + std::string(30000, '[') + "x" + std::string(30000, ']') + " (+KAZ)\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.errors[0].message.find("nested more than"), std::string::npos);
  const auto unclosed = parse("# T\n\n" + std::string(200000, '['));
  EXPECT_FALSE(unclosed.ok());
  // Exactly at the limit still parses.
  std::string ok = "x";
  for (std::size_t i = 0; i < kMaxBracketDepth; ++i) ok = "[" + ok + "] (+KAZ)";
  EXPECT_TRUE(parse("# T\n\n" + ok + "\n").ok());
}

TEST(Notation, ManyErrorsOnOneLineAreListedUpToALimitAndCounted) {
  // 300,000 stray ']' were 300,000 findings, each located by a scan from the line's start.
  const auto r = parse("# T\n\n" + std::string(300000, ']') + "\n");
  EXPECT_EQ(r.errors.size(), kMaxFindings);
  EXPECT_GE(r.omitted, 300000 - kMaxFindings);
  EXPECT_EQ(r.errors.back().line, 3);
  EXPECT_EQ(r.errors.back().column, static_cast<int>(kMaxFindings));
}

TEST(Notation, MarkdownCarriesNoRawHtml) {
  const auto r = parse("# T <b>\n\n1. We agree <script>alert(1)</script> [to act] (+KAZ).\n");
  ASSERT_TRUE(r.ok());
  const auto md = render_markdown(r.text);
  // Every '<' is escaped: a literal character to a Markdown renderer, not a tag.
  for (auto at = md.find('<'); at != std::string::npos; at = md.find('<', at + 1))
    EXPECT_TRUE(at > 0 && md[at - 1] == '\\') << md;
  EXPECT_NE(md.find("\\<script>alert(1)\\</script>"), std::string::npos) << md;
}

TEST(Notation, UnnumberedBlocksAreJoinedAtTheJunctionOnly) {
  // 20,000 unnumbered blocks, each joined to the paragraph above: each join used to
  // rebuild the whole paragraph (quadratic: minutes for 120 KB).
  std::string text = "# T\n\n1. First.\n\n";
  for (int i = 0; i < 20000; ++i) text += "Aa [b] (+KAZ)\n\n";
  text += "Last words.\n";
  const auto r = parse(text);
  ASSERT_TRUE(r.ok()) << r.errors[0].message;
  ASSERT_EQ(r.text.paragraphs.size(), 1u);
  const auto& content = r.text.paragraphs[0].content;
  EXPECT_EQ(content.front().text, "First. Aa ");
  EXPECT_EQ(content.back().text, " Last words.");
  EXPECT_EQ(std::count_if(content.begin(), content.end(), [](const Node& n) { return n.bracket; }), 20000);
  // Joined, the two sides still must not make an attribution.
  EXPECT_FALSE(parse("# T\n\n1. We (\n\n-RUS) agree.\n").ok());
}

}  // namespace
}  // namespace parley::negotiation
