package io.spacecrab.config;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Validated configuration of the jar, shared by both modes. Built once at start-up. */
public record OperatorConfig(
    String clusterId,
    String awsRegion,
    URI awsEndpoint,
    String registryTable,
    String permissionsBoundaryArn,
    String iamPath,
    String userNameTemplate,
    String namespace,
    String alertNamespace,
    int reconcileConcurrency,
    Duration recheckInterval,
    Duration tombstoneRetention,
    String secretLabelKey,
    String secretLabelValue,
    String sealKeySecret,
    String queueUrl,
    int queueWaitSeconds,
    int detectorConcurrency,
    Duration quietWindow,
    Duration registryRefresh,
    int metricsPort,
    Duration deliveryBackoff,
    Duration deliveryBackoffCap,
    Duration deliveryConnectTimeout,
    Duration deliveryReadTimeout,
    Duration deliveryDeadline,
    double iamCallsPerSecond,
    int iamBurst,
    int maxIamUsers,
    int kubeWritesPerSecond,
    int kubeWriteBurst,
    boolean serverSideApply,
    boolean leaderElection,
    String leaderElectionLease,
    Set<String> watchNamespaces,
    String ownershipTagKey,
    String ownershipTagValue,
    String denyPolicyName,
    String securityNamespace,
    String fieldManager,
    List<String> userNameWords,
    String userNameStyleSecret,
    int creationBurst,
    Duration creationWindow,
    Duration creationSpacing,
    boolean allowNewSealKey,
    int maxTokensPerNamespace,
    Duration trailGrace,
    String logBucket,
    String logPrefix,
    Duration sweepInterval,
    String sweepLease,
    String deadLetterQueueUrl,
    Duration selfTestInterval,
    Duration selfTestDeadlineS3,
    Duration selfTestDeadlineEventBridge) {

  /** Every setting, its default and what it means; printed by --help and checked for typos. */
  public static final Map<String, String[]> OPTIONS = new java.util.LinkedHashMap<>();

  static {
    option("cluster-id", null, "Name of this cluster, written to IAM tags and the registry (required).");
    option("aws-region", null, "AWS region of IAM/STS/DynamoDB clients (required).");
    option("aws-endpoint", null, "Endpoint override for all AWS clients, for emulators (http(s)://host:port).");
    option("registry-table", "spacecrab-registry", "DynamoDB table of token records.");
    option("permissions-boundary-arn", null, "Managed policy ARN set as the permissions boundary of every token user.");
    option("iam-path", "/", "IAM path of token users; starts and ends with '/'.");
    option("user-name-template", "auto",
        "IAM user names: auto (in the style of the account's own users, learned once and kept in --user-name-style-secret)"
            + " or a template of {word} (one of --user-name-words), {hash} (8 hex chars), {namespace}, {name}.");
    option("user-name-words", null, "Comma-separated words for {word} in --user-name-template (default: 16 service words).");
    option("user-name-style-secret", "operator-user-names",
        "Secret in --namespace keeping a sample of the account's user names, the style auto names follow.");
    option("namespace", "spacecrab-system", "Namespace the operator runs in (its seal key Secret lives here).");
    option("alert-namespace", null, "Namespace of HoneyTokenAlert objects (default: --namespace).");
    option("reconcile-concurrency", "4", "HoneyToken reconcile threads (1-64).");
    option("recheck-interval", "PT6H", "How often each token is re-checked against IAM for drift and for IAM's record of its key's last use (ISO-8601, >= PT1S).");
    option("trail-grace", "PT1H",
        "How long after the time IAM reports for a key's last use CloudTrail's record of it may still arrive; past it a use"
            + " no CloudTrail-derived alert covers raises a UsedWithoutTrail alert (ISO-8601, >= PT1S).");
    option("self-test-interval", "PT15M",
        "How often the operator uses its self-test key (sts:GetCallerIdentity) to prove that CloudTrail uses reach the"
            + " detector (PipelineHealth self-test); PT0S turns the self-test off (ISO-8601).");
    option("self-test-deadline-s3", "PT20M",
        "How long after a self-test call the detector must have read it from a CloudTrail log file before the S3 path"
            + " counts as down (CloudTrail delivers log files about 5 minutes after a call; ISO-8601, >= PT1S).");
    option("self-test-deadline-eventbridge", "PT5M",
        "How long after a self-test call the detector must have read it from an EventBridge event before that path"
            + " counts as down (ISO-8601, >= PT1S).");
    option("tombstone-retention", "P400D", "How long a deleted token's registry record keeps alerting (ISO-8601).");
    option("secret-label", "app.kubernetes.io/component=credentials",
        "key=value label the operator puts on the Secrets it writes and watches.");
    option("seal-key-secret", "operator-seal-key",
        "Secret in --namespace holding the AES key that seals key copies in the registry; created if missing.");
    option("allow-new-seal-key", "false",
        "Create a new seal key although the registry holds keys sealed with a lost one (every such key is then replaced).");
    option("queue-url", null, "Detector: URL of the SQS queue of CloudTrail notifications (required in detector mode).");
    option("queue-wait-seconds", "20", "Detector: SQS long-poll wait (1-20).");
    option("detector-concurrency", "2", "Detector: queue pollers, each handling a batch of up to 10 messages (1-32).");
    option("quiet-window", "PT1H", "Detector: uses of one token no further apart than this are one incident (one alert), whatever order they arrive in.");
    option("registry-refresh", "PT1M", "Detector: how often the in-memory registry is re-read.");
    option("dead-letter-queue-url", null,
        "Detector: URL of the queue's dead-letter queue, whose depth spacecrab_detector_queue_messages reports.");
    option("log-bucket", null,
        "Detector: the trail's S3 bucket. Set, the detector holding --sweep-lease lists the log files written since its"
            + " last sweep and reads those no notification brought, so a lost notification loses no use.");
    option("log-prefix", null, "Detector: the trail's S3 key prefix (the part before AWSLogs/), if it has one.");
    option("sweep-interval", "PT5M",
        "Detector: how often the log bucket is swept; a file is swept once it is this old (>= PT1S).");
    option("sweep-lease", "spacecrab-detector-sweep",
        "Detector: the Lease in --namespace whose holder sweeps, and the ConfigMap of that name that keeps the sweep's"
            + " mark and the log files the replicas finished with.");
    option("delivery-backoff", "PT5S",
        "Longest wait before the first retry of a failed alert delivery (full jitter: a random wait up to it); doubles per failure.");
    option("delivery-backoff-cap", "PT15M", "Longest wait before any retry of a failed alert delivery.");
    option("delivery-connect-timeout", "PT5S", "Longest wait to connect to an alert sink (TLS included) or to SES.");
    option("delivery-read-timeout", "PT10S",
        "Longest wait for an alert sink's response headers (SES: the longest silence on the connection).");
    option("delivery-deadline", "PT20S",
        "Longest one delivery attempt may take in all, body included; also bounds each SES call (>= the timeouts).");
    option("metrics-port", "8080", "Port of /metrics (Prometheus) and /healthz; 0 turns it off.");
    option("iam-calls-per-second", "5", "IAM calls per second the operator makes at most, shared by all threads (0.1-100).");
    option("iam-burst", "5", "IAM calls the budget may make at once after being idle (1-100).");
    option("kube-writes-per-second", "50", "Kubernetes API writes per second the operator makes at most, all threads together (1-1000).");
    option("kube-write-burst", "100", "Kubernetes API writes the operator may make at once after being idle (1-1000).");
    option("max-tokens-per-namespace", "20",
        "IAM users the HoneyTokens of one namespace may hold (the security namespace has no limit), so that a tenant"
            + " allowed to create HoneyTokens cannot use up the account's users (1-5000).");
    option("max-iam-users", "5000", "IAM users the account may hold; tokens beyond it report AccountQuotaExceeded (1-5000).");
    option("server-side-apply", "true",
        "Write the operator's own objects with server-side apply; false only for API servers without it (the tests' mock server).");
    option("leader-election", "false",
        "Reconcile only while holding the Lease --leader-election-lease in --namespace (needed for more than one replica).");
    option("leader-election-lease", "spacecrab-operator", "Name of the leader-election Lease in --namespace.");
    option("creation-burst", "3", "New IAM users created at once in any --creation-window; more are spread out (1-100).");
    option("creation-window", "PT10M", "The window --creation-burst counts in (ISO-8601).");
    option("creation-spacing", "PT30S",
        "Mean gap between new IAM users beyond the burst (random, 0.5-1.5 x), so that a rollout does not create"
            + " many users at once; PT0S creates them as fast as the IAM budget allows.");
    option("ownership-tag-key", "team",
        "Key of the one IAM tag that marks the users this cluster's operator owns (the CloudFormation stack's OwnershipTagKey).");
    option("ownership-tag-value", null, "Value of that tag (default: --cluster-id).");
    option("deny-policy-name", "default", "Name of the inline deny-all policy of every token user.");
    option("security-namespace", null,
        "Namespace of the HoneyTokens that plant Secrets in other namespaces (ClusterHoneyToken children, the security"
            + " team's own tokens); tenants cannot read it (default: --namespace).");
    option("field-manager", "kubectl-create",
        "Name the API server records as the writer of the Secrets (managedFields); an ordinary one, since tenants see it.");
    option("watch-namespaces", null,
        "Comma-separated namespaces whose HoneyTokens and Secrets the operator handles (default: every namespace);"
            + " ClusterHoneyTokens then select only among these.");
  }

  private static final Pattern REGION = Pattern.compile("^[a-z]{2}(-[a-z]+)+-\\d$");
  private static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");
  private static final Pattern IAM_PATH = Pattern.compile("^/([\\x21-\\x7E]{0,510}/)?$");
  private static final Pattern TABLE = Pattern.compile("^[a-zA-Z0-9_.-]{3,255}$");
  private static final Pattern BOUNDARY = Pattern.compile("^arn:aws[a-z-]*:iam::(\\d{12}|aws):policy/.+$");
  private static final Pattern LABEL_KEY =
      Pattern.compile("^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$");
  private static final Pattern LABEL_VALUE = Pattern.compile("^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$");
  private static final Pattern IAM_TAG = Pattern.compile("^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}$");
  private static final Set<String> TELL_TALE = Set.of("honey", "canary", "decoy", "trap", "spacecrab");

  private static void option(String name, String dflt, String help) {
    OPTIONS.put(name, new String[] {dflt, help});
  }

  /** Parses and validates; throws {@link ConfigException} listing every problem. */
  public static OperatorConfig load(String[] args, Map<String, String> env) {
    Settings s = Settings.from(args, env);
    List<String> problems = new ArrayList<>(s.problems());
    for (String name : s.names()) {
      if (!OPTIONS.containsKey(name) && !name.equals("mode")) {
        problems.add("unknown setting '" + name + "'");
      }
    }
    String clusterId = value(s, "cluster-id");
    if (clusterId == null) {
      problems.add("cluster-id is required (--cluster-id or SPACECRAB_CLUSTER_ID)");
    } else if (!DNS_LABEL.matcher(clusterId).matches()) {
      problems.add("cluster-id '" + clusterId + "' must be a DNS label (lower case, digits, '-', at most 63)");
    }
    String region = value(s, "aws-region");
    if (region == null) {
      problems.add("aws-region is required (--aws-region or SPACECRAB_AWS_REGION)");
    } else if (!REGION.matcher(region).matches()) {
      problems.add("aws-region '" + region + "' is not a region name such as eu-west-1");
    }
    URI endpoint = null;
    String endpointText = value(s, "aws-endpoint");
    if (endpointText != null) {
      try {
        endpoint = URI.create(endpointText);
        if (endpoint.getHost() == null || !List.of("http", "https").contains(endpoint.getScheme())) {
          problems.add("aws-endpoint '" + endpointText + "' must be an http(s)://host:port URL");
        }
      } catch (IllegalArgumentException e) {
        problems.add("aws-endpoint '" + endpointText + "' is not a URL");
      }
    }
    String table = value(s, "registry-table");
    if (!TABLE.matcher(table).matches()) {
      problems.add("registry-table '" + table + "' is not a DynamoDB table name");
    }
    String boundary = value(s, "permissions-boundary-arn");
    if (boundary != null && !BOUNDARY.matcher(boundary).matches()) {
      problems.add("permissions-boundary-arn '" + boundary + "' is not an IAM managed policy ARN");
    }
    String path = value(s, "iam-path");
    if (!IAM_PATH.matcher(path).matches()) {
      problems.add("iam-path '" + path + "' must start and end with '/'");
    } else if (tellTale(path)) {
      problems.add("iam-path '" + path + "' names what the key is; attackers read it from AccessDenied errors");
    }
    String template = value(s, "user-name-template");
    if (template.equals("auto")) {
      // learned from the account
    } else if (!template.contains("{hash}") && !template.contains("{name}")) {
      problems.add("user-name-template must contain {hash} or {name} so that every token gets its own user");
    } else if (tellTale(template)) {
      problems.add("user-name-template names what the key is; attackers read user names from AccessDenied errors");
    } else if (!template.replaceAll("\\{(word|hash|namespace|name)}", "a").matches("[A-Za-z0-9+=,.@_-]+")) {
      problems.add("user-name-template may hold only IAM name characters and {word} {hash} {namespace} {name}");
    }
    String namespace = value(s, "namespace");
    if (!DNS_LABEL.matcher(namespace).matches()) {
      problems.add("namespace '" + namespace + "' is not a namespace name");
    }
    String alertNamespace = s.get("alert-namespace") == null ? namespace : s.get("alert-namespace");
    if (!DNS_LABEL.matcher(alertNamespace).matches()) {
      problems.add("alert-namespace '" + alertNamespace + "' is not a namespace name");
    }
    int concurrency = 0;
    try {
      concurrency = Integer.parseInt(value(s, "reconcile-concurrency"));
      if (concurrency < 1 || concurrency > 64) {
        problems.add("reconcile-concurrency must be between 1 and 64");
      }
    } catch (NumberFormatException e) {
      problems.add("reconcile-concurrency '" + value(s, "reconcile-concurrency") + "' is not a number");
    }
    Duration recheck = duration(s, "recheck-interval", problems);
    if (recheck != null && recheck.compareTo(Duration.ofSeconds(1)) < 0) {
      problems.add("recheck-interval must be at least PT1S (each re-check costs 7 IAM calls per token)");
    }
    Duration trailGrace = duration(s, "trail-grace", problems);
    if (trailGrace != null && trailGrace.compareTo(Duration.ofSeconds(1)) < 0) {
      problems.add("trail-grace must be at least PT1S");
    }
    Duration selfTestInterval = null;
    try {
      selfTestInterval = Duration.parse(value(s, "self-test-interval"));
      if (selfTestInterval.isNegative() || (!selfTestInterval.isZero() && selfTestInterval.compareTo(Duration.ofSeconds(1)) < 0)) {
        problems.add("self-test-interval must be PT0S (off) or at least PT1S");
      }
    } catch (DateTimeParseException e) {
      problems.add("self-test-interval '" + value(s, "self-test-interval") + "' is not an ISO-8601 duration such as PT15M");
    }
    Duration deadlineS3 = duration(s, "self-test-deadline-s3", problems);
    Duration deadlineEventBridge = duration(s, "self-test-deadline-eventbridge", problems);
    for (var d : new Object[][] {{"self-test-deadline-s3", deadlineS3}, {"self-test-deadline-eventbridge", deadlineEventBridge}}) {
      if (d[1] != null && ((Duration) d[1]).compareTo(Duration.ofSeconds(1)) < 0) {
        problems.add(d[0] + " must be at least PT1S");
      }
    }
    Duration tombstone = duration(s, "tombstone-retention", problems);
    String label = value(s, "secret-label");
    String labelKey = null;
    String labelValue = null;
    int eq = label.indexOf('=');
    if (eq <= 0) {
      problems.add("secret-label '" + label + "' must look like key=value");
    } else {
      labelKey = label.substring(0, eq);
      labelValue = label.substring(eq + 1);
      if (!LABEL_KEY.matcher(labelKey).matches() || !LABEL_VALUE.matcher(labelValue).matches()) {
        problems.add("secret-label '" + label + "' is not a valid Kubernetes label");
      } else if (tellTale(label)) {
        problems.add("secret-label '" + label + "' names what the Secret is; anyone who can read it sees labels");
      }
    }
    List<String> words = new ArrayList<>();
    String wordList = value(s, "user-name-words");
    if (wordList != null) {
      for (String w : wordList.split(",")) {
        if (w.isBlank()) {
          continue;
        }
        if (!w.trim().matches("[A-Za-z0-9+=,.@_-]{1,40}") || tellTale(w)) {
          problems.add("user-name-words: '" + w.trim() + "' is not a plain IAM name word");
        }
        words.add(w.trim());
      }
    }
    String styleSecret = value(s, "user-name-style-secret");
    if (!styleSecret.matches("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")) {
      problems.add("user-name-style-secret '" + styleSecret + "' is not a Secret name");
    }
    String sealKeySecret = value(s, "seal-key-secret");
    if (!sealKeySecret.matches("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")) {
      problems.add("seal-key-secret '" + sealKeySecret + "' is not a Secret name");
    }
    String queueUrl = value(s, "queue-url");
    if (queueUrl != null && !queueUrl.matches("^https?://.+")) {
      problems.add("queue-url '" + queueUrl + "' is not an SQS queue URL");
    }
    int queueWait = number(s, "queue-wait-seconds", 1, 20, problems);
    int detectorConcurrency = number(s, "detector-concurrency", 1, 32, problems);
    Duration quietWindow = duration(s, "quiet-window", problems);
    Duration registryRefresh = duration(s, "registry-refresh", problems);
    int metricsPort = number(s, "metrics-port", 0, 65535, problems);
    String deadLetterQueueUrl = value(s, "dead-letter-queue-url");
    if (deadLetterQueueUrl != null && !deadLetterQueueUrl.matches("^https?://.+")) {
      problems.add("dead-letter-queue-url '" + deadLetterQueueUrl + "' is not an SQS queue URL");
    }
    String logBucket = value(s, "log-bucket");
    if (logBucket != null && !logBucket.matches("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")) {
      problems.add("log-bucket '" + logBucket + "' is not an S3 bucket name");
    }
    String logPrefix = value(s, "log-prefix");
    logPrefix = logPrefix == null ? "" : logPrefix.replaceAll("^/+|/+$", "");
    logPrefix = logPrefix.isEmpty() ? "" : logPrefix + "/";
    Duration sweepInterval = duration(s, "sweep-interval", problems);
    String sweepLease = value(s, "sweep-lease");
    if (!DNS_LABEL.matcher(sweepLease).matches()) {
      problems.add("sweep-lease '" + sweepLease + "' is not a Lease name");
    }
    Duration deliveryBackoff = duration(s, "delivery-backoff", problems);
    Duration deliveryBackoffCap = duration(s, "delivery-backoff-cap", problems);
    Duration deliveryConnect = duration(s, "delivery-connect-timeout", problems);
    Duration deliveryRead = duration(s, "delivery-read-timeout", problems);
    Duration deliveryDeadline = duration(s, "delivery-deadline", problems);
    if (positive(deliveryBackoff) && positive(deliveryBackoffCap)
        && (deliveryBackoff.toMillis() < 1 || deliveryBackoffCap.compareTo(deliveryBackoff) < 0)) {
      problems.add("delivery-backoff must be at least 1 ms and not longer than delivery-backoff-cap");
    }
    // the deadline covers the whole attempt: shorter than a timeout inside it, that timeout could never fire
    if (positive(deliveryConnect) && positive(deliveryRead) && positive(deliveryDeadline)
        && (deliveryDeadline.compareTo(deliveryConnect) < 0 || deliveryDeadline.compareTo(deliveryRead) < 0)) {
      problems.add("delivery-deadline must not be shorter than delivery-connect-timeout or delivery-read-timeout");
    }
    double iamRate = 0;
    try {
      iamRate = Double.parseDouble(value(s, "iam-calls-per-second"));
      if (!(iamRate >= 0.1 && iamRate <= 100)) {
        problems.add("iam-calls-per-second must be between 0.1 and 100");
      }
    } catch (NumberFormatException e) {
      problems.add("iam-calls-per-second '" + value(s, "iam-calls-per-second") + "' is not a number");
    }
    int iamBurst = number(s, "iam-burst", 1, 100, problems);
    int maxIamUsers = number(s, "max-iam-users", 1, 5000, problems);
    int kubeWrites = number(s, "kube-writes-per-second", 1, 1000, problems);
    int kubeBurst = number(s, "kube-write-burst", 1, 1000, problems);
    boolean serverSideApply = bool(s, "server-side-apply", problems);
    boolean leaderElection = bool(s, "leader-election", problems);
    String lease = value(s, "leader-election-lease");
    if (!DNS_LABEL.matcher(lease).matches()) {
      problems.add("leader-election-lease '" + lease + "' is not a Lease name");
    }
    Set<String> watchNamespaces = new java.util.TreeSet<>();
    String watched = value(s, "watch-namespaces");
    if (watched != null) {
      for (String ns : watched.split(",")) {
        if (ns.isBlank()) {
          continue;
        }
        if (!DNS_LABEL.matcher(ns.trim()).matches()) {
          problems.add("watch-namespaces: '" + ns.trim() + "' is not a namespace name");
        }
        watchNamespaces.add(ns.trim());
      }
    }
    String tagKey = value(s, "ownership-tag-key");
    if (!IAM_TAG.matcher(tagKey).matches() || tagKey.toLowerCase(java.util.Locale.ROOT).startsWith("aws:")) {
      problems.add("ownership-tag-key '" + tagKey + "' is not an IAM tag key (1-128 letters, digits, spaces, _.:/=+-@; not aws:)");
    } else if (tellTale(tagKey)) {
      problems.add("ownership-tag-key '" + tagKey + "' names what the user is; anyone with IAM read sees tags");
    }
    String tagValue = s.get("ownership-tag-value") == null ? clusterId : s.get("ownership-tag-value");
    if (tagValue != null && (!IAM_TAG.matcher(tagValue).matches() || tagValue.length() > 256)) {
      problems.add("ownership-tag-value '" + tagValue + "' is not an IAM tag value");
    } else if (tagValue != null && tellTale(tagValue)) {
      problems.add("ownership-tag-value '" + tagValue + "' names what the user is; anyone with IAM read sees tags");
    }
    String denyPolicyName = value(s, "deny-policy-name");
    if (!denyPolicyName.matches("^[\\w+=,.@-]{1,128}$")) {
      problems.add("deny-policy-name '" + denyPolicyName + "' is not an IAM policy name");
    } else if (tellTale(denyPolicyName)) {
      problems.add("deny-policy-name '" + denyPolicyName + "' names what the user is; anyone with IAM read sees it");
    }
    String securityNamespace = s.get("security-namespace") == null ? namespace : s.get("security-namespace");
    if (!DNS_LABEL.matcher(securityNamespace).matches()) {
      problems.add("security-namespace '" + securityNamespace + "' is not a namespace name");
    }
    String fieldManager = value(s, "field-manager");
    if (!fieldManager.matches("^[A-Za-z0-9][-A-Za-z0-9_.]{0,127}$")) {
      problems.add("field-manager '" + fieldManager + "' must be 1-128 letters, digits, '-', '_' or '.'");
    } else if (tellTale(fieldManager)) {
      problems.add("field-manager '" + fieldManager + "' names the product; anyone who can read a Secret sees it");
    }
    if (!watchNamespaces.isEmpty() && !watchNamespaces.contains(securityNamespace)) {
      problems.add("watch-namespaces must include the security namespace '" + securityNamespace + "'");
    }
    boolean allowNewSealKey = bool(s, "allow-new-seal-key", problems);
    int maxTokensPerNamespace = number(s, "max-tokens-per-namespace", 1, 5000, problems);
    int creationBurst = number(s, "creation-burst", 1, 100, problems);
    Duration creationWindow = duration(s, "creation-window", problems);
    Duration creationSpacing = null;
    try {
      creationSpacing = Duration.parse(value(s, "creation-spacing"));
      if (creationSpacing.isNegative()) {
        problems.add("creation-spacing must not be negative");
      }
    } catch (DateTimeParseException e) {
      problems.add("creation-spacing '" + value(s, "creation-spacing") + "' is not an ISO-8601 duration such as PT30S");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new OperatorConfig(clusterId, region, endpoint, table, boundary, path, template, namespace,
        alertNamespace, concurrency, recheck, tombstone, labelKey, labelValue, sealKeySecret, queueUrl, queueWait,
        detectorConcurrency, quietWindow, registryRefresh, metricsPort, deliveryBackoff, deliveryBackoffCap,
        deliveryConnect, deliveryRead, deliveryDeadline, iamRate, iamBurst, maxIamUsers,
        kubeWrites, kubeBurst, serverSideApply, leaderElection, lease, Set.copyOf(watchNamespaces),
        tagKey, tagValue, denyPolicyName, securityNamespace, fieldManager, List.copyOf(words), styleSecret,
        creationBurst, creationWindow, creationSpacing, allowNewSealKey, maxTokensPerNamespace, trailGrace,
        logBucket, logPrefix, sweepInterval, sweepLease, deadLetterQueueUrl,
        selfTestInterval, deadlineS3, deadlineEventBridge);
  }

  /** True when the operator runs its end-to-end self-test ({@code --self-test-interval} not PT0S). */
  public boolean selfTestEnabled() {
    return selfTestInterval != null && !selfTestInterval.isZero();
  }

  /** True when the operator handles every namespace ({@code --watch-namespaces} not set). */
  public boolean watchesAllNamespaces() {
    return watchNamespaces.isEmpty();
  }

  /** True when the operator handles HoneyTokens and Secrets in this namespace. */
  public boolean watches(String namespace) {
    return watchNamespaces.isEmpty() || watchNamespaces.contains(namespace);
  }

  /** Text for --help. */
  public static String help() {
    StringBuilder b = new StringBuilder();
    OPTIONS.forEach((name, v) -> b.append(String.format("  --%-26s %s%s%n", name, v[1],
        v[0] == null ? "" : " Default: " + v[0] + ".")));
    b.append("  Every flag can also be set as an environment variable: --aws-region -> SPACECRAB_AWS_REGION.\n");
    return b.toString();
  }

  private static String value(Settings s, String name) {
    String v = s.get(name);
    return v != null ? v : OPTIONS.get(name)[0];
  }

  private static int number(Settings s, String name, int min, int max, List<String> problems) {
    String v = value(s, name);
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        problems.add(name + " must be between " + min + " and " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      problems.add(name + " '" + v + "' is not a number");
      return 0;
    }
  }

  private static boolean bool(Settings s, String name, List<String> problems) {
    String v = value(s, name).toLowerCase(java.util.Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      problems.add(name + " '" + v + "' must be true or false");
    }
    return v.equals("true");
  }

  /** The detector mode needs a queue; the operator mode does not. */
  public void requireQueue() {
    if (queueUrl == null) {
      throw new ConfigException(List.of("queue-url is required in detector mode (--queue-url or SPACECRAB_QUEUE_URL)"));
    }
  }

  private static Duration duration(Settings s, String name, List<String> problems) {
    String v = value(s, name);
    try {
      Duration d = Duration.parse(v);
      if (d.isNegative() || d.isZero()) {
        problems.add(name + " must be positive");
      }
      return d;
    } catch (DateTimeParseException e) {
      problems.add(name + " '" + v + "' is not an ISO-8601 duration such as PT6H");
      return null;
    }
  }

  /** A duration that parsed and is above zero (problems with it are reported by {@link #duration}). */
  private static boolean positive(Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }

  private static boolean tellTale(String text) {
    String lower = text.toLowerCase();
    return TELL_TALE.stream().anyMatch(lower::contains);
  }
}
