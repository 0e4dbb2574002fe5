#include "negotiation/akn.h"

#include <fmt/format.h>

#include <set>

#include "negotiation/notation.h"

namespace parley::negotiation {

namespace {

std::string esc(std::string_view s) { return escape_markup(s); }

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// FRBR URIs use the symbol with its slashes made dashes.
std::string slug(std::string s) {
  for (auto& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') c = '-';
  return s.empty() ? "untitled" : s;
}

std::string id_of(const std::string& proposal) { return "prop_" + (proposal.empty() ? std::string("x") : proposal); }

void attributions(std::string& out, const std::vector<Attribution>& as) {
  for (const auto& a : as)
    out += fmt::format(R"( <inline name="attribution" refersTo="#{}" class="{}">({}{})</inline>)", lower(a.state),
                       a.sign == '+' ? "plus" : "minus", a.sign, a.state);
}

void nodes(std::string& out, const std::vector<Node>& ns, int& anonymous) {
  for (const auto& n : ns) {
    if (!n.bracket) {
      out += esc(n.text);
      continue;
    }
    const bool ins = !n.attributions.empty() && n.attributions[0].sign == '+';
    const std::string id = n.id.empty() ? fmt::format("x{}", ++anonymous) : n.id;
    const std::string who = n.attributions.empty() ? "" : fmt::format(R"( refersTo="#{}")", lower(n.attributions[0].state));
    out += fmt::format(R"(<{} eId="{}"{}>[)", ins ? "ins" : "del", id_of(id), who);
    nodes(out, n.children, anonymous);
    out += fmt::format("]</{}>", ins ? "ins" : "del");
    attributions(out, n.attributions);
  }
}

void collect_states(const std::vector<Node>& ns, std::set<std::string>& states) {
  for (const auto& n : ns) {
    for (const auto& a : n.attributions) states.insert(a.state);
    collect_states(n.children, states);
  }
}

std::string paragraph_body(const Paragraph& p, int& anonymous) {
  std::string body;
  nodes(body, p.content, anonymous);
  if (p.bracketed) {
    body = "[" + body + "]";
    attributions(body, p.attributions);
  }
  if (p.agreed_ad_ref) body += R"( <inline name="status">(agreed ad ref)</inline>)";
  return body;
}

}  // namespace

std::string render_akn(const AknDocument& d) {
  const Text& t = d.text;
  const std::string forum = lower(d.forum.empty() ? "parley" : d.forum);
  const std::string work_date = d.work_date.empty() ? "1970-01-01" : d.work_date;
  const std::string expr_date = d.expression_date.empty() ? work_date : d.expression_date;
  const std::string gen_date = d.generated_date.empty() ? expr_date : d.generated_date;
  const std::string work = fmt::format("/akn/{}/statement/{}/{}", forum, work_date, slug(t.symbol));
  const std::string expr = fmt::format("{}/{}@{}", work, d.language, expr_date);

  std::set<std::string> states;
  for (const auto& p : t.paragraphs) {
    for (const auto& a : p.attributions) states.insert(a.state);
    collect_states(p.content, states);
  }

  std::string out = R"(<?xml version="1.0" encoding="UTF-8"?>)"
                    "\n<akomaNtoso xmlns=\"http://docs.oasis-open.org/legaldocml/ns/akn/3.0\" "
                    "xmlns:parley=\"urn:parley:negotiation\">\n";
  out += "<statement name=\"statement\">\n<meta>\n";
  out += fmt::format(R"(<identification source="#parley">
<FRBRWork><FRBRthis value="{0}/!main"/><FRBRuri value="{0}"/><FRBRdate date="{1}" name="circulation"/><FRBRauthor href="#{2}"/><FRBRcountry value="{2}"/></FRBRWork>
<FRBRExpression><FRBRthis value="{3}/!main"/><FRBRuri value="{3}"/><FRBRdate date="{4}" name="revision"/><FRBRauthor href="#{2}"/><FRBRlanguage language="{5}"/></FRBRExpression>
<FRBRManifestation><FRBRthis value="{3}/!main.xml"/><FRBRuri value="{3}.akn"/><FRBRdate date="{6}" name="generation"/><FRBRauthor href="#parley"/></FRBRManifestation>
</identification>
)",
                     esc(work), esc(work_date), esc(forum), esc(expr), esc(expr_date), esc(d.language), esc(gen_date));
  if (!d.status.empty())
    out += fmt::format(R"(<lifecycle source="#parley"><eventRef eId="evt_1" date="{}" source="#{}" refersTo="#{}"/></lifecycle>
)",
                       esc(expr_date), "ro1", esc(d.status));
  out += "<references source=\"#parley\">\n";
  if (!d.status.empty()) out += fmt::format(R"(<original eId="ro1" href="{}" showAs="{}"/>
)", esc(expr), esc(t.symbol));
  out += fmt::format(R"(<TLCOrganization eId="parley" href="/ontology/organization/parley" showAs="Parley"/>
)");
  if (forum != "parley")
    out += fmt::format(R"(<TLCOrganization eId="{0}" href="/ontology/organization/{0}" showAs="{1}"/>
)", esc(forum), esc(d.forum));
  for (const auto& s : states)
    out += fmt::format(R"(<TLCOrganization eId="{}" href="/ontology/organization/state/{}" showAs="{}"/>
)", lower(s), s, s);
  if (!d.status.empty())
    out += fmt::format(R"(<TLCConcept eId="{0}" href="/ontology/concept/parley/status/{0}" showAs="{0}"/>
)", esc(d.status));
  out += "</references>\n";

