#include "http/static_files.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

namespace parley::http {

namespace {
constexpr std::uintmax_t kMaxFileBytes = 64ull * 1024 * 1024;
constexpr std::size_t kMaxFiles = 10000;

std::string content_type_for(const std::string& path) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},   {".json", "application/json"},
      {".svg", "image/svg+xml"},             {".png", "image/png"},
      {".ico", "image/x-icon"},              {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"}, {".map", "application/json"}};
  const auto ext = std::filesystem::path(path).extension().string();
  auto it = kTypes.find(ext);
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

bool has_extension(std::string_view rel) {
  const auto slash = rel.rfind('/');
  const auto name = slash == std::string_view::npos ? rel : rel.substr(slash + 1);
  const auto dot = name.rfind('.');
  return dot != std::string_view::npos && dot > 0 && dot + 1 < name.size();
}
}  // namespace

StaticFiles::StaticFiles(std::string root) : root_(std::move(root)) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(root_, ec)) return;
  const fs::path base = fs::canonical(root_, ec);
  if (ec) return;
  for (auto it = fs::recursive_directory_iterator(base, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_symlink(ec) || !it->is_regular_file(ec)) continue;
    const auto size = it->file_size(ec);
    const auto rel = it->path().lexically_relative(base).generic_string();
    if (ec || size > kMaxFileBytes || files_.size() >= kMaxFiles) {
      spdlog::warn(nlohmann::json{{"event", "static_file_skipped"}, {"file", rel}}.dump(
          -1, ' ', false, nlohmann::json::error_handler_t::replace));
      ec.clear();
      continue;
    }
    std::ifstream in(it->path(), std::ios::binary);
    files_.emplace(rel, std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()));
  }
}

Response StaticFiles::serve(const std::string& path) const {
  std::string rel = path.empty() || path == "/" ? "index.html" : path.substr(1);
  auto it = files_.find(rel);
  if (it == files_.end() && !has_extension(rel)) {
    rel = "index.html";
    it = files_.find(rel);
  }
  if (it == files_.end()) {
    if (rel == "index.html")
      return Response::text("The web console is not built: run `make web`.\n", "text/plain; charset=utf-8", 503);
    return Response::problem(Problem::not_found("No such file."), "");
  }
  auto r = Response::text(it->second, content_type_for(rel));
  r.with_header("Cache-Control", rel.starts_with("assets/") ? "public, max-age=31536000, immutable" : "no-cache");
  return r;
}

}  // namespace parley::http
