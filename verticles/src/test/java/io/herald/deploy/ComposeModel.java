package io.herald.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.deploy.DeployFiles.ToolRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * The compose file as {@code docker-compose config} resolves it: variables interpolated, YAML anchors merged, paths
 * absolute. Reading that output rather than the file checks what compose itself makes of it.
 */
final class ComposeModel {

  static final String HERALD_DOCKERFILE = "docker/Dockerfile";

  private final Map<String, Object> services;

  private ComposeModel(Map<String, Object> resolved) {
    this.services = map(resolved.get("services"), "services");
  }

  /** Resolves the compose file with the given interpolation variables; fails the test when compose refuses it. */
  static ComposeModel resolve(Map<String, String> variables) throws IOException, InterruptedException {
    ToolRun run = DeployFiles.compose(variables, "config");
    assertThat(run.exitCode()).as("docker-compose config said:%n%s", run.output()).isZero();
    return new ComposeModel(new Yaml().load(run.stdout()));
  }

  List<String> serviceNames() {
    return List.copyOf(services.keySet());
  }

  Map<String, Object> service(String name) {
    return map(services.get(name), "service " + name);
  }

  /** The services built from Herald's Dockerfile, in file order. */
  List<String> heraldNodes() {
    return services.keySet().stream().filter(name -> {
      Object build = service(name).get("build");
      return build instanceof Map<?, ?> b && HERALD_DOCKERFILE.equals(b.get("dockerfile"));
    }).toList();
  }

  Map<String, String> environment(String service) {
    Map<String, String> env = new LinkedHashMap<>();
    Object declared = service(service).get("environment");
    if (declared != null) {
      map(declared, "environment of " + service).forEach((k, v) -> env.put(k, v == null ? "" : v.toString()));
    }
    return env;
  }

  /** Bind mounts of a service: path in the container to the absolute path on the host. Named volumes are left out. */
  Map<String, Path> bindMounts(String service) {
    Map<String, Path> mounts = new LinkedHashMap<>();
    Object volumes = service(service).get("volumes");
    if (volumes == null) {
      return mounts;
    }
    for (Object volume : (List<?>) volumes) {
      if (volume instanceof String spec) {
        String[] parts = spec.split(":");
        if (parts.length >= 2 && parts[0].startsWith("/")) {
          mounts.put(parts[1], Path.of(parts[0]));
        }
      } else if (volume instanceof Map<?, ?> longForm && "bind".equals(longForm.get("type"))) {
        mounts.put(longForm.get("target").toString(), Path.of(longForm.get("source").toString()));
      }
    }
    return mounts;
  }

  /** The host path a container path lies in, through the service's bind mounts; null when no mount covers it. */
  Path hostPath(String service, String containerPath) {
    for (Map.Entry<String, Path> mount : bindMounts(service).entrySet()) {
      String target = mount.getKey();
      if (containerPath.equals(target)) {
        return mount.getValue();
      }
      if (containerPath.startsWith(target + "/")) {
        return mount.getValue().resolve(containerPath.substring(target.length() + 1));
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value, String what) {
    assertThat(value).as(what).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }
}
