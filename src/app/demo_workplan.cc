// Demo measures and implementation reports (app/demo_data.h): the CICA's measure
// "Security of and in the use of ICTs" (../shared/seeds/000: Russia coordinating, China
// co-coordinating, 2024-2025) and the strands of its plan, and the eleven items of the
// ARF's ICT work plan (seeds/004). The reports are invented for the demo.
#include <ctime>
#include <map>
#include <tuple>
#include <string>
#include <vector>

#include "app/demo_data.h"
#include "common/text.h"
#include "common/time.h"

namespace parley::app {

namespace {

struct DemoMeasure {
  const char* forum;
  const char* code;
  const char* title;
  const char* from;
  const char* to;
  std::vector<std::string> coordinators, co_coordinators;
};

struct DemoReport {
  const char* forum;
  const char* code;
  const char* state;
  const char* status;
  const char* as_of;
  const char* note;
  const char* cites = nullptr;   // a kind of the state's documents in the library, as evidence
};

}  // namespace

void load_demo_workplan(storage::Database& db, workplan::MeasureService& measures, workplan::MeetingService& meetings,
                        workplan::ActivityService& activities, const std::map<std::string, std::int64_t>& contributions) {
  const std::vector<DemoMeasure> catalogue = {
      {"CICA", "ICT", "Security of and in the use of ICTs", "2024-01-01", "2025-12-31", {"RUS"}, {"CHN"}},
      {"CICA", "ICT-a", "Strengthening contacts and dialogue on a peaceful ICT environment", "2024-01-01", "2025-12-31", {"RUS"}, {"CHN"}},
      {"CICA", "ICT-d", "Sharing information and best practices on threats stemming from ICTs", "2024-01-01", "2025-12-31", {"KAZ"}, {"UZB"}},
      {"CICA", "ICT-e", "Cooperation against the criminal use of ICTs", "2024-01-01", "2025-12-31", {"CHN"}, {"RUS", "TJK"}},
      {"ARF", "i", "Voluntary sharing of national laws, policies, best practices and strategies", "", "", {}, {}},
      {"ARF", "ii", "Discussion exercises on preventing ICT incidents from becoming regional security problems", "", "", {}, {}},
      {"ARF", "iii", "Surveys of lessons learnt and databases of threats and remedies", "", "", {}, {}},
      {"ARF", "iv", "Capacity building on ICT security and against the criminal use of the internet", "", "", {}, {}},
      {"ARF", "v", "Research and analysis on ICT security", "", "", {}, {}},
      {"ARF", "vi", "Rules, norms and principles of responsible behaviour; cultural diversity", "", "", {}, {}},
      {"ARF", "vii", "Awareness for non-technical personnel and policy makers", "", "", {}, {}},
      {"ARF", "viii", "Cooperation against criminal and terrorist use of ICTs", "", "", {}, {}},
      {"ARF", "ix", "Terminology of ICT security", "", "", {}, {}},
      {"ARF", "x", "Senior policy points of contact", "", "", {}, {}},
      {"ARF", "xi", "Channels for online information sharing on threats", "", "", {}, {}},
  };
  std::map<std::string, std::int64_t> ids;
  for (const auto& forum : {"CICA", "ARF"}) {
    const auto secretariat = demo_account(db, std::string("secretariat.") + to_lower(forum));
    for (const auto& m : catalogue) {
      if (std::string(m.forum) != forum) continue;
      workplan::MeasureInput in;
      in.forum = m.forum;
      in.code = m.code;
      in.title = m.title;
      in.period_from = m.from;
      in.period_to = m.to;
      in.coordinators = m.coordinators;
      in.co_coordinators = m.co_coordinators;
      ids[std::string(forum) + "/" + m.code] = measures.create(secretariat, in)["id"].get<std::int64_t>();
    }
  }
  const std::vector<DemoReport> reports = {
      {"CICA", "ICT", "RUS", "in_progress", "2025-03-01", "Coordinator's concept paper circulated; first workshop planned."},
      {"CICA", "ICT", "RUS", "implemented", "2025-11-20", "Both workshops of the plan held (Moscow, online)."},
      {"CICA", "ICT", "CHN", "implemented", "2025-11-20", "Co-hosted the workshop on awareness raising."},
      {"CICA", "ICT", "KAZ", "in_progress", "2025-06-15", "National point of contact designated; law shared in the library.", "law"},
      {"CICA", "ICT", "UZB", "not_started", "2025-02-01", ""},
      {"CICA", "ICT", "UZB", "in_progress", "2026-02-01", "Interagency working group set up."},
      {"CICA", "ICT-a", "KAZ", "implemented", "2025-09-01", "Took part in every dialogue meeting of the period."},
      {"CICA", "ICT-a", "THA", "in_progress", "2025-09-01", ""},
      {"CICA", "ICT-d", "KAZ", "implemented", "2026-03-10", "Incident reporting procedure shared with member states.", "best_practice"},
      {"CICA", "ICT-d", "MNG", "not_applicable", "2025-12-01", "Draft law still before parliament; nothing to share yet."},
      {"CICA", "ICT-e", "CHN", "in_progress", "2025-10-01", ""},
      {"ARF", "i", "SGP", "implemented", "2025-05-01", "National cybersecurity strategy shared."},
      {"ARF", "i", "MYS", "in_progress", "2025-05-01", ""},
      {"ARF", "x", "AUS", "implemented", "2025-08-01", "Senior policy point of contact designated."},
      {"ARF", "x", "IDN", "in_progress", "2025-08-01", ""},
      {"ARF", "ix", "JPN", "not_started", "2025-08-01", ""},
  };
  for (const auto& r : reports) {
    const auto focal = demo_account(db, std::string("focal.") + to_lower(r.state));
    workplan::ReportInput in;
    in.status = r.status;
    in.as_of = r.as_of;
    in.note = r.note;
    if (r.cites) in.evidence.push_back({"contribution", contributions.at(std::string(r.state) + "/" + r.cites)});
    measures.report(focal, ids.at(std::string(r.forum) + "/" + r.code), in);
  }

  struct DemoBody {
    const char* forum;
    const char* code;
    const char* name;
    std::vector<std::string> chairs;
  };
  const std::vector<DemoBody> bodies = {
      {"CICA", "SWG", "Special Working Group", {"AZE"}},
      {"CICA", "SOC", "Senior Officials' Committee", {"AZE"}},
      {"CICA", "MC", "Ministerial Council", {"AZE"}},
      {"ARF", "ISM-ICT", "ARF Inter-Sessional Meeting on Security of and in the Use of ICTs", {"MYS", "AUS"}},
      {"ARF", "SOM", "ARF Senior Officials' Meeting", {"LAO"}},
      {"ARF", "MM", "ARF Ministerial Meeting", {"LAO"}},
  };
  std::map<std::string, std::int64_t> body_ids;
  for (const auto& b : bodies) {
    workplan::BodyInput in;
    in.forum = b.forum;
    in.code = b.code;
    in.name = b.name;
    in.chairs = b.chairs;
    body_ids[std::string(b.forum) + "/" + b.code] =
        meetings.create_body(demo_account(db, std::string("secretariat.") + to_lower(b.forum)), in)["id"].get<std::int64_t>();
  }

  // The SWG meets in Astana a month from the demo's start (dates relative to it, so that
  // the meeting stays ahead); the ARF's ISM met in Kuala Lumpur in the spring.
  const auto cica = demo_account(db, "secretariat.cica");
  const auto day = [](int days_ahead) {
    return rfc3339_from_ms(static_cast<std::int64_t>(std::time(nullptr)) * 1000 + days_ahead * 86400000LL).substr(0, 10);
  };
  workplan::MeetingInput swg;
  swg.body_id = body_ids.at("CICA/SWG");
  swg.title = "Seventh meeting";
  swg.starts_on = day(30);
  swg.ends_on = day(31);
  swg.start_time = "10:00";
  swg.place = "Astana";
  swg.online_url = "https://meet.example.org/cica-swg-7";
  swg.registration_deadline = day(20);
  swg.agenda = std::vector<workplan::AgendaItem>{
      {0, "Opening of the meeting and adoption of the agenda", {}},
      {0, "Implementation of the measure \"Security of and in the use of ICTs\"", {"measure", ids.at("CICA/ICT")}},
      {0, "Draft Leaders' Statement on ICT security", {}},
      {0, "Any other business", {}},
  };
  const auto planned = meetings.create(cica, swg)["id"].get<std::int64_t>();
  meetings.set_delegation(demo_account(db, "focal.kaz"), planned, "KAZ",
                          {{0, "KAZ", "Aigerim Alden", "Director, Department of Information Security", true, {}, 0},
                           {0, "KAZ", "Daniyar Borsa", "Expert, National CERT", false, {}, 0}});

  const auto arf = demo_account(db, "secretariat.arf");
  workplan::MeetingInput ism;
  ism.body_id = body_ids.at("ARF/ISM-ICT");
  ism.title = "Sixth meeting";
  ism.starts_on = "2026-04-14";
  ism.ends_on = "2026-04-15";
  ism.time_zone = "Asia/Kuala_Lumpur";
  ism.place = "Kuala Lumpur";
  ism.agenda = std::vector<workplan::AgendaItem>{{0, "Review of the work plan's implementation", {"measure", ids.at("ARF/x")}},
                                                 {0, "Proposals for activities", {}}};
  const auto held = meetings.create(arf, ism);
  const auto held_id = held["id"].get<std::int64_t>();
  for (const auto& [state, name, function] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"MYS", "Farid Castell", "Co-chair"}, {"AUS", "Lena Dunmore", "Co-chair"}, {"SGP", "Mei Eskin", "Head of delegation"}})
    meetings.set_delegation(arf, held_id, state, {{0, state, name, function, true, {}, 0}});
  workplan::Decision took_note;
  took_note.agenda_item = held["agenda"][0]["id"].get<std::int64_t>();
  took_note.wording = "The Meeting took note of the progress in establishing senior policy points of contact.";
  took_note.acts_on = {"measure", ids.at("ARF/x")};
  meetings.record_decision(arf, held_id, took_note);
  meetings.held(arf, held_id, std::nullopt);

  // The forums' rules for activities.
  workplan::RulesInput arf_rules;
  arf_rules.min_co_leads = 2;
  arf_rules.co_lead_group = "ASEAN";
  arf_rules.approval_path = std::vector<std::string>{"ISM-ICT", "SOM", "MM"};
  activities.set_rules(arf, "ARF", arf_rules);
  workplan::RulesInput cica_rules;
  cica_rules.approval_path = std::vector<std::string>{"SWG", "SOC", "MC"};
  activities.set_rules(cica, "CICA", cica_rules);

  // The EU and Malaysia's workshop (seeds/004, "Proposed Projects" 1), approved by the ISM
  // at its sixth meeting, now before the SOM.
  // The demo has no concept paper of its own: Malaysia's (public) strategy stands in for it.
  const auto sgp_strategy = contributions.find("MYS/strategy");
  workplan::ActivityInput ws;
  ws.forum = "ARF";
  ws.kind = "workshop";
  ws.title = "ARF Workshop on Operationalising Confidence-Building Measures for Cooperation During Cyber Incident Response";
  ws.objectives = "Share practice in operationalising the ARF's confidence-building measures during cyber incident response.";
  ws.venue = "Kuala Lumpur";
  ws.expected_participants = "Two experts per ARF participant: policy and CERT.";
  ws.budget_note = "Co-funded by the co-chairs.";
  ws.co_leads = std::vector<std::string>{"EUU", "MYS"};
  ws.measure_id = ids.at("ARF/xi");   // channels for sharing information on threats: the work plan's item it serves
  if (sgp_strategy != contributions.end()) ws.concept_paper = sgp_strategy->second;
  const auto eu = demo_account(db, "focal.euu");
  const auto workshop = activities.propose(eu, ws)["id"].get<std::int64_t>();
  if (ws.concept_paper) {
    activities.submit(eu, workshop);
    workplan::StageDecisionInput approved;
    approved.meeting_id = held_id;
    approved.outcome = "approved";
    activities.decide(arf, workshop, approved);
  }

  // Capacity building in the CICA: a need, and an offer that would meet it.
  workplan::CapacityInput need;
  need.forum = "CICA";
  need.kind = "need";
  need.title = "Incident-handling training in Russian";
  need.description = "Two weeks for the national CERT's analysts: triage, forensics basics, coordination.";
  need.language = "ru";
  activities.post_capacity(demo_account(db, "focal.kgz"), need);
  workplan::CapacityInput offer;
  offer.forum = "CICA";
  offer.kind = "offer";
  offer.title = "CSIRT maturity review and incident-handling courses";
  offer.description = "A review against the SIM3 model, and courses in Russian or English.";
  offer.language = "ru";
  activities.post_capacity(demo_account(db, "focal.rus"), offer);
}

}  // namespace parley::app
