#include "negotiation/note_verbale.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace parley::negotiation {

namespace {

struct Ymd {
  int y = 1970, m = 1, d = 1;
};

Ymd ymd(const std::string& iso) {
  Ymd r;
  if (iso.size() >= 10) {
    r.y = std::stoi(iso.substr(0, 4));
    r.m = std::stoi(iso.substr(5, 2));
    r.d = std::stoi(iso.substr(8, 2));
  }
  return r;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
  return s;
}

}  // namespace

std::string long_date(const std::string& iso, const std::string& language) {
  static const std::array<const char*, 12> en = {"January", "February", "March",     "April",   "May",      "June",
                                                 "July",    "August",   "September", "October", "November", "December"};
  static const std::array<const char*, 12> ru = {"января", "февраля", "марта",    "апреля",  "мая",    "июня",
                                                 "июля",   "августа", "сентября", "октября", "ноября", "декабря"};
  static const std::array<const char*, 12> kk = {"қаңтар", "ақпан", "наурыз",   "сәуір", "мамыр",  "маусым",
                                                 "шілде",  "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан"};
  static const std::array<const char*, 12> fr = {"janvier", "février", "mars",      "avril",   "mai",      "juin",
                                                 "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};
  static const std::array<const char*, 12> es = {"enero", "febrero", "marzo",      "abril",   "mayo",      "junio",
                                                 "julio", "agosto",  "septiembre", "octubre", "noviembre", "diciembre"};
  const auto t = ymd(iso);
  const auto m = static_cast<std::size_t>(std::clamp(t.m, 1, 12) - 1);
  if (language == "ru") return fmt::format("{} {} {} г.", t.d, ru[m], t.y);
  if (language == "kk") return fmt::format("{} жылғы {} {}", t.y, t.d, kk[m]);
  if (language == "fr") return fmt::format("{} {} {}", t.d == 1 ? "1er" : std::to_string(t.d), fr[m], t.y);
  if (language == "es") return fmt::format("{} de {} de {}", t.d, es[m], t.y);
  if (language == "zh") return fmt::format("{}年{}月{}日", t.y, t.m, t.d);
  return fmt::format("{} {} {}", t.d, en[m], t.y);
}

std::string note_number(const std::string& pattern, std::int64_t n, const std::string& forum, int year) {
  auto s = replace_all(pattern, "{n}", std::to_string(n));
  s = replace_all(s, "{year}", std::to_string(year));
  return replace_all(s, "{forum}", forum);
}

std::map<std::string, std::string> compose_notes(const NoteFacts& f, const std::vector<std::string>& languages,
                                                 std::vector<std::string>& missing) {
  std::map<std::string, std::string> out;
  for (const auto& lang : languages) {
    const auto date = long_date(f.date, lang);
    // The forum's name and abbreviation in the note's language, when it has them.
    std::string name = f.forum_name, c = f.forum_code;
    if (auto it = f.forum_names.find(lang); it != f.forum_names.end()) {
      if (!it->second.first.empty()) name = it->second.first;
      if (!it->second.second.empty()) c = it->second.second;
    }
    std::string body;
    if (lang == "en") {
      body = fmt::format(
          "The Secretariat of the {} ({}) presents its compliments to the {} Member States and has the honour to share "
          "{} ({}){}.\n\nThe Secretariat avails itself of this opportunity to renew to the {} Member States the "
          "assurances of its highest consideration.",
          name, c, c, f.title, f.label, f.revision ? " after including comments of Member States" : "", c);
    } else if (lang == "ru") {
      // «Секретариат форума «…»»: the name stays in the nominative, as a title.
      body = fmt::format(
          "Секретариат форума «{}» ({}) свидетельствует свое уважение государствам-членам {} и имеет честь препроводить "
          "документ «{}» ({}){}.\n\nСекретариат пользуется случаем, чтобы возобновить государствам-членам {} уверения "
          "в своем весьма высоком уважении.",
          name, c, c, f.title, f.label, f.revision ? ", подготовленный с учетом комментариев государств-членов" : "",
          c);
    } else if (lang == "kk") {
      body = fmt::format(
          "{} Хатшылығы {} мүше мемлекеттеріне өзінің зор ілтипатын білдіріп, {}«{}» ({}) құжатын жолдауды өзіне "
          "мәртебе санайды.\n\nХатшылық осы мүмкіндікті пайдалана отырып, {} мүше мемлекеттеріне өзінің зор ілтипатын "
          "тағы да растайды.",
          c, c, f.revision ? "мүше мемлекеттердің ұсыныстарын ескере отырып, " : "", f.title, f.label, c);
    } else if (lang == "fr") {
      body = fmt::format(
          "Le Secrétariat de la {} ({}) présente ses compliments aux États membres de la {} et a l'honneur de leur "
          "transmettre le document « {} » ({}){}.\n\nLe Secrétariat saisit cette occasion pour renouveler aux États "
          "membres de la {} les assurances de sa très haute considération.",
          name, c, c, f.title, f.label, f.revision ? ", établi compte tenu des observations des États membres" : "", c);
    } else if (lang == "es") {
      body = fmt::format(
          "La Secretaría de la {} ({}) saluda atentamente a los Estados miembros de la {} y tiene el honor de "
          "transmitirles el documento «{}» ({}){}.\n\nLa Secretaría aprovecha la oportunidad para reiterar a los "
          "Estados miembros de la {} las seguridades de su más alta consideración.",
          name, c, c, f.title, f.label, f.revision ? ", que incorpora las observaciones de los Estados miembros" : "",
          c);
    } else if (lang == "zh") {
      body = fmt::format("{}（{}）秘书处向{}各成员国致意，并谨转交{}《{}》（{}）。\n\n秘书处借此机会向{}各成员国重申最崇高的敬意。",
                         name, c, c, f.revision ? "经纳入成员国意见后的" : "", f.title, f.label, c);
    } else {
      missing.push_back(lang);
      continue;
    }
    out[lang] = fmt::format("№{}\n\n{}\n\n{}", f.number, body, date);
  }
  if (out.empty() || !missing.empty()) {
    std::vector<std::string> none;
    if (!out.count("en")) out["en"] = compose_notes(f, {"en"}, none)["en"];
  }
  return out;
}

std::map<std::string, std::string> compose_convocations(const ConvocationFacts& f, const std::vector<std::string>& languages,
                                                        std::vector<std::string>& missing) {
  std::map<std::string, std::string> out;
  for (const auto& lang : languages) {
    std::string name = f.forum_name, c = f.forum_code;
    if (auto it = f.forum_names.find(lang); it != f.forum_names.end()) {
      if (!it->second.first.empty()) name = it->second.first;
      if (!it->second.second.empty()) c = it->second.second;
    }
    auto dates = long_date(f.starts_on, lang);
    if (!f.ends_on.empty() && f.ends_on != f.starts_on) dates += " \xE2\x80\x93 " + long_date(f.ends_on, lang);
    std::string agenda;
    for (std::size_t i = 0; i < f.agenda.size(); ++i) agenda += fmt::format("{}. {}\n", i + 1, f.agenda[i]);
    std::string body;
    if (lang == "en") {
      std::string where;
      if (!f.place.empty()) where += " in " + f.place;
      if (!f.online_url.empty()) where += (f.place.empty() ? " online (" : ", and online (") + f.online_url + ")";
      body = fmt::format(
          "The Secretariat of the {} ({}) presents its compliments to the {} Member States and has the honour to inform "
          "them that the {} of the {} will be held on {}{}.",
          name, c, c, f.meeting, f.body, dates, where);
      if (!agenda.empty()) body += "\n\nProvisional agenda:\n" + agenda.substr(0, agenda.size() - 1);
      if (!f.registration_deadline.empty())
        body += fmt::format("\n\nMember States are kindly requested to register their delegations through Parley by {}.",
                            long_date(f.registration_deadline, lang));
      body += fmt::format("\n\nThe Secretariat avails itself of this opportunity to renew to the {} Member States the "
                          "assurances of its highest consideration.", c);
    } else if (lang == "ru") {
      std::string where;
      if (!f.place.empty()) where += ", место проведения: " + f.place;
      if (!f.online_url.empty()) where += ", подключение: " + f.online_url;
      body = fmt::format(
          "Секретариат форума «{}» ({}) свидетельствует свое уважение государствам-членам {} и имеет честь сообщить, "
          "что мероприятие «{}» органа «{}» состоится {}{}.",
          name, c, c, f.meeting, f.body, dates, where);
      if (!agenda.empty()) body += "\n\nПредварительная повестка дня:\n" + agenda.substr(0, agenda.size() - 1);
      if (!f.registration_deadline.empty())
        body += fmt::format("\n\nГосударствам-членам предлагается зарегистрировать свои делегации в Parley до {}.",
                            long_date(f.registration_deadline, lang));
      body += fmt::format("\n\nСекретариат пользуется случаем, чтобы возобновить государствам-членам {} уверения "
                          "в своем весьма высоком уважении.", c);
    } else {
      missing.push_back(lang);
      continue;
    }
    out[lang] = fmt::format("\xE2\x84\x96{}\n\n{}\n\n{}", f.number, body, long_date(f.date, lang));
  }
  if (!out.count("en")) {
    std::vector<std::string> none;
    out["en"] = compose_convocations(f, {"en"}, none)["en"];
  }
  return out;
}

}  // namespace parley::negotiation
