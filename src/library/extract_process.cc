#include "library/extract_process.h"

#include <algorithm>
#include <istream>
#include <iterator>
#include <ostream>

#include <nlohmann/json.hpp>

namespace parley::library {

#if defined(__SANITIZE_ADDRESS__)
#define PARLEY_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PARLEY_ADDRESS_SANITIZER 1
#endif
#endif

ChildLimits default_extract_child_limits() {
  ChildLimits limits;
#ifdef PARLEY_ADDRESS_SANITIZER
  limits.max_memory = 0;
#endif
  return limits;
}

std::vector<std::string> limit_arguments(const ExtractLimits& l) {
  return {"--max-text",    std::to_string(l.max_text),    "--max-pages",      std::to_string(l.max_pages),
          "--max-part",    std::to_string(l.max_part),    "--max-ratio",      std::to_string(l.max_ratio),
          "--max-entries", std::to_string(l.max_entries), "--max-markup",     std::to_string(l.max_markup),
          "--max-attributes", std::to_string(l.max_attributes)};
}

std::string extracted_json(const Extracted& e) {
  nlohmann::json j = {{"format", e.format ? format_name(*e.format) : ""},
                      {"flag", flag_name(e.flag)},
                      {"detail", e.detail},
                      {"pages", e.pages}};
  // extract() leaves valid UTF-8 only; anything else would be a bug, replaced rather
  // than thrown.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<Extracted> extracted_from_json(std::string_view json) {
  const auto j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_object() || !j.contains("flag") || !j["flag"].is_string() || !j.contains("pages") ||
      !j["pages"].is_array())
    return std::nullopt;
  Extracted e;
  const auto flag = flag_named(j["flag"].get<std::string>());
  if (!flag) return std::nullopt;
  e.flag = *flag;
  if (j.contains("detail") && j["detail"].is_string()) e.detail = j["detail"].get<std::string>();
  if (j.contains("format") && j["format"].is_string()) e.format = format_named(j["format"].get<std::string>());
  for (const auto& p : j["pages"]) {
    if (!p.is_string()) return std::nullopt;
    e.pages.push_back(p.get<std::string>());
  }
  return e;
}

Extracted extract_in_child(std::string_view bytes, std::optional<FileFormat> format,
                           const ExtractProcessOptions& options) {
  const std::string exe = options.executable.empty() ? self_executable() : options.executable;
  std::vector<std::string> argv = {exe, "extract", "--format", format ? std::string(format_name(*format)) : "auto"};
  for (auto& a : limit_arguments(options.limits)) argv.push_back(std::move(a));
  // The answer holds the text JSON-escaped: at most twice its bytes (clean_text leaves
  // no control character to spell out), and a little more.
  ChildLimits child = options.child;
  child.max_output = std::max(child.max_output, 2 * options.limits.max_text + (std::size_t{1} << 20));
  const auto result = run_child(argv, bytes, child);
  Extracted failed;
  failed.format = format;
  failed.flag = ExtractFlag::kFailed;
  if (!result.ok()) {
    failed.detail = "the extraction " + result.describe();
    return failed;
  }
  auto e = extracted_from_json(result.out);
  if (!e) {
    failed.detail = "the extraction gave no readable answer";
    return failed;
  }
  return *e;
}

int run_extract_command(std::string_view format, const ExtractLimits& limits, std::istream& in, std::ostream& out) {
  const auto f = format_named(format);
  if (!f && format != "auto") return 2;
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  out << extracted_json(f ? extract(bytes, *f, limits) : extract_any(bytes, limits));
  out.flush();
  return out ? 0 : 1;
}

}  // namespace parley::library
