package io.herald.gateway;

import io.herald.command.CommandEndpoint;
import io.herald.command.CommandFailedException;
import io.herald.command.CommandFailure;
import io.herald.gateway.auth.AccessDenied;
import io.herald.gateway.auth.RateLimited;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns whatever failed a request into the problem the client gets: status, detail and the field at fault. */
final class FailureTranslator {

  private static final Pattern FIELD_PREFIX = Pattern.compile("^([A-Za-z][A-Za-z0-9_.\\[\\]-]*): ");

  /** The problem of one failed request; {@code internal} marks a failure the server log must show. */
  record Problem(int status, String detail, String field, boolean internal) {
  }

  private FailureTranslator() {
  }

  static Problem translate(Throwable failure, int statusCode) {
    if (failure instanceof ProblemException p) {
      return new Problem(p.status(), p.getMessage(), p.field(), false);
    }
    if (failure instanceof AccessDenied denied) {
      return new Problem(denied.status(), denied.getMessage(), null, false);
    }
    if (failure instanceof RateLimited limited) {
      return new Problem(429, limited.getMessage(), null, false);
    }
    if (failure instanceof CommandFailedException c) {
      return new Problem(c.failure().code(), c.getMessage(), fieldOf(c.getMessage()), c.failure() == CommandFailure.INTERNAL);
    }
    if (failure instanceof SchemaValidationException s) {
      return schemaProblem(s);
    }
    if (failure instanceof ValidatorException v) {
      return validatorProblem(v);
    }
    if (failure instanceof HttpException http) {
      String detail = http.getPayload();
      if (http.getStatusCode() == 413) {
        detail = "the request body is larger than the limit of this API";
      } else if (http.getStatusCode() == 400 && http.getCause() instanceof ValidatorException v) {
        return v instanceof SchemaValidationException s ? schemaProblem(s) : validatorProblem(v);
      } else if (http.getStatusCode() == 400 && http.getCause() != null && detail == null) {
        detail = http.getCause().getMessage();
      }
      return new Problem(http.getStatusCode(), detail, null, false);
    }
    int status = statusCode >= 400 && statusCode <= 599 ? statusCode : 500;
    if (failure == null && status == 413) {
      return new Problem(413, "the request body is larger than the limit of this API", null, false);
    }
    if (failure instanceof io.vertx.core.json.DecodeException) {
      return new Problem(400, "the body is not valid JSON: " + failure.getMessage(), null, false);
    }
    if (failure != null && status == 500) {
      CommandFailedException known = CommandEndpoint.classify(failure);
      if (known.failure() != CommandFailure.INTERNAL) {
        return new Problem(known.failure().code(), known.getMessage(), fieldOf(known.getMessage()), false);
      }
    }
    return new Problem(status, status >= 500 ? "internal error; the server log has the details" : null, null,
        failure != null && status >= 500);
  }

  private static final Pattern PARAMETER = Pattern.compile("(?:query|path|header|cookie) parameter (\\S+) is invalid");
  private static final Pattern REQUIRED = Pattern.compile("required property \"([^\"]+)\"");
  private static final java.util.Set<String> CONTAINERS =
      java.util.Set.of("properties", "additionalProperties", "items", "allOf", "anyOf", "oneOf", "$ref", "prefixItems");

  /**
   * Names the field and the rule it broke: the most specific schema error wins over the container errors around it
   * ({@code minLength} over {@code properties}), a missing property is named itself, a parameter by its name.
   */
  private static Problem schemaProblem(SchemaValidationException s) {
    List<OutputUnit> leaves = new java.util.ArrayList<>();
    collect(s.getOutputUnit(), leaves);
    OutputUnit chosen = leaves.stream().filter(u -> !CONTAINERS.contains(keyword(u))).findFirst()
        .orElse(leaves.isEmpty() ? null : leaves.get(0));
    if (chosen == null) {
      return new Problem(400, s.getMessage(), null, false);
    }
    String field = pointerToField(chosen.getInstanceLocation() == null ? "" : chosen.getInstanceLocation());
    String reason = chosen.getError().replaceFirst("^Instance ", "value ");
    Matcher required = REQUIRED.matcher(reason);
    if ("required".equals(keyword(chosen)) && required.find()) {
      field = field.isEmpty() ? required.group(1) : field + "." + required.group(1);
      reason = "required";
    } else if ("additionalProperties".equals(keyword(chosen))) {
      reason = "not a known field";
    }
    Matcher parameter = PARAMETER.matcher(String.valueOf(s.getMessage()));
    if (parameter.find()) {
      field = field.isEmpty() ? parameter.group(1) : parameter.group(1) + "." + field;
    }
    return new Problem(400, field.isEmpty() ? reason : field + ": " + reason, field.isEmpty() ? null : field, false);
  }

  private static Problem validatorProblem(ValidatorException v) {
    String message = v.getMessage();
    if (message != null && message.contains("body can't be decoded")) {
      return new Problem(400, "the body is not well-formed JSON", "body", false);
    }
    Matcher parameter = PARAMETER.matcher(String.valueOf(message));
    return new Problem(400, message, parameter.find() ? parameter.group(1) : null, false);
  }

  private static void collect(OutputUnit unit, List<OutputUnit> leaves) {
    if (unit == null) {
      return;
    }
    List<OutputUnit> errors = unit.getErrors();
    if (errors == null || errors.isEmpty()) {
      if (unit.getError() != null) {
        leaves.add(unit);
      }
      return;
    }
    errors.forEach(child -> collect(child, leaves));
  }

  private static String keyword(OutputUnit unit) {
    String location = unit.getKeywordLocation() == null ? "" : unit.getKeywordLocation();
    return location.substring(location.lastIndexOf('/') + 1);
  }

  static String pointerToField(String pointer) {
    String path = pointer.startsWith("#") ? pointer.substring(1) : pointer;
    StringBuilder field = new StringBuilder();
    for (String part : path.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      if (part.chars().allMatch(Character::isDigit)) {
        field.append('[').append(part).append(']');
      } else {
        field.append(field.length() == 0 ? "" : ".").append(part.replace("~1", "/").replace("~0", "~"));
      }
    }
    return field.toString();
  }

  private static String fieldOf(String message) {
    if (message == null) {
      return null;
    }
    Matcher m = FIELD_PREFIX.matcher(message);
    return m.find() ? m.group(1) : null;
  }
}
