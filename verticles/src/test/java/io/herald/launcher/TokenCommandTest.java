package io.herald.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.gateway.auth.Scope;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("token command line")
class TokenCommandTest {

  @Test
  @DisplayName("scopes, a duration in s, m, h or d, profiles and a config file; one hour by default")
  void parses() {
    TokenCommand command = TokenCommand.parse("--scopes", "read,write", "--ttl", "30m", "--profile=postgres", "--config", "x.yaml");

    assertThat(command.scopes()).containsExactly(Scope.READ, Scope.WRITE);
    assertThat(command.ttlSeconds()).isEqualTo(1_800);
    assertThat(command.profiles()).isEqualTo(List.of("postgres"));
    assertThat(command.configFile()).isEqualTo(Optional.of("x.yaml"));
    assertThat(TokenCommand.parse("--scopes=admin").ttlSeconds()).isEqualTo(3_600);
    assertThat(TokenCommand.parse("--scopes=admin").scopes()).isEqualTo(Set.of(Scope.ADMIN));
    assertThat(TokenCommand.duration("90")).isEqualTo(90);
    assertThat(TokenCommand.duration("2h")).isEqualTo(7_200);
    assertThat(TokenCommand.duration("7d")).isEqualTo(604_800);
  }

  @Test
  @DisplayName("an unknown scope, a missing --scopes and a bad or out-of-range duration are usage errors naming them")
  void refuses() {
    assertThatThrownBy(() -> TokenCommand.parse("--scopes", "read,root")).isInstanceOf(UsageException.class)
        .hasMessage("option '--scopes': unknown scope 'root' (known: read, write, admin)");
    assertThatThrownBy(() -> TokenCommand.parse("--ttl", "1h")).isInstanceOf(UsageException.class)
        .hasMessage("option '--scopes' is required (known scopes: read, write, admin)");
    assertThatThrownBy(() -> TokenCommand.parse("--scopes", "read", "--ttl", "soon")).isInstanceOf(UsageException.class)
        .hasMessage("option '--ttl': 'soon' is not a duration (90s, 30m, 1h, 7d)");
    assertThatThrownBy(() -> TokenCommand.parse("--scopes", "read", "--ttl", "0s")).isInstanceOf(UsageException.class)
        .hasMessage("option '--ttl': must be between 1s and 365d, got '0s'");
    assertThatThrownBy(() -> TokenCommand.parse("--scopes", "read", "--services", "x")).isInstanceOf(UsageException.class)
        .hasMessage("unknown option '--services'");
  }
}
