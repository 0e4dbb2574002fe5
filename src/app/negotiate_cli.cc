#include "app/negotiate_cli.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "negotiation/akn.h"
#include "negotiation/notation.h"
#include "negotiation/states.h"

namespace parley::app {

using namespace negotiation;

namespace {

std::string read_all(const std::string& file) {
  if (file == "-") return std::string(std::istreambuf_iterator<char>(std::cin), {});
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

nlohmann::json findings_json(const std::vector<Finding>& fs) {
  auto out = nlohmann::json::array();
  for (const auto& f : fs) out.push_back({{"line", f.line}, {"column", f.column}, {"message", f.message}});
  return out;
}

void print_findings(const std::string& file, const char* kind, const std::vector<Finding>& fs) {
  for (const auto& f : fs) std::cerr << file << ":" << f.line << ":" << f.column << ": " << kind << ": " << f.message << "\n";
}

nlohmann::json report_json(const ParseResult& r) {
  const auto ps = proposals(r.text);
  const auto counts = count_brackets(r.text);
  const auto labels = paragraph_labels(r.text);
  auto list = nlohmann::json::array();
  for (const auto& p : ps) {
    nlohmann::json j = {{"kind", p.kind},
                        {"state", p.state},
                        {"supporters", p.supporters},
                        {"opposers", p.opposers},
                        {"paragraph", labels[p.paragraph].empty() ? fmt::format("PP{}", p.paragraph + 1)
                                                                  : labels[p.paragraph]},
                        {"text", p.text}};
    if (p.kind == "replace") j["replacement"] = p.replacement;
    list.push_back(std::move(j));
  }
  nlohmann::json by_state = nlohmann::json::object();
  for (const auto& [state, n] : counts.per_state) by_state[state] = n;
  return {{"ok", r.ok()},
          {"errors", findings_json(r.errors)},
          {"ambiguities", findings_json(r.ambiguities)},
          {"notices", findings_json(r.notices)},
          {"paragraphs", r.text.paragraphs.size()},
          {"open_brackets", counts.total},
          {"brackets_by_state", by_state},
          {"proposals", list}};
}

}  // namespace

int negotiate(const NegotiateOptions& o) {
  const auto source = read_all(o.file);
  const auto r = parse_compilation(source, [](std::string_view c) { return is_iso3166_alpha3(c); });
  const std::string name = o.file == "-" ? "<stdin>" : o.file;
  if (o.command == "check") {
    const auto report = report_json(r);
    if (o.format == "json") {
      std::cout << report.dump(2) << "\n";
    } else {
      print_findings(name, "error", r.errors);
      print_findings(name, "ambiguity", r.ambiguities);
      print_findings(name, "notice", r.notices);
      if (r.ok()) {
        std::cout << report["paragraphs"] << " paragraphs, " << report["open_brackets"] << " open brackets\n";
        for (const auto& p : report["proposals"]) {
          std::cout << (p["paragraph"].get<std::string>()) << "\t" << p["kind"].get<std::string>() << "\t"
                    << p["state"].get<std::string>();
          for (const auto& s : p["supporters"]) std::cout << " +" << s.get<std::string>();
          for (const auto& s : p["opposers"]) std::cout << " -" << s.get<std::string>();
          std::cout << "\n";
        }
        std::cout << "brackets by state:";
        for (const auto& [state, n] : report["brackets_by_state"].items()) std::cout << " " << state << "=" << n;
        std::cout << "\n";
      }
    }
    if (!r.ok()) return 1;
    return r.ambiguities.empty() ? 0 : 3;
  }
  print_findings(name, "error", r.errors);
  if (!r.ok()) return 1;
  print_findings(name, "ambiguity", r.ambiguities);
  if (o.command == "clean") {
    std::cout << render_clean(r.text);
    return 0;
  }
  if (!o.state.empty()) {
    std::cout << render_state_view(r.text, o.state);
  } else if (o.format == "markdown") {
    std::cout << render_markdown(r.text);
  } else if (o.format == "html") {
    std::cout << render_html(r.text);
  } else if (o.format == "akn") {
    AknDocument d;
    d.text = r.text;
    std::cout << render_akn(d);
  } else if (o.format == "json") {
    std::cout << r.text.to_json().dump(2) << "\n";
  } else {
    std::cout << render_compilation(r.text);
  }
  return 0;
}

}  // namespace parley::app
