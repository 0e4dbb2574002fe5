#include "glossary/interchange.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "common/csv.h"
#include "common/problem.h"
#include "common/text.h"
#include "library/extract.h"

namespace parley::glossary {

namespace {

std::string xml_text(std::string_view s) { return xml_escape(s); }

// The human-readable source of a definition (TBX admin type="source").
std::string source_label(const Definition& d) {
  if (d.source == "state") return d.state;
  if (d.source == "organisation") return d.organisation;
  return "agreed " + d.agreed_on + ", " + d.agreed_in;
}

std::vector<std::pair<std::string, std::string>> attribution(const Definition& d) {
  std::vector<std::pair<std::string, std::string>> a = {{"source", d.source}};
  if (!d.state.empty()) a.emplace_back("state", d.state);
  if (!d.organisation.empty()) a.emplace_back("organisation", d.organisation);
  if (!d.agreed_on.empty()) a.emplace_back("agreed_on", d.agreed_on);
  if (!d.agreed_in.empty()) a.emplace_back("agreed_in", d.agreed_in);
  if (!d.reference.empty()) a.emplace_back("reference", d.reference);
  if (d.contribution) a.emplace_back("contribution", std::to_string(*d.contribution));
  return a;
}

void definition_xml(std::string& out, const Definition& d, bool with_lang, const std::string& indent) {
  out += indent + "<descripGrp>\n";
  out += indent + "  <descrip type=\"definition\">" + xml_text(d.text) + "</descrip>\n";
  out += indent + "  <admin type=\"source\">" + xml_text(source_label(d)) + "</admin>\n";
  for (const auto& [k, v] : attribution(d)) out += indent + "  <note>parley:" + k + "=" + xml_text(v) + "</note>\n";
  if (with_lang) out += indent + "  <note>parley:lang=" + xml_text(d.lang) + "</note>\n";
  out += indent + "</descripGrp>\n";
}

// ----- reading TBX

struct XmlDocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};

bool named(const xmlNode* n, const char* name) {
  if (n->type != XML_ELEMENT_NODE || xmlStrcmp(n->name, BAD_CAST name) != 0) return false;
  return n->ns == nullptr || xmlStrcmp(n->ns->href, BAD_CAST kTbxNamespace) == 0;
}

std::string content(const xmlNode* n) {
  xmlChar* c = xmlNodeGetContent(n);
  std::string out = c ? reinterpret_cast<const char*>(c) : "";
  xmlFree(c);
  return trim(out);
}

std::string attribute(const xmlNode* n, const char* name) {
  xmlChar* v = xmlGetProp(n, BAD_CAST name);
  std::string out = v ? reinterpret_cast<const char*>(v) : "";
  xmlFree(v);
  return out;
}

std::string lang_of(const xmlNode* n) {
  xmlChar* v = xmlNodeGetLang(n);
  std::string out = v ? reinterpret_cast<const char*>(v) : "";
  xmlFree(v);
  return out;
}

template <typename F>
void each_child(const xmlNode* n, const char* name, F f) {
  for (const xmlNode* c = n->children; c; c = c->next)
    if (named(c, name)) f(c);
}

[[noreturn]] void refuse(const std::string& why) { throw Problem::invalid("file", why); }

Definition definition_from(const xmlNode* grp, const std::string& lang, const std::string& where) {
  Definition d;
  d.lang = lang;
  std::string source_text;
  std::map<std::string, std::string> notes;
  for (const xmlNode* c = grp->children; c; c = c->next) {
    if (named(c, "descrip") && attribute(c, "type") == "definition") d.text = content(c);
    else if (named(c, "admin") && attribute(c, "type") == "source") source_text = content(c);
    else if (named(c, "note")) {
      const auto n = content(c);
      if (n.rfind("parley:", 0) == 0 && n.find('=') != std::string::npos)
        notes[n.substr(7, n.find('=') - 7)] = n.substr(n.find('=') + 1);
    }
  }
  if (notes.count("source")) {
    d.source = notes["source"];
    d.state = to_upper(notes["state"]);
    d.organisation = notes["organisation"];
    d.agreed_on = notes["agreed_on"];
    d.agreed_in = notes["agreed_in"];
    d.reference = notes["reference"];
    if (notes.count("lang")) d.lang = notes["lang"];
  } else {
    // Another tool's file: its source is whatever it names.
    d.source = "organisation";
    d.organisation = source_text.empty() ? "unknown source" : source_text.substr(0, 200);
  }
  if (d.lang.empty() || !is_language_tag(d.lang)) refuse(where + ": a definition without a language (xml:lang)");
  auto errors = check_definition(d);
  if (!errors.empty()) refuse(where + ": " + errors.front().field + " " + errors.front().reason);
  return d;
}

}  // namespace

