package io.spacecrab.detect;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Benchmark of the detector's CPU hot path (not a test; run with {@code make bench} or {@code java
 * -cp … io.spacecrab.detect.ParseBench}). On the same synthetic gzip CloudTrail file it measures
 * the baseline (gunzip + Jackson token scan, no matching) and the hot path (gunzip → parse →
 * match → hit) with a 1-key and a 100,000-key registry, then the hot path on small files.
 * Single thread, so records/s is per core.
 */
public final class ParseBench {
  private static final int RECORDS = 50_000;
  private static final int SMALL_FILE_RECORDS = 20;
  private static final int REGISTRY_SIZE = 100_000;
  private static final int ROUNDS = 9;
  private static final long WARMUP_NANOS = 8_000_000_000L;

  private static final String OUR_ACCOUNT = CloudTrailFixtures.OUR_ACCOUNT;
  private static final String[] REGIONS = {
    "us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"
  };
  private static final String[] AGENTS = {
    "aws-sdk-java/2.25.31 Linux/5.10.215-203.850.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.11+9-LTS"
        + " Java/17.0.11 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy",
    "Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#6.5.0-1014-aws md/arch#x86_64"
        + " lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.84",
    "aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.2 md/GOOS#linux md/GOARCH#amd64 api/s3#1.53.1",
    "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1014-aws exe/x86_64.ubuntu.22 prompt/off"
        + " command/ec2.describe-instances",
    "console.amazonaws.com",
    "aws-internal/3 aws-sdk-java/1.12.701 Linux/5.10.219-186.866.amzn2int.x86_64"
        + " OpenJDK_64-Bit_Server_VM/25.412-b09 java/1.8.0_412 vendor/Oracle_Corporation"
        + " cfg/retry-mode/standard"
  };
  private static final String[][] CALLS = {
    {"ec2", "DescribeInstances"}, {"s3", "GetObject"}, {"s3", "PutObject"}, {"kms", "Decrypt"},
    {"sts", "AssumeRole"}, {"logs", "DescribeLogStreams"}, {"dynamodb", "DescribeTable"},
    {"iam", "GetRole"}, {"lambda", "GetFunction"}, {"ecr", "GetAuthorizationToken"},
    {"secretsmanager", "GetSecretValue"}, {"ssm", "GetParameters"}
  };

  private ParseBench() {}

  public static void main(String[] args) throws Exception {
    Random rnd = new Random(42);
    List<String> accounts = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      accounts.add(String.format("%012d", 100_000_000_000L + (rnd.nextLong() & 0x7fffffffffL) % 800_000_000_000L));
    }
    List<RegistryEntry> big = bigRegistry(rnd);
    RegistryEntry token = CloudTrailFixtures.tokenEntry(TokenState.ACTIVE);
    big.set(REGISTRY_SIZE / 2, token);
    RegistrySnapshot oneKey = RegistrySnapshot.of(List.of(token));
    RegistrySnapshot manyKeys = RegistrySnapshot.of(big);

    List<String> records = new ArrayList<>(RECORDS);
    int hits = syntheticRecords(rnd, accounts, big, records);
    String json = CloudTrailFixtures.logFileOf(records.toArray(String[]::new));
    byte[] raw = json.getBytes(StandardCharsets.UTF_8);
    byte[] gz = gzip(raw);
    List<byte[]> smallFiles = new ArrayList<>();
    for (int i = 0; i < RECORDS; i += SMALL_FILE_RECORDS) {
      List<String> part = records.subList(i, Math.min(RECORDS, i + SMALL_FILE_RECORDS));
      smallFiles.add(gzip(CloudTrailFixtures.logFileOf(part.toArray(String[]::new)).getBytes(StandardCharsets.UTF_8)));
    }

    CloudTrailParser parser = new CloudTrailParser();
    TokenMatcher matcherOne = new TokenMatcher(oneKey);
    TokenMatcher matcherMany = new TokenMatcher(manyKeys);
    JsonFactory plain = new JsonFactory();

