// StaticFiles: serves the web console's built files (web/dist) with content types and
// cache headers. The files are read once, when the server starts, into an index keyed
// by their path relative to the root; a request is answered from that index only, so
// no request path ever reaches the filesystem (an absolute or `..` path cannot name a
// file outside the root, and the index does not grow with what clients ask for).
// Unknown paths without an extension fall back to index.html so that the single-page
// app's own routes work on reload. Immutable after construction: thread-safe.
#pragma once

#include <map>
#include <string>

#include "http/message.h"

namespace parley::http {

class StaticFiles {
 public:
  // Indexes every regular file under `root` (symbolic links are not followed, files
  // over 64 MiB and trees of over 10,000 files are left out, with a warning).
  explicit StaticFiles(std::string root);
  Response serve(const std::string& path) const;
  const std::string& root() const { return root_; }
  std::size_t size() const { return files_.size(); }

 private:
  std::string root_;
  std::map<std::string, std::string, std::less<>> files_;   // "assets/x.js" -> content
};

}  // namespace parley::http
