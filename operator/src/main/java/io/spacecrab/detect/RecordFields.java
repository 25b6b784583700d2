package io.spacecrab.detect;

/** The reusable buffers one record is read into; materialised only when the filter wants it. */
final class RecordFields {
  final FieldText eventId;
  final FieldText eventTime;
  final FieldText eventSource;
  final FieldText eventName;
  final FieldText awsRegion;
  final FieldText sourceIpAddress;
  final FieldText userAgent;
  final FieldText errorCode;
  final FieldText identityType;
  final FieldText principalId;
  final FieldText arn;
  final FieldText accountId;
  final FieldText accessKeyId;
  final FieldText userName;
  final FieldText sessionAccessKeyId;
  final FieldText invokedBy;
  final FieldText readOnly;
  final FieldText eventType;
  final FieldText fromConsole;
  final FieldText mfaAuthenticated;
  final FieldText sessionCreatedAt;
  private final FieldText[] all;

  RecordFields(int maxFieldChars) {
    all = new FieldText[21];
    for (int i = 0; i < all.length; i++) {
      all[i] = new FieldText(maxFieldChars);
    }
    eventId = all[0];
    eventTime = all[1];
    eventSource = all[2];
    eventName = all[3];
    awsRegion = all[4];
    sourceIpAddress = all[5];
    userAgent = all[6];
    errorCode = all[7];
    identityType = all[8];
    principalId = all[9];
    arn = all[10];
    accountId = all[11];
    accessKeyId = all[12];
    userName = all[13];
    sessionAccessKeyId = all[14];
    invokedBy = all[15];
    readOnly = all[16];
    eventType = all[17];
    fromConsole = all[18];
    mfaAuthenticated = all[19];
    sessionCreatedAt = all[20];
  }

  void clear() {
    for (FieldText f : all) {
      f.clear();
    }
  }

  boolean mightMatch(RecordFilter filter) {
    return filter.mightMatch(accessKeyId, principalId, arn, userName);
  }

  boolean hasAny() {
    for (FieldText f : all) {
      if (f.isPresent()) {
        return true;
      }
    }
    return false;
  }

  CloudTrailRecord toRecord() {
    return new CloudTrailRecord(
        eventId.value(),
        eventTime.value(),
        eventSource.value(),
        eventName.value(),
        awsRegion.value(),
        sourceIpAddress.value(),
        userAgent.value(),
        errorCode.value(),
        identityType.value(),
        principalId.value(),
        arn.value(),
        accountId.value(),
        accessKeyId.value(),
        userName.value(),
        sessionAccessKeyId.value(),
        invokedBy.value(),
        flag(readOnly),
        eventType.value(),
        flag(fromConsole),
        flag(mfaAuthenticated),
        sessionCreatedAt.value());
  }

  /** A flag CloudTrail writes as a boolean or as the text "true"/"false"; null when absent or neither. */
  private static Boolean flag(FieldText f) {
    String v = f.value();
    return "true".equals(v) ? Boolean.TRUE : "false".equals(v) ? Boolean.FALSE : null;
  }
}
