#include "library/extract_process.h"

#include <istream>
#include <iterator>
#include <ostream>

#include <nlohmann/json.hpp>

namespace parley::library {

ChildLimits default_extract_child_limits() {
  ChildLimits limits;
#if defined(__SANITIZE_ADDRESS__)
  limits.max_memory = 0;
#endif
  return limits;
}

std::string extracted_json(const Extracted& e) {
  nlohmann::json j = {{"flag", flag_name(e.flag)}, {"detail", e.detail}, {"pages", e.pages}};
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
  for (const auto& p : j["pages"]) {
    if (!p.is_string()) return std::nullopt;
    e.pages.push_back(p.get<std::string>());
  }
  return e;
}

Extracted extract_in_child(std::string_view bytes, FileFormat format, const ExtractProcessOptions& options) {
  const std::string exe = options.executable.empty() ? self_executable() : options.executable;
  const auto child = run_child({exe, "extract", "--format", std::string(format_name(format)), "--max-text",
                                std::to_string(options.limits.max_text)},
                               bytes, options.child);
  Extracted failed;
  failed.flag = ExtractFlag::kFailed;
  if (!child.ok()) {
    failed.detail = "the extraction " + child.describe();
    return failed;
  }
  auto e = extracted_from_json(child.out);
  if (!e) {
    failed.detail = "the extraction gave no readable answer";
    return failed;
  }
  return *e;
}

int run_extract_command(std::string_view format, std::size_t max_text, std::istream& in, std::ostream& out) {
  const auto f = format_named(format);
  if (!f) return 2;
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  ExtractLimits limits;
  limits.max_text = max_text;
  out << extracted_json(extract(bytes, *f, limits));
  out.flush();
  return out ? 0 : 1;
}

}  // namespace parley::library
