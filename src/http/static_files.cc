#include "http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace parley::http {

namespace {
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
}  // namespace

std::optional<std::string> StaticFiles::load(const std::string& relative) {
  std::lock_guard lock(mu_);
  if (auto it = cache_.find(relative); it != cache_.end()) return it->second;
  std::optional<std::string> content;
  const auto full = std::filesystem::path(root_) / relative;
  std::error_code ec;
  if (std::filesystem::is_regular_file(full, ec)) {
    std::ifstream in(full, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    content = ss.str();
  }
  if (cache_.size() < 1000) cache_[relative] = content;
  return content;
}

Response StaticFiles::serve(const std::string& path) {
  std::string rel = path.empty() || path == "/" ? "index.html" : path.substr(1);
  if (rel.find("..") != std::string::npos || rel.find('\\') != std::string::npos || rel.find('\0') != std::string::npos)
    return Response::problem(Problem::not_found("No such file."), path);
  auto content = load(rel);
  const bool has_ext = std::filesystem::path(rel).has_extension();
  if (!content && !has_ext) {
    rel = "index.html";
    content = load(rel);
  }
  if (!content) {
    if (rel == "index.html")
      return Response::text("The web console is not built: run `make web`.\n", "text/plain; charset=utf-8", 503);
    return Response::problem(Problem::not_found("No such file."), path);
  }
  auto r = Response::text(std::move(*content), content_type_for(rel));
  r.with_header("Cache-Control", rel.rfind("assets/", 0) == 0 ? "public, max-age=31536000, immutable" : "no-cache");
  return r;
}

}  // namespace parley::http
