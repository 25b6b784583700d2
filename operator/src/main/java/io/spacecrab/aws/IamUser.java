package io.spacecrab.aws;

import java.util.Map;

/** An IAM user as the operator needs it: name, the AIDA… id CloudTrail shows, ARN, tags, boundary. */
public record IamUser(String name, String userId, String arn, Map<String, String> tags, String boundaryArn) {}
