package io.spacecrab.token;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spacecrab.api.SpaceCrab;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.config.OperatorConfig;
import io.spacecrab.kube.OwnSecret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IAM user name of each token. A name is fixed once known: the name the token was issued
 * under ({@code status.userName}), else {@code spec.userName}. Otherwise it is generated, in the
 * style of the account's own users ({@code --user-name-template=auto}, the default) or from a
 * template, deterministically from the token's identity so that a retry after a crash finds the
 * same user; attempts 1, 2, … give further names when one is taken by someone else.
 */
public final class UserNames {
  private static final Logger log = LoggerFactory.getLogger(UserNames.class);
  static final String DATA_KEY = "names";

  private final OperatorConfig config;
  private final UserNameStyle style;
  private final UserNameTemplate template;

  private UserNames(OperatorConfig config, UserNameStyle style, UserNameTemplate template) {
    this.config = config;
    this.style = style;
    this.template = template;
  }

  /** Names from a template ({@code --user-name-template} other than auto), or in this style. */
  public static UserNames of(OperatorConfig config, UserNameStyle style) {
    return config.userNameTemplate().equals("auto") ? new UserNames(config, style, null)
        : new UserNames(config, null, new UserNameTemplate(config.userNameTemplate(), config.userNameWords()));
  }

  /**
   * The style kept in {@code --user-name-style-secret}; when that Secret does not exist yet, the
   * style of {@code accountNames} (the account's users, listed at start-up), kept there so that it
   * survives restarts. With no list (IAM unreadable at start-up) the style is learned but not kept.
   */
  public static UserNameStyle loadOrLearn(KubernetesClient client, OperatorConfig config, List<String> accountNames) {
    String name = config.userNameStyleSecret();
    Secret kept = OwnSecret.read(client, config.namespace(), name);
    if (kept == null && accountNames != null) {
      UserNameStyle learned = UserNameStyle.learn(accountNames);
      kept = OwnSecret.readOrCreate(client, config.namespace(), name, () -> Map.of(DATA_KEY,
          Base64.getEncoder().encodeToString(learned.text().getBytes(StandardCharsets.UTF_8))));
      log.info("learned the style of {} IAM user names of the account", accountNames.size());
    }
    String encoded = kept == null || kept.getData() == null ? null : kept.getData().get(DATA_KEY);
    if (encoded == null) {
      return UserNameStyle.learn(accountNames == null ? List.of() : accountNames);
    }
    return UserNameStyle.parse(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
  }

  /**
   * The name this token's user has for good, or null while it is still to be generated: the name it
   * was issued under (whatever the spec says now: a spec.userName added or changed later never
   * moves the token to a second user), else {@code spec.userName}.
   */
  public String fixed(HoneyToken token) {
    if (token.getStatus() != null && token.getStatus().getUserName() != null) {
      return token.getStatus().getUserName();
    }
    if (token.getSpec() != null && token.getSpec().getUserName() != null) {
      return token.getSpec().getUserName();
    }
    return adopted(token, SpaceCrab.ADOPT_USER_ANNOTATION);
  }

  /**
   * The uid of the earlier child whose user and key this token takes over (see
   * {@link SpaceCrab#ADOPT_UID_ANNOTATION}); null for any other token.
   */
  public String adoptedUid(HoneyToken token) {
    return adopted(token, SpaceCrab.ADOPT_UID_ANNOTATION);
  }

  private String adopted(HoneyToken token, String annotation) {
    var annotations = token.getMetadata().getAnnotations();
    if (annotations == null || !config.securityNamespace().equals(token.getMetadata().getNamespace())) {
      return null;
    }
    String value = annotations.get(annotation);
    return value == null || value.isBlank() ? null : value;
  }

  /** The generated name of this attempt (0 first). */
  public String generated(HoneyToken token, int attempt) {
    var meta = token.getMetadata();
    if (template != null) {
      return template.render(config.clusterId(), meta.getNamespace(), meta.getName(), meta.getUid(), attempt);
    }
    return style.render(config.clusterId() + "/" + meta.getNamespace() + "/" + meta.getName() + "/" + meta.getUid(),
        attempt);
  }
}
