package io.spacecrab.aws;

import java.time.Instant;

/** One access key of a user, without its secret. */
public record AccessKeyInfo(String accessKeyId, boolean active, Instant createdAt) {}
