package io.spacecrab.detect;

import io.spacecrab.aws.RegistryRecord;
import io.spacecrab.aws.RegistryState;
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
 * Benchmark of the detector's CPU hot path; a main, not a test. On one synthetic gzip CloudTrail
 * file it measures, in the same run, the baseline (gunzip + Jackson token scan, no matching) and
 * the hot path (gunzip → prefilter → parse → match → hit) with a 1-key and a 100,000-key registry,
 * the hot path on 20-record files, gunzip alone (on the big file and on the 20-record files), the
 * hot path without the prefilter, and two pollers (threads) at once. One thread per case, except the last, so records/s is per core.
 *
 * <p>Run: {@code mvn -o -pl operator test-compile} then {@code java -Xms1g -Xmx1g -cp
 * operator/target/classes:operator/target/test-classes:<jackson-core.jar>
 * io.spacecrab.detect.ParseBench}.
 */
public final class ParseBench {
  private static final int RECORDS = 50_000;
  private static final int SMALL_FILE_RECORDS = 20;
  private static final int REGISTRY_SIZE = 100_000;
  private static final int ROUNDS = 20;
  private static final long WARMUP_NANOS = 8_000_000_000L;
  private static final String B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private static final String[] REGIONS = {
    "us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"
  };
  private static final String[] WORDS = {
    "ledger", "billing", "orders", "search", "ingest", "reports", "payments", "catalog",
    "metrics", "auth", "export", "backup", "sync", "media", "mailer", "pricing"
  };
  private static final String[][] CALLS = {
    {"ec2", "DescribeInstances"}, {"s3", "GetObject"}, {"s3", "PutObject"}, {"kms", "Decrypt"},
    {"sts", "AssumeRole"}, {"logs", "DescribeLogStreams"}, {"dynamodb", "DescribeTable"},
    {"iam", "GetRole"}, {"lambda", "GetFunction"}, {"ecr", "GetAuthorizationToken"},
    {"secretsmanager", "GetSecretValue"}, {"ssm", "GetParameters"}
  };
  private static final String[] AGENTS = {
    "aws-sdk-java/2.25.31 Linux/5.10.215-203.850.amzn2.x86_64"
        + " OpenJDK_64-Bit_Server_VM/17.0.11+9-LTS Java/17.0.11 vendor/Amazon.com_Inc. io/sync"
        + " http/Apache cfg/retry-mode/legacy",
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

  // %1$s principal id, %2$s session, %3$s account, %4$s role, %5$s key id, %6$s role id,
  // %7$s creation time, %8$s event time, %9$s service, %10$s call, %11$s region, %12$s ip,
  // %13$s user agent, %14$s request parameters, %15$s request id, %16$s event id
  private static final String ASSUMED_ROLE =
      """
      {"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","principalId":"%1$s",\
      "arn":"arn:aws:sts::%3$s:assumed-role/%4$s/%2$s","accountId":"%3$s","accessKeyId":"%5$s",\
      "sessionContext":{"sessionIssuer":{"type":"Role","principalId":"%6$s",\
      "arn":"arn:aws:iam::%3$s:role/%4$s","accountId":"%3$s","userName":"%4$s"},\
      "webIdFederationData":{},"attributes":{"creationDate":"%7$s","mfaAuthenticated":"false"}}},\
      "eventTime":"%8$s","eventSource":"%9$s.amazonaws.com","eventName":"%10$s",\
      "awsRegion":"%11$s","sourceIPAddress":"%12$s","userAgent":"%13$s",\
      "requestParameters":%14$s,"responseElements":null,"requestID":"%15$s","eventID":"%16$s",\
      "readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"%3$s",\
      "eventCategory":"Management","tlsDetails":{"tlsVersion":"TLSv1.3",\
      "cipherSuite":"TLS_AES_128_GCM_SHA256",\
      "clientProvidedHostHeader":"%9$s.%11$s.amazonaws.com"}}""";

  // %1$s principal id, %2$s account, %3$s user, %4$s key id, %5$s event time, %6$s service,
  // %7$s call, %8$s region, %9$s ip, %10$s user agent, %11$s request parameters,
  // %12$s request id, %13$s event id
  private static final String IAM_USER =
      """
      {"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"%1$s",\
      "arn":"arn:aws:iam::%2$s:user/%3$s","accountId":"%2$s","accessKeyId":"%4$s",\
      "userName":"%3$s"},"eventTime":"%5$s","eventSource":"%6$s.amazonaws.com",\
      "eventName":"%7$s","awsRegion":"%8$s","sourceIPAddress":"%9$s","userAgent":"%10$s",\
      "requestParameters":%11$s,"responseElements":null,"requestID":"%12$s","eventID":"%13$s",\
      "readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"%2$s",\
      "eventCategory":"Management","tlsDetails":{"tlsVersion":"TLSv1.2",\
      "cipherSuite":"ECDHE-RSA-AES128-GCM-SHA256",\
      "clientProvidedHostHeader":"%6$s.%8$s.amazonaws.com"}}""";

  // %1$s event time, %2$s region, %3$s account, %4$s object, %5$s request id, %6$s event id,
  // %7$s key uuid, %8$s shared event id
  private static final String AWS_SERVICE =
      """
      {"eventVersion":"1.08","userIdentity":{"type":"AWSService","invokedBy":"s3.amazonaws.com"},\
      "eventTime":"%1$s","eventSource":"kms.amazonaws.com","eventName":"Decrypt",\
      "awsRegion":"%2$s","sourceIPAddress":"s3.amazonaws.com","userAgent":"s3.amazonaws.com",\
      "requestParameters":{"encryptionContext":{"aws:s3:arn":"arn:aws:s3:::artifacts-%3$s/%4$s"},\
      "encryptionAlgorithm":"SYMMETRIC_DEFAULT"},"responseElements":null,"requestID":"%5$s",\
      "eventID":"%6$s","readOnly":true,"resources":[{"accountId":"%3$s","type":"AWS::KMS::Key",\
      "ARN":"arn:aws:kms:%2$s:%3$s:key/%7$s"}],"eventType":"AwsApiCall","managementEvent":true,\
      "recipientAccountId":"%3$s","sharedEventID":"%8$s","eventCategory":"Management"}""";

  private ParseBench() {}

  public static void main(String[] args) throws Exception {
    Random rnd = new Random(42);
    List<String> accounts = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      accounts.add(AccessKeyId.formatAccount(100_000_000_000L + rnd.nextLong(800_000_000_000L)));
    }
    List<RegistryRecord> big = bigRegistry(rnd);
    RegistryRecord token = CloudTrailFixtures.tokenEntry(RegistryState.Active);
    big.set(REGISTRY_SIZE / 2, token);
    TokenMatcher matcherOne = new TokenMatcher(RegistrySnapshot.of(List.of(token)));
    TokenMatcher matcherMany = new TokenMatcher(RegistrySnapshot.of(big));

    List<String> records = new ArrayList<>(RECORDS);
    int hits = syntheticRecords(rnd, accounts, big, records);
    byte[] raw = utf8(CloudTrailFixtures.logFileOf(records.toArray(String[]::new)));
    byte[] gz = gzip(raw);
    List<byte[]> smallFiles = new ArrayList<>();
    for (int i = 0; i < RECORDS; i += SMALL_FILE_RECORDS) {
      List<String> part = records.subList(i, Math.min(RECORDS, i + SMALL_FILE_RECORDS));
      smallFiles.add(gzip(utf8(CloudTrailFixtures.logFileOf(part.toArray(String[]::new)))));
    }

    CloudTrailParser parser = new CloudTrailParser();
    JsonFactory plain = new JsonFactory();
    Case baseline = () -> tokenScan(plain, gz);
    Case hotOne = () -> hotPath(parser, matcherOne, gz);
    Case hotMany = () -> hotPath(parser, matcherMany, gz);
    Case smallOne =
        () -> {
          long n = 0;
          for (byte[] file : smallFiles) {
            n += hotPath(parser, matcherOne, file);
          }
          return n;
        };
    Case gunzipOnly = () -> gunzip(gz);
    Case gunzipSmall =
        () -> {
          long n = 0;
          for (byte[] file : smallFiles) {
            n += gunzip(file);
          }
          return n;
        };
    // the matcher's mightMatch as a plain filter: no prefilter, every record tokenised
    RecordFilter fullParse = matcherOne::mightMatch;
    Case hotOneFullParse = () -> hotPath(parser, fullParse, matcherOne, gz);
    java.util.concurrent.ExecutorService pollers = java.util.concurrent.Executors.newFixedThreadPool(2);
    Case twoPollers =
        () -> {
          var a = pollers.submit(() -> hotPath(parser, matcherMany, gz));
          var b = pollers.submit(() -> hotPath(parser, matcherMany, gz));
          return a.get() + b.get();
        };

    System.out.printf(
        "corpus: %d records, %.1f MB JSON (%d B/record), %.1f MB gzip;"
            + " %d files of %d records, %.1f MB gzip; %d planted hits%n",
        RECORDS, raw.length / 1e6, raw.length / RECORDS, gz.length / 1e6, smallFiles.size(),
        SMALL_FILE_RECORDS, smallFiles.stream().mapToLong(f -> f.length).sum() / 1e6, hits);
    check("hits, 1-key registry", hotOne.run(), hits);
    check("hits, 100k-key registry", hotMany.run(), hits);
    check("hits, small files", smallOne.run(), hits);

    Case[] cases = {baseline, hotOne, hotMany, smallOne, gunzipOnly, hotOneFullParse, twoPollers, gunzipSmall};
    String[] names = {
      "baseline: gunzip + token scan",
      "hot path, 1-key registry",
      "hot path, 100k-key registry",
      "hot path, 1-key, 20-record files",
      "gunzip only (floor)",
      "hot path, 1-key, prefilter off",
      "2 pollers, 100k-key (both threads)",
      "gunzip only, 20-record files"
    };
    int[] filesPerRun = {1, 1, 1, 1, 1, 1, 2, 1};
    long end = System.nanoTime() + WARMUP_NANOS;
    while (System.nanoTime() < end) {
      for (Case c : cases) {
        c.run();
      }
    }
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long[][] nanos = new long[cases.length][ROUNDS];
    long[][] cpuNanos = new long[cases.length][ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
      for (int k = 0; k < cases.length; k++) {
        // forwards then backwards: neighbours in the list stay neighbours in time, drift cancels
        int i = round % 2 == 0 ? k : cases.length - 1 - k;
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        cases[i].run();
        nanos[i][round] = System.nanoTime() - t0;
        cpuNanos[i][round] = threads.getCurrentThreadCpuTime() - c0;
      }
    }
    long[] allocated = new long[cases.length];
    for (int i = 0; i < cases.length; i++) {
      if (filesPerRun[i] != 1) {
        allocated[i] = -1; // other threads: not measured here
        continue;
      }
      long before = threads.getCurrentThreadAllocatedBytes();
      cases[i].run();
      allocated[i] = threads.getCurrentThreadAllocatedBytes() - before;
    }

    double baseRate = rate(nanos[0]);
    System.out.printf(
        "%n%-34s %14s %14s %14s %12s %8s %12s%n",
        "case (1 thread)", "records/s med", "records/s best", "rec/CPU-s med", "JSON MB/s", "vs base",
        "alloc B/rec");
    for (int i = 0; i < cases.length; i++) {
      double r = rate(nanos[i]) * filesPerRun[i];
      double best = filesPerRun[i] * RECORDS * 1e9 / Arrays.stream(nanos[i]).min().orElseThrow();
      String perCpu = filesPerRun[i] == 1 ? String.format("%,14.0f", rate(cpuNanos[i])) : String.format("%14s", "-");
      System.out.printf(
          "%-34s %,14.0f %,14.0f %s %12.0f %8.2f %12.1f%n",
          names[i], r, best, perCpu, r * raw.length / RECORDS / 1e6, r / baseRate,
          (double) allocated[i] / RECORDS);
    }
    System.out.printf(
        "%nmedians of per-round ratios, each pair measured in the same round;"
            + " wall clock, then the thread's CPU time (steady on a shared machine):%n");
    ratio("hot path 1-key / baseline", nanos, cpuNanos, 0, 1, "target >= 1.5");
    ratio("hot path 1-key / gunzip only", nanos, cpuNanos, 4, 1, "target >= 0.7");
    ratio("hot path 100k-key / 1-key", nanos, cpuNanos, 1, 2, "target >= 0.95");
    ratio("20-record files / big file", nanos, cpuNanos, 1, 3, "per record; target >= 0.9");
    ratio("  the same for gunzip alone", nanos, cpuNanos, 4, 7, "the floor: each small file is compressed alone");
    ratio("prefilter on / off (1-key)", nanos, cpuNanos, 5, 1, "");
    System.out.printf(
        "2 pollers / 1 poller (100k-key):    %.3f  (records/s, wall clock; target >= 1.7 on 2 cores;"
            + " load average %.1f)%n",
        2 * pairedRatio(nanos[2], nanos[6]),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.printf(
        "20-record files: %,.0f files/s, %.2f KB allocated per file (target <= 2 KB)%n",
        rate(nanos[3]) / SMALL_FILE_RECORDS, allocated[3] / (double) smallFiles.size() / 1024);
    pollers.shutdown();
  }

  @FunctionalInterface
  private interface Case {
    long run() throws Exception;
  }

  private static long tokenScan(JsonFactory json, byte[] gz) throws IOException {
    long tokens = 0;
    InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz), 8192);
    try (JsonParser p = json.createParser(in)) {
      while (p.nextToken() != null) {
        tokens++;
      }
    }
    return tokens;
  }

  private static long gunzip(byte[] gz) throws IOException {
    byte[] buf = new byte[8000];
    long n = 0;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz), 8192)) {
      int r;
      while ((r = in.read(buf)) > 0) {
        n += r;
      }
    }
    return n;
  }

  private static long hotPath(CloudTrailParser parser, TokenMatcher matcher, byte[] gz)
      throws Exception {
    return hotPath(parser, matcher, matcher, gz);
  }

  private static long hotPath(
      CloudTrailParser parser, RecordFilter filter, TokenMatcher matcher, byte[] gz) throws Exception {
    long[] hits = new long[1];
    parser.parse(
        new ByteArrayInputStream(gz),
        filter,
        r -> {
          if (matcher.match(r).isPresent()) {
            hits[0]++;
          }
        });
    return hits[0];
  }

  private static void ratio(String what, long[][] wall, long[][] cpu, int a, int b, String target) {
    System.out.printf(
        "%-35s %.3f  %.3f  %s%n", what + ":", pairedRatio(wall[a], wall[b]), pairedRatio(cpu[a], cpu[b]),
        target.isEmpty() ? "" : "(" + target + ")");
  }

  private static double rate(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return RECORDS * 1e9 / sorted[sorted.length / 2];
  }

  /** Median over rounds of (rate of b / rate of a), each pair measured in the same round. */
  private static double pairedRatio(long[] a, long[] b) {
    double[] ratios = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      ratios[i] = (double) a[i] / b[i];
    }
    Arrays.sort(ratios);
    return ratios[ratios.length / 2];
  }

  private static void check(String what, long actual, long expected) {
    if (actual != expected) {
      throw new IllegalStateException(what + ": found " + actual + ", planted " + expected);
    }
  }

  /** 100,000 entries over 20 accounts of 5,000 users, as an account pool would hold them. */
  private static List<RegistryRecord> bigRegistry(Random rnd) {
    List<RegistryRecord> entries = new ArrayList<>(REGISTRY_SIZE);
    for (int i = 0; i < REGISTRY_SIZE; i++) {
      long account = 200_000_000_000L + (i / 5000) * 7_919_113L;
      String user = "svc-" + word(rnd) + "-" + (i % 5000);
      String namespace = "ns-" + (i % 700);
      entries.add(
          new RegistryRecord(
              keyId("AKIA", account, rnd),
              "AIDA" + base32(rnd, 17),
              user,
              "arn:aws:iam::" + AccessKeyId.formatAccount(account) + ":user/" + user, null,
              namespace,
              "token-" + i,
              "uid-" + i,
              "team-" + (i % 40),
              "Secret " + namespace + "/token-" + i,
              null, null,
              RegistryState.Active, null, null));
    }
    return entries;
  }

  /**
   * Fills {@code out} with an org-trail mix (event times out of order) and returns how many
   * records are ours: 64% role sessions of other accounts, 6% role sessions in the token account,
   * 15% AWS services, 15% IAM users of other accounts (1 in 20 with a token's user name), and one
   * record of ours every 5,000, its GetSessionToken before the record carrying only its minted key.
   */
  private static int syntheticRecords(
      Random rnd, List<String> accounts, List<RegistryRecord> registry, List<String> out) {
    String[] ours = {
      CloudTrailFixtures.IAM_USER,
      CloudTrailFixtures.GET_SESSION_TOKEN,
      CloudTrailFixtures.SESSION_CALL,
      CloudTrailFixtures.SESSION_KEY_ONLY
    };
    int hits = 0;
    for (int i = 0; i < RECORDS; i++) {
      int dice = rnd.nextInt(100);
      String acct = accounts.get(rnd.nextInt(accounts.size()));
      if (i % 5000 == 2500) {
        out.add(CloudTrailFixtures.fixture(ours[hits % ours.length]).replaceAll("\\n\\s*", ""));
        hits++;
      } else if (dice < 64) {
        out.add(assumedRole(rnd, acct));
      } else if (dice < 70) {
        out.add(assumedRole(rnd, CloudTrailFixtures.OUR_ACCOUNT));
      } else if (dice < 85) {
        out.add(awsService(rnd, acct));
      } else {
        String user =
            rnd.nextInt(20) == 0
                ? registry.get(rnd.nextInt(registry.size())).userName()
                : "deploy-" + word(rnd);
        out.add(iamUser(rnd, acct, user));
      }
    }
    return hits;
  }

  private static String assumedRole(Random rnd, String acct) {
    String role = "app-" + word(rnd) + "-role";
    String session =
        rnd.nextBoolean()
            ? "i-0" + hex(rnd, 16)
            : "botocore-session-" + (1_700_000_000 + rnd.nextInt(20_000_000));
    String roleId = "AROA" + base32(rnd, 17);
    String[] call = CALLS[rnd.nextInt(CALLS.length)];
    String region = REGIONS[rnd.nextInt(REGIONS.length)];
    return ASSUMED_ROLE.formatted(
        roleId + ":" + session, session, acct, role, "ASIA" + base32(rnd, 16), roleId, time(rnd),
        time(rnd), call[0], call[1], region, ip(rnd), AGENTS[rnd.nextInt(AGENTS.length)],
        params(rnd, acct, region), uuid(rnd), uuid(rnd));
  }

  private static String iamUser(Random rnd, String acct, String user) {
    String[] call = CALLS[rnd.nextInt(CALLS.length)];
    String region = REGIONS[rnd.nextInt(REGIONS.length)];
    return IAM_USER.formatted(
        "AIDA" + base32(rnd, 17), acct, user, keyId("AKIA", Long.parseLong(acct), rnd), time(rnd),
        call[0], call[1], region, ip(rnd), AGENTS[rnd.nextInt(AGENTS.length)],
        params(rnd, acct, region), uuid(rnd), uuid(rnd));
  }

  private static String awsService(Random rnd, String acct) {
    String object = "releases/" + word(rnd) + "/" + hex(rnd, 12) + ".tar.gz";
    return AWS_SERVICE.formatted(
        time(rnd), REGIONS[rnd.nextInt(REGIONS.length)], acct, object, uuid(rnd), uuid(rnd),
        uuid(rnd), uuid(rnd));
  }

  private static String params(Random rnd, String acct, String region) {
    return switch (rnd.nextInt(6)) {
      case 0 -> """
          {"instancesSet":{},"filterSet":{"items":[{"name":"tag:team",\
          "valueSet":{"items":[{"value":"%s"}]}}]}}""".formatted(word(rnd));
      case 1 -> """
          {"bucketName":"data-%1$s","Host":"data-%1$s.s3.%2$s.amazonaws.com",\
          "key":"%3$s/2024/05/14/%4$s.parquet"}""".formatted(acct, region, word(rnd), hex(rnd, 20));
      case 2 -> """
          {"keyId":"arn:aws:kms:%s:%s:key/%s","encryptionAlgorithm":"SYMMETRIC_DEFAULT"}"""
          .formatted(region, acct, uuid(rnd));
      case 3 -> """
          {"logGroupName":"/aws/lambda/%s-handler","orderBy":"LastEventTime","descending":true,\
          "limit":50}""".formatted(word(rnd));
      case 4 -> """
          {"roleArn":"arn:aws:iam::%s:role/%s-deploy","roleSessionName":"%s-%s",\
          "durationSeconds":3600}""".formatted(acct, word(rnd), word(rnd), hex(rnd, 8));
      default -> "null";
    };
  }

  /** A key id that decodes to this account (the inverse of {@link AccessKeyId#accountOf}). */
  private static String keyId(String prefix, long account, Random rnd) {
    long first48 = ((long) rnd.nextInt(2) << 47) | (account << 7) | rnd.nextInt(128);
    long bits = first48 << 2 | rnd.nextInt(4);
    StringBuilder sb = new StringBuilder(prefix);
    for (int i = 9; i >= 0; i--) {
      sb.append(B32.charAt((int) (bits >>> (5 * i)) & 31));
    }
    return sb.append(base32(rnd, 6)).toString();
  }

  private static String word(Random rnd) {
    return WORDS[rnd.nextInt(WORDS.length)];
  }

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
    return hex(rnd, 8) + "-" + hex(rnd, 4) + "-4" + hex(rnd, 3) + "-a" + hex(rnd, 3) + "-"
        + hex(rnd, 12);
  }

  private static String ip(Random rnd) {
    return (rnd.nextInt(200) + 3) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "."
        + rnd.nextInt(256);
  }

  private static String time(Random rnd) {
    return "2024-05-14T%02d:%02d:%02dZ"
        .formatted(8 + rnd.nextInt(2), rnd.nextInt(60), rnd.nextInt(60));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 6);
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 65536)) {
      gz.write(raw);
    }
    return out.toByteArray();
  }
}
