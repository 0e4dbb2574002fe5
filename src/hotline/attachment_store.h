// AttachmentStore: the SQL of attachments (attachment_blobs, attachment_uploads,
// comm_attachments), over a Connection the caller holds inside its transaction. No rules
// here (they are HotlineService's); contents are stored base64, as given. Static
// functions: thread-safe as the Connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/database.h"

namespace parley::hotline {

struct StoredAttachment {
  std::string filename, media_type, content_base64;
};

class AttachmentStore {
 public:
  using C = storage::Connection;

  // A blob is stored once per digest; each uploader is recorded once.
  static void put(C& c, const std::string& sha256, std::int64_t size, const std::string& media_type,
                  const std::string& content_base64, std::int64_t user_id, std::int64_t at);
  static bool uploaded_by(C& c, const std::string& sha256, std::int64_t user_id);
  static void attach(C& c, std::int64_t comm_id, const std::string& sha256, const std::string& filename);
  static std::optional<StoredAttachment> of(C& c, std::int64_t comm_id, const std::string& sha256);
};

}  // namespace parley::hotline