    Case baseline = () -> tokenScan(plain, gz);
    Case hotOne = () -> hotPath(parser, matcherOne, new ByteArrayInputStream(gz));
    Case hotMany = () -> hotPath(parser, matcherMany, new ByteArrayInputStream(gz));
    Case smallOne =
        () -> {
          long n = 0;
          for (byte[] file : smallFiles) {
            n += hotPath(parser, matcherOne, new ByteArrayInputStream(file));
          }
          return n;
        };

    System.out.printf(
        "corpus: %d records, %.1f MB JSON (%d B/record), %.1f MB gzip; %d small files of %d records;"
            + " %d planted hits%n",
        RECORDS, raw.length / 1e6, raw.length / RECORDS, gz.length / 1e6, smallFiles.size(),
        SMALL_FILE_RECORDS, hits);
    check("hits, 1-key registry", hotOne.run(), hits);
    check("hits, 100k-key registry", hotMany.run(), hits);
    check("hits, small files", smallOne.run(), hits);

    Case[] cases = {baseline, hotOne, hotMany, smallOne};
    String[] names = {
      "baseline: gunzip + token scan",
      "hot path, 1-key registry",
      "hot path, 100k-key registry",
      "hot path, 1-key, 20-record files"
    };
    long end = System.nanoTime() + WARMUP_NANOS;
    while (System.nanoTime() < end) {
      for (Case c : cases) {
        c.run();
      }
    }
    long[][] nanos = new long[cases.length][ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
      for (int k = 0; k < cases.length; k++) {
        int i = (k + round) % cases.length;
        long t0 = System.nanoTime();
        cases[i].run();
        nanos[i][round] = System.nanoTime() - t0;
      }
    }
    long[] allocated = new long[cases.length];
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int i = 0; i < cases.length; i++) {
      long a0 = threads.getCurrentThreadAllocatedBytes();
      cases[i].run();
      allocated[i] = threads.getCurrentThreadAllocatedBytes() - a0;
    }

    double baseRate = rate(nanos[0]);
    System.out.printf(
        "%n%-34s %14s %14s %12s %10s %12s%n",
        "case (1 thread)", "records/s med", "records/s best", "MB/s (JSON)", "vs base", "alloc B/rec");
    for (int i = 0; i < cases.length; i++) {
      double r = rate(nanos[i]);
      double best = RECORDS * 1e9 / Arrays.stream(nanos[i]).min().orElseThrow();
      System.out.printf(
          "%-34s %,14.0f %,14.0f %12.0f %10.2f %12.1f%n",
          names[i], r, best, r * raw.length / RECORDS / 1e6, r / baseRate,
          (double) allocated[i] / RECORDS);
    }
    System.out.printf(
        "%nhot path 100k-key / 1-key: %.3f   (target >= 0.95)%n", rate(nanos[2]) / rate(nanos[1]));
    System.out.printf(
        "hot path 1-key / baseline: %.3f   (target >= 0.75)%n", rate(nanos[1]) / baseRate);
    System.out.printf(
        "small files: %,.0f files/s, %.1f KB allocated per file%n",
        rate(nanos[3]) / SMALL_FILE_RECORDS, allocated[3] / (double) smallFiles.size() / 1024);
  }

  @FunctionalInterface
  private interface Case {
    long run() throws Exception;
  }

  private static long tokenScan(JsonFactory json, byte[] gz) throws IOException {
    long tokens = 0;
    try (JsonParser p = json.createParser(new GZIPInputStream(new ByteArrayInputStream(gz), 8192))) {
      while (p.nextToken() != null) {
        tokens++;
      }
    }
    return tokens;
  }

  private static long hotPath(CloudTrailParser parser, TokenMatcher matcher, InputStream gz)
      throws Exception {
    long[] hits = new long[1];
    parser.parse(gz, matcher, r -> {
      if (matcher.match(r).isPresent()) {
        hits[0]++;
      }
    });
    return hits[0];
  }

  private static double rate(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return RECORDS * 1e9 / sorted[sorted.length / 2];
  }

  private static void check(String what, long actual, long expected) {
    if (actual != expected) {
      throw new IllegalStateException(what + ": found " + actual + ", planted " + expected);
    }
  }

  private static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 6);
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 65536)) {
      gz.write(raw);
    }
    return out.toByteArray();
  }

  /** 100,000 entries over 20 accounts of 5,000 users, as an account pool would hold them. */
  private static List<RegistryEntry> bigRegistry(Random rnd) {
    List<RegistryEntry> entries = new ArrayList<>(REGISTRY_SIZE);
    for (int i = 0; i < REGISTRY_SIZE; i++) {
      long account = 200_000_000_000L + (i / 5000) * 7_919_113L;
      String acct = AccessKeyId.formatAccount(account);
      String user = "svc-" + word(rnd) + "-" + (i % 5000);
      entries.add(
          new RegistryEntry(
              keyId("AKIA", account, rnd),
              "AIDA" + base32(rnd, 17),
              user,
              "arn:aws:iam::" + acct + ":user/" + user,
              "ns-" + (i % 700),
              "token-" + i,
              "uid-" + i,
              "team-" + (i % 40),
              "Secret ns-" + (i % 700) + "/token-" + i,
              null,
              TokenState.ACTIVE));
    }
    return entries;
  }

  /**
   * Fills {@code out} with an org-trail mix (event times out of order) and returns how many
   * records are ours; the token's GetSessionToken comes before the record carrying only its
   * minted key.
   */
  private static int syntheticRecords(
      Random rnd, List<String> accounts, List<RegistryEntry> registry, List<String> out) {
    String[] ours = {
      CloudTrailFixtures.fixture(CloudTrailFixtures.IAM_USER),
      CloudTrailFixtures.fixture(CloudTrailFixtures.GET_SESSION_TOKEN),
      CloudTrailFixtures.fixture(CloudTrailFixtures.SESSION_CALL),
      CloudTrailFixtures.fixture(CloudTrailFixtures.SESSION_KEY_ONLY)
    };
    int hits = 0;
    for (int i = 0; i < RECORDS; i++) {
      int dice = rnd.nextInt(10_000);
      if (i % 5000 == 2500) {
        out.add(compact(ours[hits % ours.length]));
        hits++;
      } else if (dice < 6400) {
        out.add(assumedRole(rnd, accounts.get(rnd.nextInt(accounts.size()))));
      } else if (dice < 7000) {
        out.add(assumedRole(rnd, OUR_ACCOUNT));
      } else if (dice < 8500) {
        out.add(awsService(rnd, accounts.get(rnd.nextInt(accounts.size()))));
      } else {
        String acct = accounts.get(rnd.nextInt(accounts.size()));
        String user = rnd.nextInt(20) == 0
            ? registry.get(rnd.nextInt(registry.size())).userName()
            : "deploy-" + word(rnd);
        out.add(iamUser(rnd, acct, user));
      }
    }
    return hits;
  }

  private static String assumedRole(Random rnd, String acct) {
    String role = "app-" + word(rnd) + "-role";
    String session = rnd.nextBoolean() ? "i-0" + hex(rnd, 16) : "botocore-session-" + (1_700_000_000 + rnd.nextInt(20_000_000));
    String roleId = "AROA" + base32(rnd, 17);
    String[] call = CALLS[rnd.nextInt(CALLS.length)];
    String region = REGIONS[rnd.nextInt(REGIONS.length)];
    return "{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"AssumedRole\",\"principalId\":\""
        + roleId + ":" + session + "\",\"arn\":\"arn:aws:sts::" + acct + ":assumed-role/" + role + "/"
        + session + "\",\"accountId\":\"" + acct + "\",\"accessKeyId\":\"ASIA" + base32(rnd, 16)
        + "\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":\"" + roleId
        + "\",\"arn\":\"arn:aws:iam::" + acct + ":role/" + role + "\",\"accountId\":\"" + acct
        + "\",\"userName\":\"" + role + "\"},\"webIdFederationData\":{},\"attributes\":{\"creationDate\":\""
        + time(rnd) + "\",\"mfaAuthenticated\":\"false\"}}},\"eventTime\":\"" + time(rnd)
        + "\",\"eventSource\":\"" + call[0] + ".amazonaws.com\",\"eventName\":\"" + call[1]
        + "\",\"awsRegion\":\"" + region + "\",\"sourceIPAddress\":\"" + ip(rnd) + "\",\"userAgent\":\""
        + AGENTS[rnd.nextInt(AGENTS.length)] + "\",\"requestParameters\":" + params(rnd, acct, region)
        + ",\"responseElements\":null,\"requestID\":\"" + uuid(rnd) + "\",\"eventID\":\"" + uuid(rnd)
        + "\",\"readOnly\":true,\"eventType\":\"AwsApiCall\",\"managementEvent\":true,"
        + "\"recipientAccountId\":\"" + acct + "\",\"eventCategory\":\"Management\",\"tlsDetails\":"
        + "{\"tlsVersion\":\"TLSv1.3\",\"cipherSuite\":\"TLS_AES_128_GCM_SHA256\","
        + "\"clientProvidedHostHeader\":\"" + call[0] + "." + region + ".amazonaws.com\"}}";
  }

  private static String awsService(Random rnd, String acct) {
    String region = REGIONS[rnd.nextInt(REGIONS.length)];
    return "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"AWSService\",\"invokedBy\":"
        + "\"s3.amazonaws.com\"},\"eventTime\":\"" + time(rnd) + "\",\"eventSource\":"
        + "\"kms.amazonaws.com\",\"eventName\":\"Decrypt\",\"awsRegion\":\"" + region
        + "\",\"sourceIPAddress\":\"s3.amazonaws.com\",\"userAgent\":\"s3.amazonaws.com\","
        + "\"requestParameters\":{\"encryptionContext\":{\"aws:s3:arn\":\"arn:aws:s3:::artifacts-"
        + acct + "/releases/" + word(rnd) + "/" + hex(rnd, 12) + ".tar.gz\"},\"encryptionAlgorithm\":"
        + "\"SYMMETRIC_DEFAULT\"},\"responseElements\":null,\"requestID\":\"" + uuid(rnd)
        + "\",\"eventID\":\"" + uuid(rnd) + "\",\"readOnly\":true,\"resources\":[{\"accountId\":\""
        + acct + "\",\"type\":\"AWS::KMS::Key\",\"ARN\":\"arn:aws:kms:" + region + ":" + acct
        + ":key/" + uuid(rnd) + "\"}],\"eventType\":\"AwsApiCall\",\"managementEvent\":true,"
        + "\"recipientAccountId\":\"" + acct + "\",\"sharedEventID\":\"" + uuid(rnd)
        + "\",\"eventCategory\":\"Management\"}";
  }

  private static String iamUser(Random rnd, String acct, String user) {
    String[] call = CALLS[rnd.nextInt(CALLS.length)];
    String region = REGIONS[rnd.nextInt(REGIONS.length)];
    return "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":\"AIDA"
        + base32(rnd, 17) + "\",\"arn\":\"arn:aws:iam::" + acct + ":user/" + user
        + "\",\"accountId\":\"" + acct + "\",\"accessKeyId\":\""
        + keyId("AKIA", Long.parseLong(acct), rnd) + "\",\"userName\":\"" + user
        + "\"},\"eventTime\":\"" + time(rnd) + "\",\"eventSource\":\"" + call[0]
        + ".amazonaws.com\",\"eventName\":\"" + call[1] + "\",\"awsRegion\":\"" + region
        + "\",\"sourceIPAddress\":\"" + ip(rnd) + "\",\"userAgent\":\"" + AGENTS[rnd.nextInt(AGENTS.length)]
        + "\",\"requestParameters\":" + params(rnd, acct, region) + ",\"responseElements\":null,"
        + "\"requestID\":\"" + uuid(rnd) + "\",\"eventID\":\"" + uuid(rnd) + "\",\"readOnly\":true,"
        + "\"eventType\":\"AwsApiCall\",\"managementEvent\":true,\"recipientAccountId\":\"" + acct
        + "\",\"eventCategory\":\"Management\",\"tlsDetails\":{\"tlsVersion\":\"TLSv1.2\","
        + "\"cipherSuite\":\"ECDHE-RSA-AES128-GCM-SHA256\",\"clientProvidedHostHeader\":\"" + call[0]
        + "." + region + ".amazonaws.com\"}}";
  }

  private static String params(Random rnd, String acct, String region) {
    return switch (rnd.nextInt(6)) {
      case 0 -> "{\"instancesSet\":{},\"filterSet\":{\"items\":[{\"name\":\"tag:team\",\"valueSet\":"
          + "{\"items\":[{\"value\":\"" + word(rnd) + "\"}]}}]}}";
      case 1 -> "{\"bucketName\":\"data-" + acct + "\",\"Host\":\"data-" + acct + ".s3." + region
          + ".amazonaws.com\",\"key\":\"" + word(rnd) + "/2024/05/14/" + hex(rnd, 20) + ".parquet\"}";
      case 2 -> "{\"keyId\":\"arn:aws:kms:" + region + ":" + acct + ":key/" + uuid(rnd)
          + "\",\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"}";
      case 3 -> "{\"logGroupName\":\"/aws/lambda/" + word(rnd) + "-handler\",\"orderBy\":"
          + "\"LastEventTime\",\"descending\":true,\"limit\":50}";
      case 4 -> "{\"roleArn\":\"arn:aws:iam::" + acct + ":role/" + word(rnd) + "-deploy\","
          + "\"roleSessionName\":\"" + word(rnd) + "-" + hex(rnd, 8) + "\",\"durationSeconds\":3600}";
      default -> "null";
    };
  }

  private static String compact(String json) {
    return json.replaceAll("\\n\\s*", "");
  }

  private static final String[] WORDS = {
    "ledger", "billing", "orders", "search", "ingest", "reports", "payments", "catalog",
    "metrics", "auth", "export", "backup", "sync", "media", "mailer", "pricing"
  };

  private static String word(Random rnd) {
    return WORDS[rnd.nextInt(WORDS.length)];
  }

  private static String keyId(String prefix, long account, Random rnd) {
    long z = ((long) rnd.nextInt(2) << 47) | (account << 7) | rnd.nextInt(128);
    long bits = z << 2 | rnd.nextInt(4);
    StringBuilder sb = new StringBuilder(prefix);
    for (int i = 9; i >= 0; i--) {
      sb.append(B32.charAt((int) (bits >>> (5 * i)) & 31));
    }
    return sb.append(base32(rnd, 6)).toString();
  }

  private static final String B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private static String base32(Random rnd, int n) {
    char[] c = new char[n];
    for (int i = 0; i < n; i++) {
      c[i] = B32.charAt(rnd.nextInt(32));
    }
    return new String(c);
  }

  private static String hex(Random rnd, int n) {
    char[] c = new char[n];
    for (int i = 0; i < n; i++) {
      c[i] = "0123456789abcdef".charAt(rnd.nextInt(16));
    }
    return new String(c);
  }

  private static String uuid(Random rnd) {
    return hex(rnd, 8) + "-" + hex(rnd, 4) + "-4" + hex(rnd, 3) + "-a" + hex(rnd, 3) + "-" + hex(rnd, 12);
  }

  private static String ip(Random rnd) {
    return (rnd.nextInt(200) + 3) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256);
  }

  private static String time(Random rnd) {
    return String.format("2024-05-14T%02d:%02d:%02dZ", 8 + rnd.nextInt(2), rnd.nextInt(60), rnd.nextInt(60));
  }
}
