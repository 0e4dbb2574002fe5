// Demo measures and implementation reports (app/demo_data.h): the CICA's measure
// "Security of and in the use of ICTs" (../shared/seeds/000: Russia coordinating, China
// co-coordinating, 2024-2025) and the strands of its plan, and the eleven items of the
// ARF's ICT work plan (seeds/004). The reports are invented for the demo.
#include <map>
#include <string>
#include <vector>

#include "app/demo_data.h"
#include "common/text.h"

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

void load_demo_workplan(storage::Database& db, workplan::MeasureService& measures,
                        const std::map<std::string, std::int64_t>& contributions) {
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
}

}  // namespace parley::app
