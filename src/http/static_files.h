// StaticFiles: serves the web console's built files (web/dist) with content types and
// cache headers; unknown paths without an extension fall back to index.html so that
// the single-page app's own routes work on reload. Refuses paths that leave the root.
// Files are read once and kept in memory. Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "http/message.h"

namespace parley::http {

class StaticFiles {
 public:
  explicit StaticFiles(std::string root) : root_(std::move(root)) {}
  Response serve(const std::string& path);
  const std::string& root() const { return root_; }

 private:
  std::optional<std::string> load(const std::string& relative);

  std::string root_;
  std::mutex mu_;
  std::map<std::string, std::optional<std::string>> cache_;
};

}  // namespace parley::http
