#include "mail/smtp_sender.h"

#include <gtest/gtest.h>

#include "common/text.h"
#include "crypto/random.h"

namespace parley::mail {
namespace {

Mail mail(std::string to, std::string subject, std::string body) {
  Mail m;
  m.to = std::move(to);
  m.subject = std::move(subject);
  m.body = std::move(body);
  return m;
}

TEST(SmtpSender, FormatsHeadersSafelyAndUsesCrlf) {
  MailConfig config;
  config.from = "parley@example.org";
  const auto m = mail("poc@example.org", "Incident\r\nBcc: victim@example.org", "line one\nline two");
  const auto text = SmtpSender::format(config, m, "Sun, 22 Nov 2026 08:00:00 +0000", "id@example.org");
  EXPECT_NE(text.find("To: <poc@example.org>\r\n"), std::string::npos);
  // A header injection attempt stays on the Subject line.
  EXPECT_EQ(text.find("\r\nBcc:"), std::string::npos);
  EXPECT_NE(text.find("\r\n\r\nline one\r\nline two\r\n"), std::string::npos);
}

TEST(SmtpSender, EncodesNonAsciiSubjects) {
  MailConfig config;
  const auto m = mail("a@example.org", "Инцидент", "x");
  const auto text = SmtpSender::format(config, m, "d", "i@x");
  EXPECT_NE(text.find("Subject: =?UTF-8?B?0JjQvdGG0LjQtNC10L3Rgg==?="), std::string::npos);
}

// A long subject in Cyrillic (a note verbale's) is split into encoded words of at most 75
// characters, on folded lines, each holding whole characters: decoded and joined, they
// give the subject back.
TEST(SmtpSender, FoldsALongNonAsciiSubjectIntoShortEncodedWords) {
  MailConfig config;
  const std::string subject =
      "Вербальная нота NCT/ICT/1015: Седьмое заседание Специальной рабочей группы по мерам доверия в сфере ИКТ";
  const auto text = SmtpSender::format(config, mail("a@example.org", subject, "x"), "d", "i@x");
  const auto start = text.find("Subject: ");
  ASSERT_NE(start, std::string::npos);
  auto end = start;
  while ((end = text.find("\r\n", end + 1)) != std::string::npos && text.compare(end + 2, 1, " ") == 0) {}
  const auto header = text.substr(start + 9, end - start - 9);
  std::string decoded;
  std::size_t words = 0;
  for (std::size_t at = header.find("=?UTF-8?B?"); at != std::string::npos; at = header.find("=?UTF-8?B?", at + 1)) {
    const auto close = header.find("?=", at + 10);
    ASSERT_NE(close, std::string::npos);
    EXPECT_LE(close + 2 - at, 75u);
    const auto word = crypto::from_base64(header.substr(at + 10, close - at - 10));
    EXPECT_TRUE(is_valid_utf8(word)) << "a word holds whole characters";
    decoded += word;
    ++words;
  }
  EXPECT_GT(words, 2u);
  EXPECT_EQ(decoded, subject);
  // Every line of the header, "Subject: " included, within RFC 2047's 76 characters.
  const auto lines = text.substr(start, end - start);
  for (std::size_t from = 0; from < lines.size();) {
    const auto to = std::min(lines.find("\r\n", from), lines.size());
    EXPECT_LE(to - from, 76u) << lines.substr(from, to - from);
    from = to + 2;
  }
  EXPECT_EQ(header.find("?==?"), std::string::npos) << "words are separated by folding white space";
}

TEST(SmtpSender, SendsAnAttachmentAsMultipartMixed) {
  MailConfig config;
  Mail m{0, "a@example.org", "Invitation", "See the attachment.\n", 0, "invitation.ics", "text/calendar; charset=UTF-8; method=REQUEST",
         "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"};
  const auto text = SmtpSender::format(config, m, "d", "i@x");
  const auto at = text.find("Content-Type: multipart/mixed; boundary=\"");
  ASSERT_NE(at, std::string::npos);
  const auto start = at + std::string("Content-Type: multipart/mixed; boundary=\"").size();
  const auto boundary = text.substr(start, text.find('"', start) - start);
  EXPECT_NE(text.find("--" + boundary + "\r\nContent-Type: text/plain; charset=UTF-8"), std::string::npos);
  EXPECT_NE(text.find("Content-Disposition: attachment; filename=\"invitation.ics\""), std::string::npos);
  // base64 of the calendar, then the closing boundary.
  EXPECT_NE(text.find("QkVHSU46VkNBTEVOREFSDQpFTkQ6VkNBTEVOREFSDQo=\r\n--" + boundary + "--\r\n"), std::string::npos);
  // Without an attachment, a plain text mail as before.
  const auto plain = mail("a@example.org", "x", "y");
  EXPECT_EQ(SmtpSender::format(config, plain, "d", "i@x").find("multipart"), std::string::npos);
}

}  // namespace
}  // namespace parley::mail
