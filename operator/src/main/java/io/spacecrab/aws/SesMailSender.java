package io.spacecrab.aws;

import java.util.List;
import software.amazon.awssdk.services.ses.SesClient;

/** {@link MailSender} on Amazon SES (SendEmail, text body), as the original SpaceCrab used. */
public class SesMailSender implements MailSender {
  private final SesClient ses;

  public SesMailSender(SesClient ses) {
    this.ses = ses;
  }

  @Override
  public String send(String from, List<String> to, String subject, String body) {
    return AwsErrors.call("SES SendEmail", () -> ses.sendEmail(r -> r.source(from)
        .destination(d -> d.toAddresses(to))
        .message(m -> m.subject(c -> c.data(subject).charset("UTF-8"))
            .body(b -> b.text(c -> c.data(body).charset("UTF-8"))))).messageId());
  }
}
