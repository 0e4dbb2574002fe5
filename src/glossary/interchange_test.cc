#include "glossary/interchange.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "common/problem.h"

namespace parley::glossary {
namespace {

std::vector<Term> sample() {
  Term t;
  t.id = 7;
  t.term = "critical infrastructure";
  t.lang = "en";
  t.equivalents = {{"ru", "критическая инфраструктура"}, {"zh", "关键基础设施"}, {"fr", "infrastructure critique & \"vitale\""}};
  t.note = "Agreed at the 5th meeting <draft>";
  Definition kaz;
  kaz.source = "state";
  kaz.state = "KAZ";
  kaz.lang = "en";
  kaz.text = "Systems whose failure harms national security.";
  kaz.reference = "Art. 1(5)";
  kaz.contribution = 12;
  Definition iso;
  iso.source = "organisation";
  iso.organisation = "ISO/IEC 27000:2018";
  iso.lang = "en";
  iso.text = "Assets essential to society.";
  Definition forum;
  forum.source = "forum";
  forum.agreed_on = "2024-05-12";
  forum.agreed_in = "ARF ISM on ICTs, 6th meeting";
  forum.lang = "ru";
  forum.text = "Объекты, нарушение работы которых…";
  Definition ja;   // a language with no term: kept at concept level
  ja.source = "state";
  ja.state = "JPN";
  ja.lang = "ja";
  ja.text = "重要インフラとは";
  t.definitions = {kaz, iso, forum, ja};
  Term u;
  u.id = 9;
  u.term = "ICT incident";
  u.lang = "en";
  return {t, u};
}

void expect_same(const std::vector<Term>& back, const std::vector<Term>& want, bool with_contribution) {
  ASSERT_EQ(back.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(back[i].term, want[i].term);
    EXPECT_EQ(back[i].lang, want[i].lang);
    EXPECT_EQ(back[i].note, want[i].note);
    auto eq = back[i].equivalents, weq = want[i].equivalents;
    auto by = [](const Equivalent& a, const Equivalent& b) { return a.lang + a.text < b.lang + b.text; };
    std::sort(eq.begin(), eq.end(), by);
    std::sort(weq.begin(), weq.end(), by);
    EXPECT_EQ(eq, weq);
    ASSERT_EQ(back[i].definitions.size(), want[i].definitions.size());
    for (const auto& w : want[i].definitions) {
      const auto it = std::find_if(back[i].definitions.begin(), back[i].definitions.end(),
                                   [&](const Definition& d) { return d.text == w.text; });
      ASSERT_NE(it, back[i].definitions.end()) << w.text;
      EXPECT_EQ(it->source, w.source);
      EXPECT_EQ(it->state, w.state);
      EXPECT_EQ(it->organisation, w.organisation);
      EXPECT_EQ(it->agreed_on, w.agreed_on);
      EXPECT_EQ(it->agreed_in, w.agreed_in);
      EXPECT_EQ(it->lang, w.lang);
      EXPECT_EQ(it->reference, w.reference);
      if (!with_contribution) {
        EXPECT_FALSE(it->contribution) << "contribution ids are the exporting instance's own";
      }
    }
  }
}

TEST(Tbx, RoundTripKeepsTermsEquivalentsAndAttributedDefinitions) {
  const auto xml = to_tbx(sample(), "Glossary of ARF");
  EXPECT_NE(xml.find("<tbx type=\"TBX-Basic\" style=\"dca\""), std::string::npos);
  EXPECT_NE(xml.find("xmlns=\"urn:iso:std:iso:30042:ed-2\""), std::string::npos);
  EXPECT_NE(xml.find("<descrip type=\"definition\">Systems whose failure harms national security.</descrip>"), std::string::npos);
  EXPECT_NE(xml.find("infrastructure critique &amp; &quot;vitale&quot;"), std::string::npos);
  expect_same(from_tbx(xml), sample(), false);
}

TEST(Tbx, ReadsAnotherToolsFileWithoutParleysNotes) {
  const std::string xml = R"(<?xml version="1.0"?>
<tbx type="TBX-Basic" style="dca" xml:lang="fr" xmlns="urn:iso:std:iso:30042:ed-2">
 <tbxHeader><fileDesc><sourceDesc><p>UNTERM</p></sourceDesc></fileDesc></tbxHeader>
 <text><body>
  <conceptEntry id="c1">
   <langSec xml:lang="en"><termSec><term>cyber attack</term></termSec></langSec>
   <langSec xml:lang="fr">
    <descripGrp><descrip type="definition">Une action malveillante.</descrip><admin type="source">UNTERM</admin></descripGrp>
    <termSec><term>cyberattaque</term></termSec>
   </langSec>
  </conceptEntry>
 </body></text>
</tbx>)";
  const auto terms = from_tbx(xml);
  ASSERT_EQ(terms.size(), 1u);
  EXPECT_EQ(terms[0].term, "cyberattaque");
  EXPECT_EQ(terms[0].lang, "fr");
  ASSERT_EQ(terms[0].equivalents.size(), 1u);
  EXPECT_EQ(terms[0].equivalents[0], (Equivalent{"en", "cyber attack"}));
  ASSERT_EQ(terms[0].definitions.size(), 1u);
  EXPECT_EQ(terms[0].definitions[0].source, "organisation");
  EXPECT_EQ(terms[0].definitions[0].organisation, "UNTERM");
  EXPECT_EQ(terms[0].definitions[0].lang, "fr");
}

std::string refusal(const std::function<void()>& f) {
  try {
    f();
  } catch (const Problem& p) {
    return p.errors().empty() ? p.detail() : p.errors().front().field + ": " + p.errors().front().reason;
  }
  return "";
}

TEST(Tbx, RefusesDtdsEntitiesAndWhatIsNotTbx) {
  const std::string laughs = R"(<?xml version="1.0"?><!DOCTYPE tbx [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>
<tbx xmlns="urn:iso:std:iso:30042:ed-2"><text><body><conceptEntry><langSec xml:lang="en"><termSec><term>&b;</term></termSec></langSec></conceptEntry></body></text></tbx>)";
  EXPECT_NE(refusal([&] { from_tbx(laughs); }).find("DOCTYPE"), std::string::npos);
  const std::string xxe = R"(<?xml version="1.0"?><!DOCTYPE tbx SYSTEM "file:///etc/passwd"><tbx/>)";
  EXPECT_NE(refusal([&] { from_tbx(xxe); }).find("DOCTYPE"), std::string::npos);
  EXPECT_NE(refusal([&] { from_tbx("<html/>"); }).find("not TBX"), std::string::npos);
  EXPECT_NE(refusal([&] { from_tbx("<tbx"); }).find("well-formed"), std::string::npos);
  EXPECT_NE(refusal([&] { from_tbx(std::string(kMaxImportBytes + 1, ' ')); }).find("larger"), std::string::npos);
  // A definition whose attribution contradicts itself is refused, naming the concept.
  const std::string bad = R"(<tbx xmlns="urn:iso:std:iso:30042:ed-2"><text><body><conceptEntry><langSec xml:lang="en">
<descripGrp><descrip type="definition">x</descrip><note>parley:source=state</note></descripGrp>
<termSec><term>t</term></termSec></langSec></conceptEntry></body></text></tbx>)";
  EXPECT_NE(refusal([&] { from_tbx(bad); }).find("concept 1: state"), std::string::npos);
}