std::string to_tbx(const std::vector<Term>& terms, const std::string& title) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<tbx type=\"TBX-Basic\" style=\"dca\" xml:lang=\"en\" xmlns=\"" + std::string(kTbxNamespace) + "\">\n";
  out += "  <tbxHeader>\n    <fileDesc>\n      <titleStmt><title>" + xml_text(title) + "</title></titleStmt>\n";
  out += "      <sourceDesc><p>Exported from Parley.</p></sourceDesc>\n    </fileDesc>\n  </tbxHeader>\n";
  out += "  <text>\n    <body>\n";
  for (const auto& t : terms) {
    out += "      <conceptEntry id=\"t" + std::to_string(t.id) + "\">\n";
    if (!t.note.empty()) out += "        <note>" + xml_text(t.note) + "</note>\n";
    // The languages that have a term: the term's own first.
    std::vector<std::string> langs = {t.lang};
    for (const auto& e : t.equivalents)
      if (std::find(langs.begin(), langs.end(), e.lang) == langs.end()) langs.push_back(e.lang);
    for (const auto& d : t.definitions)
      if (std::find(langs.begin(), langs.end(), d.lang) == langs.end()) definition_xml(out, d, true, "        ");
    for (const auto& lang : langs) {
      out += "        <langSec xml:lang=\"" + xml_text(lang) + "\">\n";
      for (const auto& d : t.definitions)
        if (d.lang == lang) definition_xml(out, d, false, "          ");
      if (lang == t.lang) out += "          <termSec><term>" + xml_text(t.term) + "</term></termSec>\n";
      for (const auto& e : t.equivalents)
        if (e.lang == lang) out += "          <termSec><term>" + xml_text(e.text) + "</term></termSec>\n";
      out += "        </langSec>\n";
    }
    out += "      </conceptEntry>\n";
  }
  out += "    </body>\n  </text>\n</tbx>\n";
  return out;
}

std::vector<Term> from_tbx(std::string_view xml) {
  if (xml.size() > kMaxImportBytes) refuse("is larger than " + std::to_string(kMaxImportBytes) + " bytes");
  // libxml2 2.9 takes time quadratic in one tag's attributes (library/extract.h).
  if (library::crowded_tag(xml, 64)) refuse("has a tag with more than 64 attributes; TBX tags have a few");
  // No entity substitution, no DTD loading, no network; a document with a DTD at all is
  // refused below, so that no entity is ever expanded when text is read.
  std::unique_ptr<xmlDoc, XmlDocFree> doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), nullptr, nullptr,
                                                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  if (!doc) refuse("is not well-formed XML");
  if (doc->intSubset || doc->extSubset) refuse("has a DOCTYPE; TBX files have none");
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (!root || !named(root, "tbx")) refuse("is not TBX: its root element is not <tbx> in " + std::string(kTbxNamespace));
  const std::string root_lang = lang_of(root).empty() ? "en" : lang_of(root);
  std::vector<Term> out;
  each_child(root, "text", [&](const xmlNode* text) {
    each_child(text, "body", [&](const xmlNode* body) {
      each_child(body, "conceptEntry", [&](const xmlNode* entry) {
        const std::string where = "concept " + std::to_string(out.size() + 1);
        Term t;
        std::vector<std::pair<std::string, std::string>> terms;   // lang, term in document order
        each_child(entry, "note", [&](const xmlNode* n) { t.note = content(n).substr(0, 2000); });
        each_child(entry, "descripGrp", [&](const xmlNode* g) { t.definitions.push_back(definition_from(g, "", where)); });
        each_child(entry, "langSec", [&](const xmlNode* ls) {
          const auto lang = lang_of(ls);
          if (!is_language_tag(lang)) refuse(where + ": a langSec without a language tag in xml:lang");
          each_child(ls, "descripGrp", [&](const xmlNode* g) { t.definitions.push_back(definition_from(g, lang, where)); });
          each_child(ls, "termSec", [&](const xmlNode* ts) {
            each_child(ts, "term", [&](const xmlNode* term) {
              const auto s = content(term);
              if (!s.empty() && s.size() <= 300) terms.emplace_back(lang, s);
            });
          });
        });
        if (terms.empty()) refuse(where + ": has no term");
        // The term: the first in the document's language, else the first of all.
        auto main = std::find_if(terms.begin(), terms.end(), [&](const auto& p) { return p.first == root_lang; });
        if (main == terms.end()) main = terms.begin();
        t.lang = main->first;
        t.term = main->second;
        for (auto it = terms.begin(); it != terms.end(); ++it)
          if (it != main) t.equivalents.push_back({it->first, it->second});
        out.push_back(std::move(t));
      });
    });
  });
  return out;
}