  // The positions of every proposal, for tools that read them rather than the marks.
  const auto props = proposals(t);
  if (!props.empty()) {
    out += "<proprietary source=\"#parley\">\n";
    int anonymous = 0;
    for (const auto& p : props) {
      out += fmt::format(R"(<parley:proposal id="{}" kind="{}" state="{}" paragraph="{}">)",
                         esc(id_of(p.id.empty() ? fmt::format("x{}", ++anonymous) : p.id)), esc(p.kind), esc(p.state),
                         esc(t.paragraphs[p.paragraph].id));
      for (const auto& s : p.supporters) out += fmt::format(R"(<parley:supports state="{}"/>)", s);
      for (const auto& s : p.opposers) out += fmt::format(R"(<parley:opposes state="{}"/>)", s);
      out += "</parley:proposal>\n";
    }
    out += "</proprietary>\n";
  }
  out += "</meta>\n";

  out += "<preface>\n";
  if (!t.symbol.empty()) out += fmt::format("<p class=\"symbol\"><docNumber>{}</docNumber></p>\n", esc(t.symbol));
  if (!t.date.empty()) out += fmt::format("<p class=\"date\"><docDate date=\"{}\">{}</docDate></p>\n", esc(expr_date), esc(t.date));
  if (!t.distribution.empty()) out += fmt::format("<p class=\"distribution\">Distr: {}</p>\n", esc(t.distribution));
  out += fmt::format("<p class=\"title\"><docTitle>{}</docTitle></p>\n</preface>\n", esc(t.title));

  const auto labels = paragraph_labels(t);
  int anonymous = 0;
  bool any_preamble = false;
  for (const auto& p : t.paragraphs) any_preamble |= p.part == Part::kPreamble;
  if (any_preamble) {
    out += "<preamble>\n<recitals>\n";
    int n = 0;
    for (const auto& p : t.paragraphs) {
      if (p.part != Part::kPreamble) continue;
      out += fmt::format("<recital eId=\"rec_{}\"{}><p>{}</p></recital>\n", ++n,
                         p.bracketed ? fmt::format(R"( class="proposal" refersTo="#{}")", esc(id_of(p.proposal_id))) : "",
                         paragraph_body(p, anonymous));
    }
    out += "</recitals>\n</preamble>\n";
  }
  out += "<mainBody>\n";
  if (!t.chapeau.empty()) out += fmt::format("<p class=\"chapeau\">{}</p>\n", esc(t.chapeau));
  int n = 0;
  bool any_operative = false;
  for (std::size_t i = 0; i < t.paragraphs.size(); ++i) {
    const auto& p = t.paragraphs[i];
    if (p.part != Part::kOperative) continue;
    any_operative = true;
    out += fmt::format("<paragraph eId=\"para_{}\"{}><num>{}</num><content><p>{}</p></content></paragraph>\n", ++n,
                       p.bracketed ? fmt::format(R"( class="proposal" refersTo="#{}")", esc(id_of(p.proposal_id))) : "",
                       esc(labels[i] + "."), paragraph_body(p, anonymous));
  }
  if (!any_operative && t.chapeau.empty()) out += "<p/>\n";
  out += "</mainBody>\n</statement>\n</akomaNtoso>\n";
  return out;
}

}  // namespace parley::negotiation
