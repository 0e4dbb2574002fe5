// Demo contributions to the library and a demo glossary (app/demo_data.h). The texts are
// short ones written for the demo, in English, Russian and Chinese; they summarise the
// kinds of national documents states share, and quote none.
#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/demo_data.h"
#include "common/text.h"
#include "common/time.h"
#include "directory/membership.h"
#include "hotline/hotline_store.h"
#include "library/library_store.h"
#include "storage/journal.h"

namespace parley::app {

auth::Principal demo_account(storage::Database& db, const std::string& username) {
  return db.read([&](storage::Connection& c) {
    const auto p = hotline::HotlineStore::person(c, username);
    if (!p) throw std::runtime_error("demo account missing: " + username);
    auth::Principal who;
    who.user_id = p->user_id;
    who.username = p->username;
    who.display_name = p->display_name;
    who.role = auth::parse_role(p->role).value_or(auth::Role::kObserver);
    who.state = p->state;
    who.forum = p->forum;
    return who;
  });
}

namespace {

auth::Principal principal(storage::Database& db, const std::string& username) { return demo_account(db, username); }

struct DemoFile {
  const char* lang;
  const char* translation;
  const char* filename;
  const char* text;
};

struct DemoContribution {
  const char* state;
  const char* forum;
  const char* kind;
  const char* title;
  const char* summary;
  const char* issuing_body;
  const char* adopted_on;
  const char* visibility;
  std::vector<std::string> states;
  const char* tlp;
  std::vector<std::string> tags;
  std::vector<DemoFile> files;
  bool publish;
};

const std::vector<DemoContribution>& demo_contributions() {
  static const std::vector<DemoContribution> all = {
      {"KAZ", "CICA", "law", "Law on Informatization (demo extract)",
       "Defines the objects of information and communication infrastructure of critical importance and the duties of "
       "their owners to report incidents.",
       "Parliament of the Republic of Kazakhstan", "2015-11-24", "public", {}, "TLP:CLEAR", {"norm-13f", "cbm-3"},
       {{"ru", "original", "informatization-ru.txt",
         "Статья 1. Основные понятия (демонстрационный текст)\n"
         "Критически важные объекты информационно-коммуникационной инфраструктуры — объекты, нарушение работы которых "
         "угрожает обороне, безопасности и жизнедеятельности населения.\n"
         "Статья 2. Владельцы таких объектов сообщают об инцидентах информационной безопасности в национальный "
         "координационный центр не позднее двадцати четырёх часов.\n"},
        {"en", "unofficial", "informatization-en.txt",
         "Article 1. Definitions (demo text)\n"
         "Objects of information and communication infrastructure of critical importance are those whose disruption "
         "threatens defence, security and the life of the population.\n"
         "Article 2. Their owners report information security incidents to the national coordination centre within "
         "twenty-four hours.\n"}},
       true},
      {"CHN", "CICA", "law", "Cybersecurity Law (demo summary)",
       "A summary of the national legal framework for network security and critical information infrastructure.",
       "National People's Congress", "2016-11-07", "forum", {}, "TLP:GREEN", {"norm-13f", "norm-13g"},
       {{"zh", "original", "law-zh.txt",
         "演示文本：国家网络安全法律框架概述。\n"
         "关键信息基础设施的运营者应当履行安全保护义务，制定网络安全事件应急预案，并定期开展演练。\n"
         "发生网络安全事件时，运营者应当立即启动应急预案，并按照规定向有关主管部门报告。\n"},
        {"en", "unofficial", "law-en.txt",
         "Demo text: an overview of the national legal framework for network security.\n"
         "Operators of critical information infrastructure fulfil security protection duties, keep an incident "
         "response plan and exercise it regularly.\n"
         "When a network security incident occurs, the operator starts the plan at once and reports to the competent "
         "authority.\n"}},
       true},
      {"RUS", "CICA", "views", "National views on threats in the use of ICTs (demo)",
       "Views submitted for the CICA's exchange of national views on threats to and in the use of ICTs.",
       "Ministry of Foreign Affairs", "2024-03-15", "forum", {}, "TLP:GREEN", {"norm-13a", "cbm-1"},
       {{"ru", "original", "views-ru.txt",
         "Демонстрационный текст. Национальные взгляды на угрозы в сфере использования ИКТ.\n"
         "Наибольшую угрозу представляют компьютерные атаки на объекты критической информационной инфраструктуры и "
         "использование ИКТ в целях, несовместимых с поддержанием международного мира.\n"
         "Меры доверия, включая обмен контактами и уведомления об инцидентах, снижают риск неверного толкования.\n"}},
       true},
      {"UZB", "CICA", "strategy", "Cybersecurity Strategy 2023–2026 (demo)",
       "Priorities for the protection of critical infrastructure, incident response and international cooperation.",
       "Cabinet of Ministers", "2023-02-01", "public", {}, "TLP:CLEAR", {"cbm-4"},
       {{"en", "official", "strategy-en.txt",
         "Demo text. The strategy sets three priorities: protecting critical infrastructure, building a national "
         "incident response capacity, and cooperating with partners through points of contact and exercises.\n"},
        {"ru", "original", "strategy-ru.txt",
         "Демонстрационный текст. Стратегия определяет три приоритета: защита критической инфраструктуры, развитие "
         "национального потенциала реагирования на инциденты и сотрудничество с партнёрами через контактные пункты "
         "и учения.\n"}},
       true},
      {"IND", "CICA", "national_report", "National report on the implementation of CICA ICT CBMs, 2024 (demo)",
       "How the national points of contact, the hotline and the exchange of national policies were used in 2024.",
       "Ministry of External Affairs", "2025-01-20", "forum", {}, "TLP:GREEN", {"cbm-1", "cbm-2"},
       {{"en", "original", "report-en.txt",
         "Demo text. In 2024 the national point of contact answered every communication check within the agreed "
         "time, took part in one tabletop exercise and shared two national policies through the library.\n"}},
       true},
      {"KAZ", "CICA", "best_practice", "Incident reporting procedure for operators (demo)",
       "A step-by-step procedure for reporting incidents to the national coordination centre.",
       "Ministry of Digital Development", "2022-06-01", "states", {"UZB", "KGZ"}, "TLP:AMBER", {"norm-13j"},
       {{"en", "original", "procedure-en.txt",
         "Demo text. Step 1: classify the incident. Step 2: notify the national coordination centre by the hotline. "
         "Step 3: preserve evidence. Step 4: send the final report within thirty days.\n"}},
       true},
      {"THA", "ARF", "policy", "National Cybersecurity Policy and Plan (demo)",
       "Policy objectives for the protection of critical information infrastructure and regional cooperation.",
       "National Cyber Security Committee", "2022-09-30", "public", {}, "TLP:CLEAR", {"norm-13c"},
       {{"en", "original", "policy-en.txt",
         "Demo text. The policy protects critical information infrastructure, raises awareness, and supports the "
         "ASEAN Regional Forum's confidence-building measures on the security of and in the use of ICTs.\n"}},
       true},
      {"MNG", "CICA", "law", "Draft law on cyber security (demo)",
       "A draft submitted for the exchange of national legislation, awaiting the secretariat's review.",
       "State Great Khural", "", "forum", {}, "TLP:GREEN", {},
       {{"en", "unofficial", "draft-en.txt",
         "Demo text. The draft law defines cyber security incidents, the duties of public bodies and the national "
         "computer emergency response team.\n"}},
       false},
  };
  return all;
}

}  // namespace

std::map<std::string, std::int64_t> load_demo_library(storage::Database& db, library::LibraryService& library,
                                                      glossary::GlossaryService& glossary) {
  std::map<std::string, std::int64_t> first_of;   // "KAZ/law" → the state's first contribution of the kind
  const auto secretariat_cica = principal(db, "secretariat.cica");
  const auto secretariat_arf = principal(db, "secretariat.arf");
  std::int64_t kaz_law = 0;
  for (const auto& d : demo_contributions()) {
    const auto focal = principal(db, std::string("focal.") + to_lower(d.state));
    library::ContributionInput in;
    in.forum = d.forum;
    in.kind = d.kind;
    in.title = d.title;
    in.summary = d.summary;
    in.issuing_body = d.issuing_body;
    if (*d.adopted_on) in.adopted_on = d.adopted_on;
    in.visibility = d.visibility;
    in.states = d.states;
    in.tlp = static_cast<int>(std::find(library::kTlpLabels.begin(), library::kTlpLabels.end(), d.tlp) - library::kTlpLabels.begin());
    in.tags = d.tags;
    const auto id = library.submit(focal, in)["id"].get<std::int64_t>();
    if (std::string(d.state) == "KAZ" && std::string(d.kind) == "law") kaz_law = id;
    first_of.emplace(std::string(d.state) + "/" + d.kind, id);
    for (const auto& f : d.files) {
      const auto added = library.add_version(focal, id, f.lang, f.translation, f.filename, f.text);
      // The demo's texts are its own plain text: recorded as read at once (as the
      // background reader would record them), so that the demo is searchable from the
      // start and nothing is journaled behind the first user's back.
      for (const auto& v : added["versions"])
        if (v["lang"] == f.lang)
          db.write([&](storage::Connection& c) {
            const auto sha = v["sha256"].get<std::string>();
            const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch()).count();
            library::LibraryStore::finish_extraction(c, sha, "text", {f.text}, "", "", now);
            storage::Journal::append(c, "system", "library.file.read", "file:" + sha, {{"flag", ""}, {"pages", 1}});
          });
    }
    if (d.publish) library.publish(std::string(d.forum) == "CICA" ? secretariat_cica : secretariat_arf, id);
  }

