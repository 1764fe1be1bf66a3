package io.herald.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.launcher.config.ConfigException;
import io.herald.launcher.config.ServiceSelection;
import io.vertx.core.Future;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
@DisplayName("Service catalogue")
class ServiceCatalogueTest {

  private static ServiceDefinition noop(String name) {
    return new ServiceDefinition(name, "does nothing", ctx -> Future.succeededFuture(Deployment.of(name)));
  }

  @Test
  @DisplayName("the shipped catalogue has every service, the saga after the services it calls, the relay after its consumers and the gateway last")
  void standard() {
    assertThat(ServiceCatalogue.standard().names()).containsExactly("user", "inventory", "payment", "shipping", "order",
        "notification", "analytics", "audit", "saga", "relay", "gateway");
  }

  @Test
  @DisplayName("a selection deploys in catalogue order, whatever order it was given in")
  void catalogueOrder() {
    ServiceCatalogue catalogue = new ServiceCatalogue(List.of(noop("relay"), noop("orders"), noop("gateway")));

    assertThat(catalogue.select(new ServiceSelection(List.of("gateway", "relay"))))
        .extracting(ServiceDefinition::name).containsExactly("relay", "gateway");
    assertThat(catalogue.select(ServiceSelection.all()))
        .extracting(ServiceDefinition::name).containsExactly("relay", "orders", "gateway");
  }

  @Test
  @DisplayName("an unknown service is named with the known ones")
  void unknownService() {
    assertThatThrownBy(() -> ServiceCatalogue.standard().select(new ServiceSelection(List.of("gateway", "billing"))))
        .isInstanceOf(ConfigException.class).hasMessage("unknown service 'billing' (known: user, inventory, payment, shipping, order, notification, analytics, audit,"
            + " saga, relay, gateway)");
  }

  @Test
  @DisplayName("a name defined twice is refused")
  void duplicate() {
    assertThatThrownBy(() -> new ServiceCatalogue(List.of(noop("relay"), noop("relay"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("service 'relay' is defined twice");
  }
}
