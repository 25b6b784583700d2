package io.spacecrab.detect;

/** A CloudTrail log file: bucket and (decoded) object key. */
public record S3Location(String bucket, String key) {}
