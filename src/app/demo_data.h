// Demo data for `parley serve --demo`: the CICA and ARF with their actual members and
// participants (real names and codes), fictional agencies and points of contact, and
// the demo accounts (admin, secretariat.cica, secretariat.arf, focal.<alpha3>,
// poc.<alpha3>), all with password "parley-demo".
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "auth/auth_service.h"
#include "exchange/exchange_service.h"
#include "glossary/glossary_service.h"
#include "library/library_service.h"
#include "hotline/hotline_service.h"
#include "negotiation/negotiation_service.h"
#include "storage/database.h"
#include "workplan/measure_service.h"
#include "workplan/meeting_service.h"
#include "workplan/activity_service.h"

namespace parley::app {

inline constexpr const char* kDemoPassword = "parley-demo";

// Loads everything in one transaction if the directory is empty; returns false (and
// changes nothing) when it already holds data.
bool load_demo_data(storage::Database& db, auth::AuthService& auth);

// A few hotline threads to look at, sent through the service like real ones: an
// answered notification between Uzbekistan and Kazakhstan, and a request from Thailand
// that Kazakhstan has yet to acknowledge. Called right after load_demo_data.
void load_demo_hotline(hotline::HotlineService& hotline);

// Threats and remedies shared in the CICA (forum-wide, TLP:GREEN and AMBER) by
// Kazakhstan: a wiper and its indicators, the attack pattern it uses, a vulnerability
// and the course of action that remedies it. Called right after load_demo_data.
void load_demo_exchange(exchange::ExchangeService& exchange);

// The CICA Leaders' Statement on ICT security as negotiated in 2022 (../shared/seeds/001):
// the draft circulated by note verbale NCT/ICT/1012, then the Member States' proposals
// (Israel's, India's, Thailand's; China's and Russia's positions) made through Parley and
// circulated as Rev.1 by NCT/ICT/1013. Called right after load_demo_hotline.
void load_demo_negotiation(hotline::HotlineService& hotline, negotiation::NegotiationService& negotiation);

// A handful of states' contributions to the library (laws, views, a strategy, a report,
// a restricted best practice, a draft awaiting review), with short texts written for the
// demo in English, Russian and Chinese; every member state's strategy and national
// views (metadata only); and the CICA's glossary with states' differing
// definitions of "critical information infrastructure" and an agreed one of "ICT
// incident". Their texts are read by the background reader once the server runs.
// Returns the demo's contributions by "state/kind" (e.g. "KAZ/law"): each state's first of each kind.
std::map<std::string, std::int64_t> load_demo_library(storage::Database& db, library::LibraryService& library,
                                                      glossary::GlossaryService& glossary);

// A demo account as the principal it signs in as.
auth::Principal demo_account(storage::Database& db, const std::string& username);

// The forums' catalogues of measures (the CICA's measure on ICT security, coordinated by
// Russia with China, and its strands; the items of the ARF's ICT work plan) and a year of
// member states' implementation reports on them, some citing the library's documents.
// Called right after load_demo_library.
// And the forums' bodies (the CICA's Special Working Group, Senior Officials' Committee and
// Ministerial Council; the ARF's ISM on ICTs, SOM and Ministers) with a meeting planned a
// month ahead and one held in the spring, with its delegations and decisions.
// And the forums' rules for activities (the ARF: two co-chairs, one ASEAN member and
// one not, approved by the ISM, the SOM and the Ministers; the CICA: SWG, SOC, Ministerial
// Council), the ARF workshop proposed by the EU and Malaysia (seeds/004) half way through
// its approval, and capacity-building needs and offers in the CICA.
void load_demo_workplan(storage::Database& db, workplan::MeasureService& measures, workplan::MeetingService& meetings,
                        workplan::ActivityService& activities, const std::map<std::string, std::int64_t>& contributions);

}  // namespace parley::app
