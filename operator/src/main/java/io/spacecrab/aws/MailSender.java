package io.spacecrab.aws;

import java.util.List;

/** Sends plain-text email (Amazon SES). Every failure is an {@link AwsCallException}. */
public interface MailSender {

  /** Sends one message; returns the provider's message id. */
  String send(String from, List<String> to, String subject, String body);
}
