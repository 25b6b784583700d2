package io.spacecrab.kube;

import io.spacecrab.api.LabelNames;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Kubernetes LabelSelector evaluated against a namespace's labels with the API server's
 * semantics: every matchLabels entry and every matchExpression must hold; {@code In} needs the key
 * with one of the values, {@code NotIn} holds when the key is absent or has another value,
 * {@code Exists}/{@code DoesNotExist} test the key only. An empty selector ({@code {}}) matches
 * every namespace; a null selector matches none (as {@code metav1.LabelSelectorAsSelector(nil)}).
 * Evaluated here because the fabric8 mock API server mishandles set-based selectors.
 */
public final class NamespaceSelector {
  private static final NamespaceSelector NOTHING = new NamespaceSelector(List.of(), false);

  private final List<Requirement> requirements;
  private final boolean matchesAnything;

  private NamespaceSelector(List<Requirement> requirements, boolean matchesAnything) {
    this.requirements = requirements;
    this.matchesAnything = matchesAnything;
  }

  /** The selector compiled; throws {@link InvalidSelectionException} naming every problem. Null selects nothing. */
  public static NamespaceSelector of(LabelSelector selector) {
    List<String> problems = problems(selector, "namespaceSelector");
    if (!problems.isEmpty()) {
      throw new InvalidSelectionException(problems);
    }
    if (selector == null) {
      return NOTHING;
    }
    List<Requirement> requirements = new ArrayList<>();
    if (selector.getMatchLabels() != null) {
      selector.getMatchLabels().forEach((key, value) ->
          requirements.add(new Requirement(key, Operator.In, Set.of(value))));
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement expression : selector.getMatchExpressions()) {
        Operator operator = Operator.valueOf(expression.getOperator());
        Set<String> values = expression.getValues() == null ? Set.of() : Set.copyOf(expression.getValues());
        requirements.add(new Requirement(expression.getKey(), operator, values));
      }
    }
    return new NamespaceSelector(List.copyOf(requirements), true);
  }

  /** Every problem with the selector, as sentences prefixed with {@code field}; empty when it is valid or null. */
  public static List<String> problems(LabelSelector selector, String field) {
    List<String> problems = new ArrayList<>();
    if (selector == null) {
      return problems;
    }
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> entry : selector.getMatchLabels().entrySet()) {
        String at = field + ".matchLabels";
        String keyProblem = LabelNames.keyProblem(entry.getKey());
        if (keyProblem != null) {
          problems.add(at + " key " + keyProblem);
        }
        String valueProblem = LabelNames.valueProblem(entry.getValue());
        if (valueProblem != null) {
          problems.add(at + " value of '" + entry.getKey() + "' " + valueProblem);
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
      for (int i = 0; i < expressions.size(); i++) {
        expressionProblems(expressions.get(i), field + ".matchExpressions[" + i + "]", problems);
      }
    }
    return problems;
  }

  private static void expressionProblems(LabelSelectorRequirement expression, String at, List<String> problems) {
    if (expression == null) {
      problems.add(at + " is empty");
      return;
    }
    String keyProblem = LabelNames.keyProblem(expression.getKey());
    if (keyProblem != null) {
      problems.add(at + ".key " + keyProblem);
    }
    List<String> values = expression.getValues() == null ? List.of() : expression.getValues();
    Operator operator = Operator.named(expression.getOperator());
    if (operator == null) {
      problems.add(at + ".operator " + (expression.getOperator() == null ? "is missing"
          : "'" + expression.getOperator() + "' is not one of In, NotIn, Exists, DoesNotExist"));
    } else if (operator.takesValues() && values.isEmpty()) {
      problems.add(at + ".values must not be empty for operator " + operator);
    } else if (!operator.takesValues() && !values.isEmpty()) {
      problems.add(at + ".values must be empty for operator " + operator);
    }
    for (int j = 0; j < values.size(); j++) {
      String valueProblem = LabelNames.valueProblem(values.get(j));
      if (valueProblem != null) {
        problems.add(at + ".values[" + j + "] " + valueProblem);
      }
    }
  }

  /** True when labels (null means none) satisfy every requirement of the selector. */
  public boolean matches(Map<String, String> labels) {
    if (!matchesAnything) {
      return false;
    }
    Map<String, String> present = labels == null ? Map.of() : labels;
    for (Requirement requirement : requirements) {
      if (!requirement.matches(present)) {
        return false;
      }
    }
    return true;
  }

  private enum Operator {
    In, NotIn, Exists, DoesNotExist;

    static Operator named(String name) {
      for (Operator operator : values()) {
        if (operator.name().equals(name)) {
          return operator;
        }
      }
      return null;
    }

    boolean takesValues() {
      return this == In || this == NotIn;
    }
  }

  private record Requirement(String key, Operator operator, Set<String> values) {
    boolean matches(Map<String, String> labels) {
      boolean has = labels.containsKey(key);
      String value = labels.get(key);
      boolean listed = value != null && values.contains(value);
      return switch (operator) {
        case In -> has && listed;
        case NotIn -> !has || !listed;
        case Exists -> has;
        case DoesNotExist -> !has;
      };
    }
  }
}
