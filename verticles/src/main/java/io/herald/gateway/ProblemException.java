package io.herald.gateway;

/** A request the gateway refuses itself, with the status, the reason and, when one field is at fault, its name. */
public final class ProblemException extends RuntimeException {

  private final int status;
  private final String field;

  public ProblemException(int status, String detail, String field) {
    super(detail);
    this.status = status;
    this.field = field;
  }

  public ProblemException(int status, String detail) {
    this(status, detail, null);
  }

  public int status() {
    return status;
  }

  /** @return the request field at fault ({@code items[0].sku}), or {@code null} */
  public String field() {
    return field;
  }
}
