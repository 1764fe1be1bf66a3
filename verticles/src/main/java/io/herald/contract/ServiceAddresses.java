package io.herald.contract;

/**
 * The event bus addresses of the services: the one thing the gateway and the services agree on besides the event
 * schema. Each address takes commands and queries, the action named in the {@code action} header.
 */
public final class ServiceAddresses {

  public static final String USER = "herald.user";
  public static final String ORDER = "herald.order";
  public static final String PAYMENT = "herald.payment";
  public static final String INVENTORY = "herald.inventory";
  public static final String SHIPPING = "herald.shipping";
  public static final String NOTIFICATION = "herald.notification";
  public static final String ANALYTICS = "herald.analytics";
  public static final String AUDIT = "herald.audit";
  public static final String SAGA = "herald.saga";

  private ServiceAddresses() {
  }
}