  // Every member state's shelf: its strategy (public) and its national views
  // (to its forum), metadata only, written in one transaction as the service would.
  db.write([&](storage::Connection& c) {
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    std::vector<std::pair<std::string, std::string>> members;   // state, its forum
    for (const auto& s : directory::membership::member_states(c, "CICA")) members.emplace_back(s, "CICA");
    for (const auto& s : directory::membership::member_states(c, "ARF"))
      if (std::none_of(members.begin(), members.end(), [&](const auto& m) { return m.first == s; })) members.emplace_back(s, "ARF");
    int n = 0;
    for (const auto& [state, forum] : members) {
      if (state == "EUU") continue;   // the European Union: not a state
      const auto name = directory::membership::state_name(c, state).value_or(state);
      for (int k = 0; k < 2; ++k, ++n) {
        library::ContributionRow r;
        r.state = state;
        r.forum = forum;
        r.kind = k == 0 ? "strategy" : "views";
        r.title = k == 0 ? name + ": national cybersecurity strategy (demo)" : name + ": national views on threats in the use of ICTs (demo)";
        r.summary = k == 0 ? "Demo record: the strategy's priorities for critical infrastructure protection, incident response and "
                             "international cooperation."
                           : "Demo record: views shared for the forum's exchange of national views on ICT threats.";
        r.issuing_body = k == 0 ? "Government of " + name : "Ministry of Foreign Affairs of " + name;
        r.adopted_on = std::to_string(2016 + n % 9) + "-0" + std::to_string(1 + n % 9) + "-15";
        r.submitted_on = rfc3339_from_ms(now).substr(0, 10);
        r.status = "in_force";
        r.visibility = k == 0 ? "public" : "forum";
        r.tlp = k == 0 ? 0 : 1;
        r.workflow = "submitted";
        r.created_at = now;
        const auto id = library::LibraryStore::insert_contribution(c, r);
        first_of.emplace(state + "/" + r.kind, id);
        library::LibraryStore::set_tags(c, id, {k == 0 ? "cbm-4" : "cbm-1"});
        library::LibraryStore::put_own_words(c, id, r);
        library::LibraryStore::set_workflow(c, id, "published", "", now);
        storage::Journal::append(c, "system", "library.contribution.submit", "contribution:" + std::to_string(id),
                                 {{"state", state}, {"forum", forum}, {"kind", r.kind}, {"title", r.title},
                                  {"visibility", r.visibility}, {"states", nlohmann::json::array()},
                                  {"tlp", library::kTlpLabels.at(static_cast<std::size_t>(r.tlp))}});
        storage::Journal::append(c, "system", "library.contribution.publish", "contribution:" + std::to_string(id),
                                 nlohmann::json::object());
      }
    }
  });

