#include "directory/iso3166.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/mo_file.h"
#include "common/region_names.h"
#include "common/text.h"

namespace parley::directory {

namespace fs = std::filesystem;

std::string bcp47_from_locale(const std::string& folder) {
  std::string base = folder, modifier;
  if (auto at = folder.find('@'); at != std::string::npos) {
    base = folder.substr(0, at);
    modifier = folder.substr(at + 1);
  }
  static const std::map<std::string, std::string> kSpecial = {
      {"zh_CN", "zh-Hans"}, {"zh_SG", "zh-Hans-SG"}, {"zh_TW", "zh-Hant"},
      {"zh_HK", "zh-Hant-HK"}, {"zh_MO", "zh-Hant-MO"}, {"mo", "ro-MD"}};
  std::string tag;
  if (auto it = kSpecial.find(base); it != kSpecial.end()) {
    tag = it->second;
  } else {
    tag = base;
    std::replace(tag.begin(), tag.end(), '_', '-');
  }
  if (!modifier.empty()) {
    static const std::map<std::string, std::string> kScripts = {
        {"latin", "Latn"}, {"Latn", "Latn"}, {"cyrillic", "Cyrl"}, {"iqtelif", "Latn"}, {"valencia", "valencia"}};
    auto it = kScripts.find(modifier);
    if (it == kScripts.end()) return "";
    // The script goes right after the language: sr-Latn, not sr-RS-Latn.
    const auto dash = tag.find('-');
    tag = dash == std::string::npos ? tag + "-" + it->second
                                    : tag.substr(0, dash) + "-" + it->second + tag.substr(dash);
  }
  return is_language_tag(tag) ? tag : "";
}

namespace {

struct Entry {
  std::string alpha3, alpha2, numeric, name, official_name;
};

std::vector<Entry> read_entries(const fs::path& json_path) {
  std::ifstream in(json_path);
  if (!in)
    throw std::runtime_error(
        "ISO 3166-1 data not found: " + json_path.string() +
        " is missing. Install Debian's iso-codes package (scripts/install-deps.sh does), or set [directory] "
        "iso_codes in the configuration (or --iso-codes) to the folder that holds iso-codes/json/ and locale/.");
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    throw std::runtime_error(json_path.string() + " is not valid JSON: " + e.what());
  }
  std::vector<Entry> out;
  for (const auto& e : doc.value("3166-1", nlohmann::json::array())) {
    Entry x{e.value("alpha_3", ""), e.value("alpha_2", ""), e.value("numeric", ""), e.value("name", ""),
            e.value("official_name", "")};
    if (!is_alpha3(x.alpha3) || x.name.empty()) throw std::runtime_error(json_path.string() + ": an entry without alpha_3 or name");
    out.push_back(std::move(x));
  }
  if (out.size() < 200) throw std::runtime_error(json_path.string() + " lists only " + std::to_string(out.size()) + " entries");
  return out;
}

// Inserts (alpha3, language, name) rows, a few hundred per statement.
class NameWriter {
 public:
  explicit NameWriter(storage::Connection& c) : c_(c) {}
  void add(const std::string& alpha3, const std::string& language, const std::string& name) {
    params_.emplace_back(alpha3);
    params_.emplace_back(language);
    params_.emplace_back(name);
    if (params_.size() == kRows * 3) flush();
  }
  void flush() {
    if (params_.empty()) return;
    std::string sql = "INSERT INTO state_names(alpha3, language, name) VALUES ";
    for (std::size_t i = 0; i < params_.size() / 3; ++i) sql += i ? ",(?,?,?)" : "(?,?,?)";
    sql += " ON CONFLICT (alpha3, language) DO NOTHING";
    c_.execute(sql, params_);
    params_.clear();
  }

 private:
  static constexpr std::size_t kRows = 250;
  storage::Connection& c_;
  storage::Params params_;
};

}  // namespace

void load_iso3166(storage::Connection& c, const std::string& root) {
  const fs::path base(root);
  const auto entries = read_entries(base / "iso-codes" / "json" / "iso_3166-1.json");
  // Catalogues first: a missing locale folder is refused before anything is written.
  std::vector<std::pair<std::string, std::map<std::string, std::string>>> catalogues;
  const auto locale = base / "locale";
  std::error_code ec;
  if (!fs::is_directory(locale, ec))
    throw std::runtime_error("ISO 3166-1 translations not found: " + locale.string() +
                             " is missing (Debian's iso-codes installs them there).");
  std::vector<fs::path> folders;
  for (const auto& d : fs::directory_iterator(locale, ec)) folders.push_back(d.path());
  std::sort(folders.begin(), folders.end());
  for (const auto& folder : folders) {
    const auto mo = folder / "LC_MESSAGES" / "iso_3166-1.mo";
    if (!fs::is_regular_file(mo, ec)) continue;
    const auto tag = bcp47_from_locale(folder.filename().string());
    if (tag.empty() || tag == "en") continue;
    catalogues.emplace_back(tag, read_mo_file(mo.string()));
  }
  if (catalogues.empty())
    throw std::runtime_error("no ISO 3166-1 translations (iso_3166-1.mo) under " + locale.string());
  // A plain "zh" for those who ask for Chinese without a script: the simplified names.
  for (std::size_t i = 0; i < catalogues.size(); ++i)
    if (catalogues[i].first == "zh-Hans") {
      auto copy = catalogues[i].second;
      catalogues.emplace_back("zh", std::move(copy));
      break;
    }

  for (const auto& e : entries) {
    // An existing row keeps its name (and kind); it gains the standard's codes.
    c.execute("INSERT INTO states(alpha3, name, kind, alpha2, numeric_code, official_name, iso)"
              " VALUES (?, ?, 'state', ?, ?, ?, 1)"
              " ON CONFLICT(alpha3) DO UPDATE SET alpha2 = excluded.alpha2, numeric_code = excluded.numeric_code,"
              " official_name = excluded.official_name, iso = 1",
              {e.alpha3, e.name, e.alpha2, e.numeric, storage::text_or_null(e.official_name)});
  }
  NameWriter w(c);
  // English: the name each state has in the directory (the standard's, unless it was kept).
  for (const auto& r : c.query("SELECT alpha3, name FROM states")) w.add(r.text("alpha3"), "en", r.text("name"));
  for (const auto& [tag, mo] : catalogues)
    for (const auto& e : entries)
      if (auto it = mo.find(e.name); it != mo.end() && !it->second.empty()) w.add(e.alpha3, tag, it->second);
      // A name the catalogue lacks (iso-codes 4.15 has no Russian "Türkiye"): CLDR's, through ICU.
      else if (auto name = region_name(e.alpha2, tag); !name.empty()) w.add(e.alpha3, tag, name);
  w.flush();
}

}  // namespace parley::directory
