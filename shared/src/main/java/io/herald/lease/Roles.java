package io.herald.lease;

/**
 * Where a process gets the leases of its singleton roles. A role is named by what it does ({@code relay:relay},
 * {@code saga:saga}, {@code projection:orders}); every process sharing a store gets the same lease for the same name.
 */
public interface Roles {

  /** @return a lease for {@code role}, not acquired yet */
  RoleLease lease(String role);

  /**
   * @return the key under which {@code role}'s epoch is kept in the store ({@code role_leases.key}), for writes that
   *     check their epoch in the same statement; {@code null} when the store keeps no epochs (one process)
   */
  String fenceKey(String role);

  /** @return how long a role waits before competing again after its duty failed to start, in milliseconds */
  long retryMs();

  /** Leases always granted: for a store only this process can see. */
  static Roles local() {
    return new Roles() {
      @Override
      public RoleLease lease(String role) {
        return RoleLease.exclusive();
      }

      @Override
      public String fenceKey(String role) {
        return null;
      }

      @Override
      public long retryMs() {
        return 1_000;
      }
    };
  }
}