  // The CICA's glossary: a term, its equivalents, and three states' differing definitions.
  auto term = [&](const std::string& en, std::vector<glossary::Equivalent> eq) {
    glossary::TermInput t;
    t.forum = "CICA";
    t.term = en;
    t.lang = "en";
    t.equivalents = std::move(eq);
    return glossary.create(secretariat_cica, t)["id"].get<std::int64_t>();
  };
  auto define = [&](std::int64_t id, const std::string& as, glossary::Definition d) {
    glossary.add_definition(principal(db, as), id, d);
  };
  auto state_def = [](const char* state, const char* lang, const char* text, std::optional<std::int64_t> contribution = {}) {
    glossary::Definition d;
    d.source = "state";
    d.state = state;
    d.lang = lang;
    d.text = text;
    d.contribution = contribution;
    return d;
  };
  const auto cii = term("critical information infrastructure",
                        {{"ru", "критическая информационная инфраструктура"}, {"zh", "关键信息基础设施"}});
  define(cii, "focal.kaz", state_def("KAZ", "en",
                                     "Objects of information and communication infrastructure whose disruption threatens "
                                     "defence, security and the life of the population.",
                                     kaz_law));
  define(cii, "focal.rus", state_def("RUS", "en",
                                     "Information systems and networks of state bodies and of strategic enterprises whose "
                                     "disruption threatens the security of the state."));
  define(cii, "focal.chn", state_def("CHN", "en",
                                     "Networks and systems whose disruption or data leakage may seriously endanger national "
                                     "security, the economy and the public interest."));
  define(cii, "focal.chn", state_def("CHN", "zh", "一旦遭到破坏、丧失功能或者数据泄露，可能严重危害国家安全、国计民生、公共利益的网络设施和信息系统。"));
  glossary::Definition iso;
  iso.source = "organisation";
  iso.organisation = "UN GGE report A/70/174 (2015)";
  iso.lang = "en";
  iso.text = "Infrastructure that provides services to the public, whose protection each state determines for itself.";
  define(cii, "secretariat.cica", iso);

  const auto incident = term("ICT incident", {{"ru", "инцидент в сфере ИКТ"}, {"zh", "信息通信技术事件"}});
  define(incident, "focal.kaz", state_def("KAZ", "ru", "Событие, нарушающее работу объекта информатизации или безопасность обрабатываемой информации."));
  define(incident, "focal.uzb", state_def("UZB", "ru", "Событие, которое нарушает или может нарушить работу информационной системы и безопасность информации."));
  glossary::Definition agreed;
  agreed.source = "forum";
  agreed.agreed_on = "2024-10-03";
  agreed.agreed_in = "CICA Special Working Group on ICT security, 5th meeting (demo)";
  agreed.lang = "en";
  agreed.text = "An event that disrupts, or may disrupt, the operation of an information system or the security of "
                "the information it holds.";
  define(incident, "secretariat.cica", agreed);
  return first_of;
}

}  // namespace parley::app
