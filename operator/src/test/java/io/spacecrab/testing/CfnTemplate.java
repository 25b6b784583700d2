package io.spacecrab.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.Constructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * {@code cloudformation/spacecrab.yaml} parsed (short-form tags become the long form, as
 * CloudFormation reads them) and resolved for one set of parameters: conditions, Ref, Fn::GetAtt,
 * Fn::Sub, Fn::If, Fn::Join and AWS::NoValue, the functions the template uses. What a resource
 * reference resolves to is the caller's: the physical ids of a deployed stack.
 */
public final class CfnTemplate {
  /** The marker AWS::NoValue resolves to; it vanishes from the lists and maps around it. */
  public static final Object NO_VALUE = new Object() {
    @Override
    public String toString() {
      return "AWS::NoValue";
    }
  };
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]+)}");
  private static final List<String> FUNCTIONS = List.of("Sub", "GetAtt", "If", "Equals", "Not", "And", "Or",
      "Join", "Select", "Split", "FindInMap", "Base64", "Cidr", "ImportValue", "GetAZs");

  private final Map<String, Object> raw;
  private final Map<String, String> parameters = new LinkedHashMap<>();
  private final Map<String, String> pseudo;
  private final BiFunction<String, String, String> resources;
  private final Map<String, Boolean> conditions = new HashMap<>();

  /**
   * @param raw the parsed template ({@link #load})
   * @param parameters values that replace the parameters' defaults
   * @param pseudo AWS::AccountId, AWS::Region, AWS::Partition, AWS::StackName...
   * @param resources (logical id, attribute) to value; attribute "Ref" for Ref
   */
  public CfnTemplate(Map<String, Object> raw, Map<String, String> parameters, Map<String, String> pseudo,
      BiFunction<String, String, String> resources) {
    this.raw = raw;
    this.pseudo = Map.copyOf(pseudo);
    this.resources = resources;
    section("Parameters").forEach((name, spec) -> {
      Object dflt = ((Map<?, ?>) spec).get("Default");
      this.parameters.put(name, dflt == null ? "" : String.valueOf(dflt));
    });
    parameters.forEach((name, value) -> {
      if (!this.parameters.containsKey(name)) {
        throw new IllegalArgumentException("the template has no parameter " + name);
      }
      this.parameters.put(name, value);
    });
  }

  /** cloudformation/spacecrab.yaml of this checkout. */
  public static Path file() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("cloudformation/spacecrab.yaml");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("no cloudformation/spacecrab.yaml above " + Path.of("").toAbsolutePath());
  }

  /** The template as maps and lists, intrinsic functions in their long form ({"Fn::Sub": ...}). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> load(Path file) {
    try {
      return (Map<String, Object>) new Yaml(new IntrinsicConstructor()).load(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The template as JSON (CloudFormation takes it so). */
  public static String json(Map<String, Object> template) {
    try {
      return JSON.writeValueAsString(template);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Map<String, String> parameters() {
    return Map.copyOf(parameters);
  }

  @SuppressWarnings("unchecked")
  public Map<String, Object> section(String name) {
    return (Map<String, Object>) raw.getOrDefault(name, Map.of());
  }

  /** The definition of a resource as written. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> resource(String logicalId) {
    Map<String, Object> r = (Map<String, Object>) section("Resources").get(logicalId);
    if (r == null) {
      throw new IllegalArgumentException("no resource " + logicalId);
    }
    return r;
  }

  public String type(String logicalId) {
    return (String) resource(logicalId).get("Type");
  }

  /** The resolved properties of a resource. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> properties(String logicalId) {
    Object props = resource(logicalId).get("Properties");
    return props == null ? Map.of() : (Map<String, Object>) resolve(props);
  }

  /** The resources this parameter set creates, in template order. */
  public List<String> resources() {
    List<String> ids = new ArrayList<>();
    for (String id : section("Resources").keySet()) {
      Object condition = resource(id).get("Condition");
      if (condition == null || condition((String) condition)) {
        ids.add(id);
      }
    }
    return ids;
  }

  public boolean condition(String name) {
    Boolean known = conditions.get(name);
    if (known == null) {
      Object definition = section("Conditions").get(name);
      if (definition == null) {
        throw new IllegalArgumentException("no condition " + name);
      }
      known = evalCondition(definition);
      conditions.put(name, known);
    }
    return known;
  }

  private boolean evalCondition(Object node) {
    Map.Entry<String, Object> fn = single(node);
    List<?> args = fn.getValue() instanceof List<?> l ? l : List.of(fn.getValue());
    return switch (fn.getKey()) {
      case "Fn::Equals" -> String.valueOf(resolve(args.get(0))).equals(String.valueOf(resolve(args.get(1))));
      case "Fn::Not" -> !evalCondition(args.get(0));
      case "Fn::And" -> args.stream().allMatch(this::evalCondition);
      case "Fn::Or" -> args.stream().anyMatch(this::evalCondition);
      case "Condition" -> condition((String) fn.getValue());
      default -> throw new IllegalArgumentException("unsupported condition function " + fn.getKey());
    };
  }

  /** Resources a fragment refers to (Ref, Fn::GetAtt, ${X} and ${X.Attr} in Fn::Sub), in the branches taken. */
  public Set<String> references(Object node) {
    Set<String> found = new LinkedHashSet<>();
    collect(node, found);
    return found;
  }

  private void collect(Object node, Set<String> found) {
    if (node instanceof List<?> list) {
      list.forEach(n -> collect(n, found));
      return;
    }
    if (!(node instanceof Map<?, ?> map)) {
      return;
    }
    if (map.size() == 1) {
      Map.Entry<String, Object> fn = single(node);
      Object args = fn.getValue();
      switch (fn.getKey()) {
        case "Ref" -> {
          if (section("Resources").containsKey((String) args)) {
            found.add((String) args);
          }
          return;
        }
        case "Fn::GetAtt" -> {
          found.add(args instanceof List<?> l ? (String) l.get(0) : ((String) args).split("\\.", 2)[0]);
          return;
        }
        case "Fn::If" -> {
          List<?> l = (List<?>) args;
          collect(condition((String) l.get(0)) ? l.get(1) : l.get(2), found);
          return;
        }
        case "Fn::Sub" -> {
          String text = args instanceof List<?> l ? (String) l.get(0) : (String) args;
          Map<?, ?> variables = args instanceof List<?> l ? (Map<?, ?>) l.get(1) : Map.of();
          collect(variables, found);
          Matcher m = SUB_VARIABLE.matcher(text);
          while (m.find()) {
            String name = m.group(1).split("\\.", 2)[0];
            if (!variables.containsKey(name) && section("Resources").containsKey(name)) {
              found.add(name);
            }
          }
          return;
        }
        default -> { }
      }
    }
    map.values().forEach(v -> collect(v, found));
  }

  /** The value of a template fragment. */
  public Object resolve(Object node) {
    if (node instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (Object item : list) {
        Object v = resolve(item);
        if (v != NO_VALUE) {
          out.add(v);
        }
      }
      return out;
    }
    if (!(node instanceof Map<?, ?> map)) {
      return node;
    }
    if (map.size() == 1) {
      Map.Entry<String, Object> fn = single(node);
      Object args = fn.getValue();
      switch (fn.getKey()) {
        case "Ref" -> {
          return ref((String) args);
        }
        case "Fn::GetAtt" -> {
          String[] parts = args instanceof List<?> l
              ? new String[] {(String) l.get(0), (String) l.get(1)} : ((String) args).split("\\.", 2);
          return attribute(parts[0], parts[1]);
        }
        case "Fn::If" -> {
          List<?> l = (List<?>) args;
          return resolve(condition((String) l.get(0)) ? l.get(1) : l.get(2));
        }
        case "Fn::Sub" -> {
          return sub(args);
        }
        case "Fn::Join" -> {
          List<?> l = (List<?>) args;
          List<String> parts = new ArrayList<>();
          ((List<?>) resolve(l.get(1))).forEach(p -> parts.add(String.valueOf(p)));
          return String.join((String) l.get(0), parts);
        }
        default -> {
          if (fn.getKey().startsWith("Fn::")) {
            throw new IllegalArgumentException("unsupported function " + fn.getKey());
          }
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> {
      Object resolved = resolve(v);
      if (resolved != NO_VALUE) {
        out.put((String) k, resolved);
      }
    });
    return out;
  }

  /** A policy document: a Fn::Sub string is parsed as JSON after substitution. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> document(Object node) {
    Object value = resolve(node);
    if (value instanceof String text) {
      try {
        return JSON.readValue(text, Map.class);
      } catch (IOException e) {
        throw new IllegalStateException("not a JSON policy document: " + text, e);
      }
    }
    return (Map<String, Object>) value;
  }

  public Object ref(String name) {
    if (parameters.containsKey(name)) {
      return parameters.get(name);
    }
    if (name.equals("AWS::NoValue")) {
      return NO_VALUE;
    }
    if (pseudo.containsKey(name)) {
      return pseudo.get(name);
    }
    return attribute(name, "Ref");
  }

  private String attribute(String logicalId, String attribute) {
    String value = resources.apply(logicalId, attribute);
    if (value == null) {
      throw new IllegalStateException("no value for " + logicalId + "." + attribute);
    }
    return value;
  }

  private String sub(Object args) {
    String text = args instanceof List<?> l ? (String) l.get(0) : (String) args;
    Map<String, Object> values = new HashMap<>();
    if (args instanceof List<?> l) {
      ((Map<?, ?>) l.get(1)).forEach((k, v) -> values.put((String) k, resolve(v)));
    }
    Matcher m = SUB_VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value;
      if (name.startsWith("!")) {
        value = "${" + name.substring(1) + "}";
      } else if (values.containsKey(name)) {
        value = String.valueOf(values.get(name));
      } else if (name.contains(".") && section("Resources").containsKey(name.split("\\.", 2)[0])) {
        String[] parts = name.split("\\.", 2);
        value = attribute(parts[0], parts[1]);
      } else {
        value = String.valueOf(ref(name));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  @SuppressWarnings("unchecked")
  private static Map.Entry<String, Object> single(Object node) {
    Map<String, Object> map = (Map<String, Object>) node;
    if (map.size() != 1) {
      throw new IllegalArgumentException("not a function: " + map);
    }
    return map.entrySet().iterator().next();
  }

  /** SnakeYAML constructor for CloudFormation's short forms (!Ref, !Sub, !GetAtt, !If ...). */
  private static final class IntrinsicConstructor extends Constructor {
    IntrinsicConstructor() {
      super(new LoaderOptions());
      yamlConstructors.put(new Tag("!Ref"), new Function("Ref"));
      yamlConstructors.put(new Tag("!Condition"), new Function("Condition"));
      for (String name : FUNCTIONS) {
        yamlConstructors.put(new Tag("!" + name), new Function("Fn::" + name));
      }
    }

    private final class Function extends AbstractConstruct {
      private final String name;

      Function(String name) {
        this.name = name;
      }

      @Override
      public Object construct(Node node) {
        Object value;
        if (node instanceof ScalarNode scalar) {
          String text = constructScalar(scalar);
          value = name.equals("Fn::GetAtt") ? List.of(text.split("\\.", 2)) : text;
        } else if (node instanceof SequenceNode sequence) {
          value = constructSequence(sequence);
        } else {
          value = constructMapping((MappingNode) node);
        }
        return Map.of(name, value);
      }
    }
  }
}
