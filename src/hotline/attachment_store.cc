#include "hotline/attachment_store.h"

namespace parley::hotline {

void AttachmentStore::put(C& c, const std::string& sha256, std::int64_t size, const std::string& media_type,
                          const std::string& content_base64, std::int64_t user_id, std::int64_t at) {
  c.execute("INSERT INTO attachment_blobs (sha256, size, media_type, content, created_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            {sha256, size, media_type, content_base64, at});
  c.execute("INSERT INTO attachment_uploads (sha256, user_id, uploaded_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            {sha256, user_id, at});
}

bool AttachmentStore::uploaded_by(C& c, const std::string& sha256, std::int64_t user_id) {
  return !c.query("SELECT 1 AS x FROM attachment_uploads WHERE sha256 = ? AND user_id = ?", {sha256, user_id}).empty();
}

void AttachmentStore::attach(C& c, std::int64_t comm_id, const std::string& sha256, const std::string& filename) {
  c.execute("INSERT INTO comm_attachments (comm_id, sha256, filename) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            {comm_id, sha256, filename});
}

std::optional<StoredAttachment> AttachmentStore::of(C& c, std::int64_t comm_id, const std::string& sha256) {
  auto rows = c.query("SELECT a.filename, b.media_type, b.content FROM comm_attachments a JOIN attachment_blobs b "
                      "ON b.sha256 = a.sha256 WHERE a.comm_id = ? AND a.sha256 = ?",
                      {comm_id, sha256});
  if (rows.empty()) return std::nullopt;
  return StoredAttachment{rows[0].text("filename"), rows[0].text("media_type"), rows[0].take_text("content")};
}

}  // namespace parley::hotline