std::string to_csv(const std::vector<Term>& terms) {
  std::string out;
  auto row = [&](std::vector<std::string> cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i) out += ',';
      out += csv_field(std::move(cells[i]));
    }
    out += "\r\n";
  };
  row(kCsvColumns);
  for (const auto& t : terms) {
    const auto key = "t" + std::to_string(t.id);
    row({key, "term", t.lang, t.term, "", "", "", "", "", "", ""});
    for (const auto& e : t.equivalents) row({key, "equivalent", e.lang, e.text, "", "", "", "", "", "", ""});
    if (!t.note.empty()) row({key, "note", "", t.note, "", "", "", "", "", "", ""});
    for (const auto& d : t.definitions)
      row({key, "definition", d.lang, d.text, d.source, d.state, d.organisation, d.agreed_on, d.agreed_in, d.reference,
           d.contribution ? std::to_string(*d.contribution) : ""});
  }
  return out;
}

std::vector<Term> from_csv(std::string_view text) {
  if (text.size() > kMaxImportBytes) refuse("is larger than " + std::to_string(kMaxImportBytes) + " bytes");
  CsvLimits limits;
  limits.max_bytes = kMaxImportBytes;
  limits.max_records = 50000;
  CsvTable table;
  try {
    table = parse_csv(text, 0, limits);
  } catch (const Problem& p) {
    // The reader names its own field ("csv"); here the file is the field.
    refuse(p.errors().empty() ? p.detail() : p.errors().front().reason);
  }
  if (table.records.empty()) refuse("is empty");
  std::map<std::string, std::size_t> col;
  for (std::size_t i = 0; i < table.records[0].size(); ++i) col[to_lower(trim(table.records[0][i]))] = i;
  for (const char* needed : {"concept", "type", "lang", "text"})
    if (!col.count(needed)) refuse(std::string("has no \"") + needed + "\" column (the columns: concept, type, lang, text, source, state, organisation, agreed_on, agreed_in, reference)");
  std::vector<Term> out;
  std::map<std::string, std::size_t> concept_at;
  for (std::size_t r = 1; r < table.records.size(); ++r) {
    const auto& rec = table.records[r];
    auto cell = [&](const char* name) {
      const auto it = col.find(name);
      return it == col.end() || it->second >= rec.size() ? std::string() : trim(rec[it->second]);
    };
    const std::string where = "row " + std::to_string(table.row_numbers[r]);
    const auto key = cell("concept");
    if (key.empty()) refuse(where + ": concept is blank");
    auto [it, added] = concept_at.emplace(key, out.size());
    if (added) out.emplace_back();
    Term& t = out[it->second];
    const auto type = cell("type");
    const auto lang = cell("lang");
    const auto value = cell("text");
    if (type != "note" && !is_language_tag(lang)) refuse(where + ": lang is a language tag, like en or ru");
    if (value.empty()) refuse(where + ": text is blank");
    if (type == "term") {
      if (!t.term.empty()) refuse(where + ": concept " + key + " has a second term row");
      if (value.size() > 300) refuse(where + ": a term is at most 300 bytes");
      t.term = value;
      t.lang = lang;
    } else if (type == "equivalent") {
      if (value.size() > 300) refuse(where + ": a term is at most 300 bytes");
      t.equivalents.push_back({lang, value});
    } else if (type == "note") {
      t.note = value.substr(0, 2000);
    } else if (type == "definition") {
      Definition d;
      d.lang = lang;
      d.text = value;
      d.source = cell("source");
      d.state = to_upper(cell("state"));
      d.organisation = cell("organisation");
      d.agreed_on = cell("agreed_on");
      d.agreed_in = cell("agreed_in");
      d.reference = cell("reference");
      auto errors = check_definition(d);
      if (!errors.empty()) refuse(where + ": " + errors.front().field + " " + errors.front().reason);
      t.definitions.push_back(std::move(d));
    } else {
      refuse(where + ": type is term, equivalent, note or definition");
    }
  }
  for (const auto& [key, at] : concept_at)
    if (out[at].term.empty()) refuse("concept " + key + " has no term row");
  return out;
}

}  // namespace parley::glossary
