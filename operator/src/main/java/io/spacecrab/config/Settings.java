package io.spacecrab.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Raw key/value settings from command-line flags ({@code --aws-region=eu-west-1}) over environment
 * variables ({@code SPACECRAB_AWS_REGION}). Flags win.
 */
public final class Settings {
  public static final String ENV_PREFIX = "SPACECRAB_";

  private final Map<String, String> values;
  private final List<String> problems;

  private Settings(Map<String, String> values, List<String> problems) {
    this.values = values;
    this.problems = problems;
  }

  /** Reads flags of the form --name=value or --name value; unknown shapes become problems. */
  public static Settings from(String[] args, Map<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    env.forEach((k, v) -> {
      if (k.startsWith(ENV_PREFIX)) {
        values.put(k.substring(ENV_PREFIX.length()).toLowerCase().replace('_', '-'), v);
      }
    });
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        problems.add("unexpected argument '" + arg + "' (flags look like --name=value)");
        continue;
      }
      int eq = arg.indexOf('=');
      if (eq > 0) {
        values.put(arg.substring(2, eq), arg.substring(eq + 1));
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        values.put(arg.substring(2), args[++i]);
      } else {
        problems.add("flag " + arg + " needs a value");
      }
    }
    return new Settings(values, problems);
  }

  public String get(String name) {
    String v = values.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  public java.util.Set<String> names() {
    return values.keySet();
  }

  List<String> problems() {
    return problems;
  }
}
