package io.spacecrab.notify;

import io.spacecrab.api.v1alpha1.AlertSink;
import io.spacecrab.api.v1alpha1.AlertSinkSpec;
import io.spacecrab.aws.AwsCallException;
import io.spacecrab.aws.MailSender;
import java.util.List;
import java.util.Optional;

/** E-mail through SES: the {@link EmailMessage} from the Secret's {@code from} to {@code spec.to}. */
final class EmailSink implements Sink<EmailSink.Mail> {
  private static final String FROM = "from";
  private final MailSender mail;

  EmailSink(MailSender mail) {
    this.mail = mail;
  }

  /** One message with its sender and recipients. */
  record Mail(String from, List<String> to, EmailMessage message) {}

  @Override
  public List<String> secretKeys() {
    return List.of(FROM);
  }

  /** {@code spec.to} must name a recipient. */
  @Override
  public Optional<SinkValidation.Problem> checkSpec(AlertSinkSpec spec) {
    return noRecipient(spec) ? SinkValidation.problem("InvalidSpec", "spec.to names no recipient.") : Optional.empty();
  }

  @Override
  public Mail render(Notice notice) {
    if (noRecipient(notice.spec())) {
      throw new Undeliverable(DeliveryResult.failed(0, "spec.to names no recipient"));
    }
    return new Mail(notice.credentials().get(FROM), notice.spec().getTo(),
        EmailMessage.of(notice.alert(), notice.kind()));
  }

  /** SES accepted it, or its error is classified once ({@link AwsCallException#retryable()}). */
  @Override
  public DeliveryResult send(AlertSink sink, Mail m) {
    try {
      mail.send(m.from(), m.to(), m.message().subject(), m.message().body());
      return DeliveryResult.success(200);
    } catch (AwsCallException e) {
      return e.retryable() ? DeliveryResult.retry(0, Optional.empty(), e.getMessage())
          : DeliveryResult.failed(0, e.getMessage());
    }
  }

  private static boolean noRecipient(AlertSinkSpec spec) {
    return spec.getTo() == null || spec.getTo().isEmpty();
  }
}