TEST(Tbx, RefusesCrowdedTagsAndWhatTheApiWouldRefuse) {
  std::string crowded = "<tbx xmlns=\"urn:iso:std:iso:30042:ed-2\"><text><body><conceptEntry";
  for (int i = 0; i < 100; ++i) crowded += " a" + std::to_string(i) + "=\"\"";
  crowded += "/></body></text></tbx>";
  EXPECT_NE(refusal([&] { from_tbx(crowded); }).find("more than 64 attributes"), std::string::npos);
  auto terms = sample();
  terms[0].definitions[1].text = std::string(6000, 'x');
  EXPECT_NE(refusal([&] { from_tbx(to_tbx(terms, "t")); }).find("text is longer than 5000 bytes"), std::string::npos);
}

TEST(GlossaryCsv, RoundTripAndNeutralisedFormulas) {
  auto terms = sample();
  terms[1].note = "=HYPERLINK(\"http://evil\")";
  const auto csv = to_csv(terms);
  EXPECT_EQ(csv.rfind("concept,type,lang,text,source,state,organisation,agreed_on,agreed_in,reference,contribution\r\n", 0), 0u);
  EXPECT_NE(csv.find("'=HYPERLINK"), std::string::npos) << "a spreadsheet must not evaluate it";
  auto back = from_csv(csv);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[1].note, "'=HYPERLINK(\"http://evil\")");
  back[1].note = terms[1].note;
  expect_same(back, terms, false);
}

TEST(GlossaryCsv, RefusesRowsThatCannotBeRead) {
  EXPECT_NE(refusal([] { from_csv("concept,type,lang\r\n"); }).find("\"text\" column"), std::string::npos);
  EXPECT_NE(refusal([] { from_csv("concept,type,lang,text\r\nc1,equivalent,ru,x\r\n"); }).find("no term row"), std::string::npos);
  EXPECT_NE(refusal([] { from_csv("concept,type,lang,text\r\nc1,term,english,x\r\n"); }).find("row 2: lang"), std::string::npos);
  EXPECT_NE(refusal([] { from_csv("concept,type,lang,text\r\nc1,term,en,x\r\nc1,synonym,en,y\r\n"); }).find("row 3: type"),
            std::string::npos);
  EXPECT_NE(refusal([] { from_csv("concept,type,lang,text,source\r\nc1,term,en,x\r\nc1,definition,en,d,forum\r\n"); })
                .find("agreed_on"),
            std::string::npos);
}

}  // namespace
}  // namespace parley::glossary
