#include "app/demo_data.h"

#include <fmt/format.h>

#include <map>
#include <string>
#include <vector>

#include "common/text.h"
#include "crypto/hash.h"
#include "crypto/password.h"
#include "directory/directory_store.h"
#include "directory/forum_store.h"
#include "storage/journal.h"

namespace parley::app {

namespace {

// Names come from ISO 3166-1 (directory migration 110), not from this list; the one
// participant that is not a state (the European Union) is added with its names below.
struct DemoState {
  const char* alpha3;
  const char* kind;
  const char* tz;
  std::vector<std::string> languages;
};

// Membership as published by the two forums: CICA's 28 member states; the ARF's 27
// participants, of which the European Union is not a state (it has no ISO 3166-1 code;
// EUU is the code international statistics use for it).
const std::vector<DemoState>& demo_states() {
  static const std::vector<DemoState> s = {
      {"AFG", "state", "Asia/Kabul", {"ps", "fa", "en"}},
      {"AZE", "state", "Asia/Baku", {"az", "en", "ru"}},
      {"BHR", "state", "Asia/Bahrain", {"ar", "en"}},
      {"BGD", "state", "Asia/Dhaka", {"bn", "en"}},
      {"KHM", "state", "Asia/Phnom_Penh", {"km", "en", "fr"}},
      {"CHN", "state", "Asia/Shanghai", {"zh", "en"}},
      {"EGY", "state", "Africa/Cairo", {"ar", "en", "fr"}},
      {"IND", "state", "Asia/Kolkata", {"hi", "en"}},
      {"IRN", "state", "Asia/Tehran", {"fa", "en"}},
      {"IRQ", "state", "Asia/Baghdad", {"ar", "en"}},
      {"ISR", "state", "Asia/Jerusalem", {"he", "en"}},
      {"JOR", "state", "Asia/Amman", {"ar", "en"}},
      {"KAZ", "state", "Asia/Almaty", {"kk", "ru", "en"}},
      {"KWT", "state", "Asia/Kuwait", {"ar", "en"}},
      {"KGZ", "state", "Asia/Bishkek", {"ky", "ru", "en"}},
      {"MNG", "state", "Asia/Ulaanbaatar", {"mn", "en", "ru"}},
      {"PAK", "state", "Asia/Karachi", {"ur", "en"}},
      {"PSE", "state", "Asia/Hebron", {"ar", "en"}},
      {"QAT", "state", "Asia/Qatar", {"ar", "en"}},
      {"KOR", "state", "Asia/Seoul", {"ko", "en"}},
      {"RUS", "state", "Europe/Moscow", {"ru", "en"}},
      {"LKA", "state", "Asia/Colombo", {"si", "ta", "en"}},
      {"TJK", "state", "Asia/Dushanbe", {"tg", "ru", "en"}},
      {"THA", "state", "Asia/Bangkok", {"th", "en"}},
      {"TUR", "state", "Europe/Istanbul", {"tr", "en"}},
      {"ARE", "state", "Asia/Dubai", {"ar", "en"}},
      {"UZB", "state", "Asia/Tashkent", {"uz", "ru", "en"}},
      {"VNM", "state", "Asia/Ho_Chi_Minh", {"vi", "en"}},
      {"BRN", "state", "Asia/Brunei", {"ms", "en"}},
      {"IDN", "state", "Asia/Jakarta", {"id", "en"}},
      {"LAO", "state", "Asia/Vientiane", {"lo", "en", "fr"}},
      {"MYS", "state", "Asia/Kuala_Lumpur", {"ms", "en"}},
      {"MMR", "state", "Asia/Yangon", {"my", "en"}},
      {"PHL", "state", "Asia/Manila", {"fil", "en"}},
      {"SGP", "state", "Asia/Singapore", {"en", "zh", "ms", "ta"}},
      {"AUS", "state", "Australia/Sydney", {"en"}},
      {"CAN", "state", "America/Toronto", {"en", "fr"}},
      {"EUU", "organization", "Europe/Brussels", {"en", "fr", "de"}},
      {"JPN", "state", "Asia/Tokyo", {"ja", "en"}},
      {"PRK", "state", "Asia/Pyongyang", {"ko"}},
      {"NZL", "state", "Pacific/Auckland", {"en", "mi"}},
      {"PNG", "state", "Pacific/Port_Moresby", {"en", "tpi"}},
      {"TLS", "state", "Asia/Dili", {"pt", "tet", "en"}},
      {"USA", "state", "America/New_York", {"en"}},
  };
  return s;
}

const std::vector<std::string> kCica = {"AFG", "AZE", "BHR", "BGD", "KHM", "CHN", "EGY", "IND", "IRN", "IRQ",
                                        "ISR", "JOR", "KAZ", "KWT", "KGZ", "MNG", "PAK", "PSE", "QAT", "KOR",
                                        "RUS", "LKA", "TJK", "THA", "TUR", "ARE", "UZB", "VNM"};
const std::vector<std::string> kArf = {"AUS", "BGD", "BRN", "KHM", "CAN", "CHN", "EUU", "IND", "IDN",
                                       "JPN", "PRK", "KOR", "LAO", "MYS", "MNG", "MMR", "NZL", "PAK",
                                       "PNG", "PHL", "RUS", "SGP", "LKA", "THA", "TLS", "USA", "VNM"};

// Fictional people: given names and surnames combined by index.
const std::vector<std::string> kGiven = {"Aigerim", "Daniyar", "Mei",   "Arjun", "Layla", "Omar",  "Sofia",
                                         "Tomas",   "Nadia",   "Kenji", "Ana",   "Farid", "Lena",  "Ravi",
                                         "Yusuf",   "Mina",    "Pavel", "Hana",  "Tariq", "Ines",  "Bao",
                                         "Chloe",   "Dmitri",  "Elif",  "Goran", "Hyun",  "Imran", "Joon"};
const std::vector<std::string> kFamily = {"Alden",  "Borsa", "Castell", "Dunmore", "Eskin",  "Farrow", "Galloway",
                                          "Hale",   "Iver",  "Jarrow",  "Kestrel", "Lorne",  "Marsh",  "Norwood",
                                          "Orrin",  "Pell",  "Quill",   "Rowan",   "Sorrel", "Thorne", "Umber",
                                          "Vance",  "Wren",  "Yarrow",  "Zeller",  "Brandt", "Corso",  "Delmar"};

std::string person(std::size_t i) { return kGiven[i % kGiven.size()] + " " + kFamily[(i * 7 + 3) % kFamily.size()]; }

}  // namespace

bool load_demo_data(storage::Database& db, auth::AuthService& auth) {
  using directory::DirectoryStore;
  // One argon2id hash serves every demo account: they share the published demo
  // password, and hashing ~90 times would delay the first start by seconds.
  const std::string hash = crypto::hash_password(kDemoPassword);
  return db.write([&](storage::Connection& c) {
    if (!c.query("SELECT 1 AS x FROM forums LIMIT 1").empty()) return false;
    const std::string actor = "system:demo";
    // The European Union participates in the ARF: not a state, a code of its own (EUU,
    // the one international statistics use) and its names per language.
    if (!directory::ForumStore::state_row(c, "EUU")) {
      directory::ForumStore::insert_state(c, "EUU", "European Union", "organization");
      for (const auto& [lang, name] : std::vector<std::pair<std::string, std::string>>{
               {"en", "European Union"}, {"fr", "Union européenne"}, {"de", "Europäische Union"},
               {"ru", "Европейский союз"}, {"es", "Unión Europea"}, {"ar", "الاتحاد الأوروبي"}, {"zh", "欧洲联盟"}})
        directory::ForumStore::set_state_name(c, "EUU", lang, name);
    }
    directory::ForumStore::insert_forum(
        c, "CICA", "Conference on Interaction and Confidence Building Measures in Asia", "CICA",
        {{"en", {{"name", "Conference on Interaction and Confidence Building Measures in Asia"}, {"abbreviation", "CICA"}}},
         {"ru", {{"name", "Совещание по взаимодействию и мерам доверия в Азии"}, {"abbreviation", "СВМДА"}}}},
        {"en", "ru"}, "Asia/Almaty", "https://www.s-cica.org", "CICA Secretariat, Astana");
    directory::ForumStore::insert_forum(
        c, "ARF", "ASEAN Regional Forum", "ARF",
        {{"en", {{"name", "ASEAN Regional Forum"}, {"abbreviation", "ARF"}}},
         {"ru", {{"name", "Региональный форум АСЕАН"}, {"abbreviation", "АРФ"}}}},
        {"en"}, "Asia/Jakarta", "https://aseanregionalforum.asean.org", "ARF Unit, ASEAN Secretariat, Jakarta");
    for (const auto& a3 : kCica) DirectoryStore::add_member(c, "CICA", a3);
    for (const auto& a3 : kArf) DirectoryStore::add_member(c, "ARF", a3);
    // CICA's observers (no access to its content) and the ARF's ASEAN members, the
    // group its rules refer to.
    for (const auto& a3 : {"JPN", "USA"})
      directory::ForumStore::insert_period(c, {0, "CICA", a3, "observer", "2002-06-04", ""});
    directory::ForumStore::put_group(c, "ARF", "ASEAN",
                                     {{"en", "ASEAN Member States"}, {"ru", "Государства — члены АСЕАН"}},
                                     {"BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM"});
    auto name_of = [&](const std::string& a3) {
      return c.query("SELECT name FROM states WHERE alpha3 = ?", {a3}).at(0).text("name");
    };

    auto add_user = [&](const std::string& username, const std::string& name, auth::Role role, const std::string& state,
                        const std::string& forum) {
      auth.add_user_with_hash(c, actor,
                              auth::NewUser{username, name, username + "@demo.parley.example", role, state, forum},
                              hash);
    };
    add_user("admin", "Platform Administrator", auth::Role::kAdmin, "", "");
    add_user("secretariat.cica", "CICA Secretariat", auth::Role::kSecretariat, "", "CICA");
    add_user("secretariat.arf", "ARF Unit", auth::Role::kSecretariat, "", "ARF");

    std::size_t n = 0;
    int contacts = 0;
    for (const auto& s : demo_states()) {
      const std::string a3 = s.alpha3;
      const std::string state_name = name_of(a3);
      const std::string lower = to_lower(a3);
      add_user("focal." + lower, std::string("Focal point, ") + state_name, auth::Role::kFocalPoint, a3, "");
      add_user("poc." + lower, std::string("Point of contact, ") + state_name, auth::Role::kPointOfContact, a3, "");

      const bool org = std::string(s.kind) == "organization";
      directory::Agency mfa{0, a3, org ? "External Action Service (demo)" : "Ministry of Foreign Affairs (demo)",
                            "foreign_ministry", ""};
      mfa.id = DirectoryStore::insert_agency(c, mfa);
      directory::Agency cert{0, a3, org ? "Cybersecurity Service for the Union institutions (demo)"
                                        : std::string("National CSIRT of ") + state_name + " (demo)",
                             "cert", ""};
      cert.id = DirectoryStore::insert_agency(c, cert);

      const std::string domain = lower + ".demo.parley.example";
      for (int k = 0; k < 2; ++k, ++n) {
        directory::Contact p;
        p.state = a3;
        const bool policy = k == 0;
        p.agency_id = policy ? mfa.id : cert.id;
        p.agency_name = policy ? mfa.name : cert.name;
        p.state_name = state_name;
        p.name = person(n);
        p.type = policy ? "policy" : "technical";
        p.position = policy ? "Senior Policy Officer, ICT Security" : "Incident Response Lead";
        p.languages = s.languages;
        if (std::find(p.languages.begin(), p.languages.end(), "en") == p.languages.end()) p.languages.push_back("en");
        p.timezone = s.tz;
        p.availability = policy ? "office_hours" : "24/7";
        if (policy) p.office_hours = "Mon-Fri 09:00-18:00";   // in p.timezone
        const std::string mailbox = policy ? "ict-policy" : "incident";
        p.channels = {{"email", mailbox + "@" + domain, policy ? "primary" : "primary, 24/7"},
                      {"phone", fmt::format("+0 800 {:03} {:04}", n % 1000, 1000 + n * 37 % 9000),
                       policy ? "office hours" : "duty officer, 24/7"}};
        p.key_fingerprint = to_upper(crypto::sha256_hex(p.name + a3).substr(0, 40));   // fictional key
        p.nomination_ref = fmt::format("Note verbale {}/ICT/{:03}/2026", a3, n + 1);
        p.valid_from = "2026-01-01";
        p.valid_until = "2027-12-31";
        p.status = "active";
        p.nominated_by = "focal." + lower;
        p.decided_by = "admin";
        p.decided_at = "2026-01-15T09:00:00Z";
        p.id = DirectoryStore::insert_contact(c, p);
        storage::Journal::append(c, actor, "contact.create", "contact:" + std::to_string(p.id),
                                 {{"state", a3}, {"name", p.name}, {"type", p.type}});
        ++contacts;
        // The directory is the hotline's address book: each state's point-of-contact
        // account is its technical (24/7) contact's; Kazakhstan's policy contact has an
        // account too, so that addressing by kind can be tried in the demo.
        std::string account = policy ? (a3 == "KAZ" ? "policy.kaz" : "") : "poc." + lower;
        if (account == "policy.kaz")
          add_user(account, "Policy contact, Kazakhstan", auth::Role::kPointOfContact, a3, "");
        if (!account.empty())
          c.execute("UPDATE users SET contact_id = ? WHERE username = ?", {p.id, account});
      }
    }
    // One nomination waiting for the CICA secretariat, so that approval can be tried.
    directory::Contact pending;
    pending.state = "KAZ";
    pending.state_name = "Kazakhstan";
    pending.name = "Saule Demo-Nominee";
    pending.type = "technical";
    pending.position = "Deputy Head, Threat Analysis";
    pending.languages = {"kk", "ru", "en"};
    pending.timezone = "Asia/Almaty";
    pending.availability = "24/7";
    pending.channels = {{"email", "threat-analysis@kaz.demo.parley.example", "primary"}};
    pending.nomination_ref = "Note verbale KAZ/ICT/099/2026";
    pending.status = "pending";
    pending.nominated_by = "focal.kaz";
    pending.id = DirectoryStore::insert_contact(c, pending);
    storage::Journal::append(c, "user:focal.kaz", "contact.nominate", "contact:" + std::to_string(pending.id),
                             {{"state", "KAZ"}, {"name", pending.name}});
    storage::Journal::append(c, actor, "demo.load", "directory",
                             {{"states", demo_states().size()}, {"contacts", contacts + 1}});
    return true;
  });
}

namespace {
auth::Principal demo_principal(hotline::HotlineService& hotline, const std::string& username) {
  return hotline.db().read([&](storage::Connection& c) {
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
}  // namespace

void load_demo_hotline(hotline::HotlineService& hotline) {
  const auto uzb = demo_principal(hotline, "poc.uzb");
  const auto kaz = demo_principal(hotline, "poc.kaz");
  const auto tha = demo_principal(hotline, "poc.tha");
  hotline::CommunicationInput n;
  n.type = "notification";
  n.recipients = {"KAZ"};
  n.subject = "Phishing campaign impersonating the customs service";
  n.description =
      "Since Monday our CERT sees e-mails in Russian and Uzbek impersonating the State Customs Committee, "
      "with a macro-enabled attachment. Senders and hashes are in the attached list. Please tell us whether "
      "your users receive the same messages.";
  n.severity = 2;
  n.tlp = "TLP:GREEN";
  n.sector = "public_administration";
  const auto id = hotline.send(uzb, n)["id"].get<std::int64_t>();
  hotline.acknowledge(kaz, id);
  hotline::CommunicationInput r;
  r.type = "reply";
  r.severity = -1;
  r.description = "Confirmed: 40 messages reached two ministries; blocked at the gateway. Thank you.";
  hotline.reply(kaz, id, r);

  hotline::CommunicationInput q;
  q.type = "request_for_information";
  q.recipients = {"KAZ"};
  q.subject = "Scanning of port 502 (Modbus) from addresses in your space";
  q.description =
      "Our energy-sector operators report scanning of Modbus/TCP from a range announced in Kazakhstan. "
      "Could your CERT check whether these hosts are compromised?";
  q.severity = 3;
  q.tlp = "TLP:AMBER";
  q.sector = "energy";
  hotline.send(tha, q);
}

}  // namespace parley::app

namespace parley::app {

void load_demo_exchange(exchange::ExchangeService& exchange) {
  // Fixed ids and times, so that demo links are stable; TLP 2.0 GREEN and AMBER.
  static const char* kBundle = R"json({"type":"bundle","id":"bundle--0b6f3a51-2f1e-4c1a-9d5e-7a1c2e3f4a50","objects":[
{"type":"malware","spec_version":"2.1","id":"malware--0b6f3a51-2f1e-4c1a-9d5e-7a1c2e3f4a51","created":"2026-11-02T08:00:00.000Z","modified":"2026-11-02T08:00:00.000Z","name":"GridWiper","description":"Destructive malware that overwrites the master boot record of dispatch workstations.","malware_types":["wiper"],"is_family":true,"object_marking_refs":["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]},
{"type":"attack-pattern","spec_version":"2.1","id":"attack-pattern--0b6f3a51-2f1e-4c1a-9d5e-7a1c2e3f4a52","created":"2026-11-02T08:00:00.000Z","modified":"2026-11-02T08:00:00.000Z","name":"Spearphishing attachment","external_references":[{"source_name":"mitre-attack","external_id":"T1566.001"}],"object_marking_refs":["marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"]},
{"type":"vulnerability","spec_version":"2.1","id":"vulnerability--0b6f3a51-2f1e-4c1a-9d5e-7a1c2e3f4a53","created":"2026-11-02T08:00:00.000Z","modified":"2026-11-02T08:00:00.000Z","name":"CVE-2024-3400","description":"Command injection in a VPN gateway, used for initial access.","external_references":[{"source_name":"cve","external_id":"CVE-2024-3400"}],"object_marking_refs":["marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"]},
{"type":"course-of-action","spec_version":"2.1","id":"course-of-action--0b6f3a51-2f1e-4c1a-9d5e-7a1c2e3f4a54","created":"2026-11-02T08:00:00.000Z","modified":"2026-11-02T08:00:00.000Z","name":"Patch the VPN gateways and sinkhole the GridWiper domains","description":"Apply the vendor fix for CVE-2024-3400; resolve the listed domains to a sinkhole; block the listed addresses at the perimeter.","object_marking_refs":["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]},
{"type":"indicator","spec_version":"2.1","id":"indicator--0b6f3a51-2f1e-4c1a-9d5e-7a1c2e3f4a55","created":"2026-11-02T08:00:00.000Z","modified":"2026-11-02T08:00:00.000Z","name":"GridWiper command and control","indicator_types":["malicious-activity"],"pattern":"[domain-name:value = 'update-grid.example.net' OR ipv4-addr:value = '198.51.100.23']","pattern_type":"stix","valid_from":"2026-11-02T08:00:00Z","object_marking_refs":["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]},
{"type":"indicator","spec_version":"2.1","id":"indicator--0b6f3a51-2f1e-4c1a-9d5e-7a1c2e3f4a56","created":"2026-11-02T08:00:00.000Z","modified":"2026-11-02T08:00:00.000Z","name":"GridWiper dropper","indicator_types":["malicious-activity"],"pattern":"[file:hashes.'SHA-256' = '5f2b7c8e0d1a4b3c9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d']","pattern_type":"stix","valid_from":"2026-11-02T08:00:00Z","object_marking_refs":["marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"]},
{"type":"relationship","spec_version":"2.1","id":"relationship--0b6f3a51-2f1e-4c1a-9d5e-7a1c2e3f4a57","created":"2026-11-02T08:00:00.000Z","modified":"2026-11-02T08:00:00.000Z","relationship_type":"indicates","source_ref":"indicator--0b6f3a51-2f1e-4c1a-9d5e-7a1c2e3f4a55","target_ref":"malware--0b6f3a51-2f1e-4c1a-9d5e-7a1c2e3f4a51","object_marking_refs":["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]},
{"type":"relationship","spec_version":"2.1","id":"relationship--0b6f3a51-2f1e-4c1a-9d5e-7a1c2e3f4a58","created":"2026-11-02T08:00:00.000Z","modified":"2026-11-02T08:00:00.000Z","relationship_type":"mitigates","source_ref":"course-of-action--0b6f3a51-2f1e-4c1a-9d5e-7a1c2e3f4a54","target_ref":"vulnerability--0b6f3a51-2f1e-4c1a-9d5e-7a1c2e3f4a53","object_marking_refs":["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]}
]})json";
  auto collection = exchange.forum_collection("CICA");
  auto reader = exchange::BundleReader::of(kBundle);
  const auto out = exchange.import("demo", "KAZ", collection, reader, 100);
  if (out.rejected) throw std::runtime_error("demo STIX bundle refused: " + out.failures.front().rule);
}

}  // namespace parley::app

namespace parley::app {

namespace {

// The draft as the CICA Secretariat first circulated it, before Member States' comments
// (reconstructed from Rev.1 in ../shared/seeds/001: deleted text kept, insertions left out).
constexpr const char* kCicaDraft = R"(# Draft CICA Leaders' Statement on Cooperation in the Field of Security of and in the Use of Information and Communication Technologies

We, the Leaders of the Member States of the Conference on Interaction and Confidence-Building Measures in Asia (CICA), gathered in Nur-Sultan for the CICA Summit,

Recognizing the unprecedented progress in the development and use of information and communication technologies (ICTs) and their increasing influence, including due to the COVID-19 pandemic, on everyday life and on the political, economic, humanitarian and other components of national and international security and stability that shape the global information space,

Expressing concern about the use of ICTs for purposes that are inconsistent with the objectives of maintaining international peace, security and stability, as well as about the increasing risks in the sphere of data security,

Considering it necessary to promote the prevention of the use of ICTs for terrorist and other criminal purposes,

Noting the risks and consequences of division of the Internet,

Recognizing the priority of developing, under the auspices of the United Nations (UN), universal rules, norms and principles of responsible behavior of States in information space and making them legally binding,

Recognizing also that capacity building is important for countering common threats in the information space and building confidence in the field of security of and in the use of ICTs,

## DECLARE THE FOLLOWING:

1. We decide to stand in solidarity and support further strengthening of cooperation among the CICA Member States in ensuring security of and in the use of ICTs with equal emphasis on development and security.

2. We stand for preventing interstate conflicts that may arise from the unlawful use of ICTs, including through reducing the risk of misunderstandings between the CICA Member States and increasing confidence, in order to ensure national, regional and international security.

3. We reaffirm the commonality of approaches to ensuring security of and in the use of ICTs and declare that the development and use of ICTs in international cooperation based on universally recognized principles of international law, primarily the UN Charter, in particular the sovereign equality of States, non-use of force or threat of force, peaceful settlement of international disputes, non-interference in the internal affairs of States, territorial integrity of States, respect for human rights and fundamental freedoms, are of paramount importance for shaping an open, secure, stable, accessible and peaceful ICT environment.

4. We recognize the importance of the global discussion on security of and in the use of ICTs. In this context, we welcome the launch of the UN Open-ended Working Group on Security of and in the Use of ICTs 2021-2025 and note that 2021-2025 OEWG has also included data security in its agenda, and in this respect, the Global Initiative on Data Security could serve as a useful basis for further discussion within the OEWG. We also note the common desire for the active participation in its work, as well as for the close interaction between the CICA Member States within the Group.

5. We recognize the importance of active participation in the work of the Open-ended Ad Hoc Intergovernmental Committee of experts, under the auspices of the UN, to elaborate a comprehensive international convention on countering the use of ICTs for criminal purposes and the need to further strengthen international cooperation in this area. We support voluntary exchange of views, approaches and best practices in the field of countering the use of ICTs for criminal purposes.

6. We reaffirm the need to assist developing CICA Member States in building capacity in the area of information security and bridging the 'digital divide' in order to ensure security and sustainability of the global information space.

7. We reaffirm the importance of exchanging views and approaches between CICA Member States on Internet governance issues based on the decisions of the Tunis Agenda of the 2005 World Summit on the Information Society. We support internationalization of Internet governance and are interested in a more active involvement of the International Telecommunication Union in this process.
)";

}  // namespace

void load_demo_negotiation(hotline::HotlineService& hotline, negotiation::NegotiationService& negotiation) {
  const auto sec = demo_principal(hotline, "secretariat.cica");
  const auto isr = demo_principal(hotline, "focal.isr");
  const auto ind = demo_principal(hotline, "focal.ind");
  const auto tha = demo_principal(hotline, "poc.tha");
  const auto chn = demo_principal(hotline, "focal.chn");
  const auto rus = demo_principal(hotline, "focal.rus");
  negotiation.set_note_scheme(sec, "CICA", "NCT/ICT/{n}", 1012);
  negotiation::DocumentInput doc;
  doc.forum = "CICA";
  doc.symbol = "SUM/2022/DRAFT/3";
  doc.title =
      "Draft CICA Leaders' Statement on Cooperation in the Field of Security of and in the Use of Information and "
      "Communication Technologies";
  doc.languages = {"en", "ru", "kk"};
  doc.text = kCicaDraft;
  const auto id = negotiation.create(sec, doc)["id"].get<std::int64_t>();
  negotiation.circulate(sec, id);

  const auto propose = [&](const auth::Principal& who, nlohmann::json body) {
    auto in = JsonInput(std::move(body), "");
    return negotiation.propose(who, id, negotiation::ProposalInput::parse(in))["proposal"].get<std::string>();
  };
  propose(isr, {{"kind", "replace"},
                {"paragraph", "p6"},
                {"text", "priority of developing, under the auspices of the United Nations (UN), universal rules, norms and "
                         "principles of responsible behavior of States in information space and making them legally binding,"},
                {"replacement", "importance of implementing the agreed upon voluntary norms for responsible behavior of "
                                "States in Cyberspace while"}});
  propose(isr, {{"kind", "delete"}, {"paragraph", "p7"}, {"text", "information space and building confidence in the"}});
  propose(isr, {{"kind", "delete"}, {"paragraph", "p7"}, {"text", "of"}, {"occurrence", 1}});
  propose(isr, {{"kind", "delete_paragraph"}, {"paragraph", "p10"}});
  propose(isr, {{"kind", "alternative"},
                {"paragraph", "p10"},
                {"text", "We declare that the development and use of ICTs in international cooperation based on universally "
                         "recognized principles of international law are of paramount importance for shaping an open, "
                         "secure, stable, accessible and peaceful ICT environment."}});
  const auto gids = propose(ind, {{"kind", "delete"},
                                  {"paragraph", "p11"},
                                  {"text", ", and in this respect, the Global Initiative on Data Security could serve as a "
                                           "useful basis for further discussion within the OEWG"},
                                  {"comment", "The OEWG's agenda should not single out one initiative."}});
  propose(tha, {{"kind", "insert"},
                {"paragraph", "p11"},
                {"after", "Global Initiative on Data Security"},
                {"text", "as well as other proposals"}});
  negotiation.position(chn, id, gids, std::nullopt, "oppose");
  negotiation.position(rus, id, gids, std::nullopt, "oppose");
  negotiation.position(isr, id, gids, std::nullopt, "support");
  propose(isr, {{"kind", "delete"},
                {"paragraph", "p14"},
                {"text", "We support internationalization of Internet governance and are interested in a more active "
                         "involvement of the International Telecommunication Union in this process."}});
  negotiation.circulate(sec, id);
}

}  // namespace parley::app
