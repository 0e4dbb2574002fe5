#include "mail/smtp_sender.h"

#include <gtest/gtest.h>

namespace parley::mail {
namespace {

TEST(SmtpSender, FormatsHeadersSafelyAndUsesCrlf) {
  MailConfig config;
  config.from = "parley@example.org";
  Mail m{0, "poc@example.org", "Incident\r\nBcc: victim@example.org", "line one\nline two", 0};
  const auto text = SmtpSender::format(config, m, "Sun, 22 Nov 2026 08:00:00 +0000", "id@example.org");
  EXPECT_NE(text.find("To: <poc@example.org>\r\n"), std::string::npos);
  // A header injection attempt stays on the Subject line.
  EXPECT_EQ(text.find("\r\nBcc:"), std::string::npos);
  EXPECT_NE(text.find("\r\n\r\nline one\r\nline two\r\n"), std::string::npos);
}

TEST(SmtpSender, EncodesNonAsciiSubjects) {
  MailConfig config;
  Mail m{0, "a@example.org", "Инцидент", "x", 0};
  const auto text = SmtpSender::format(config, m, "d", "i@x");
  EXPECT_NE(text.find("Subject: =?UTF-8?B?0JjQvdGG0LjQtNC10L3Rgg==?="), std::string::npos);
}

}  // namespace
}  // namespace parley::mail
