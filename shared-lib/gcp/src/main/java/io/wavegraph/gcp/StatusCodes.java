package io.wavegraph.gcp;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.firestore.FirestoreException;
import io.grpc.StatusRuntimeException;
import java.util.Set;

/** The gRPC status code behind an exception from a Google Cloud client, wherever it is wrapped. */
final class StatusCodes {
  /** Codes that say "try again later": the call may well succeed if repeated. */
  static final Set<String> TRANSIENT =
      Set.of("UNAVAILABLE", "DEADLINE_EXCEEDED", "RESOURCE_EXHAUSTED", "ABORTED", "INTERNAL");

  private StatusCodes() {}

  /** The code's name (e.g. {@code ALREADY_EXISTS}), or null when no status is found. */
  static String of(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ApiException a) return a.getStatusCode().getCode().name();
      if (c instanceof FirestoreException f && f.getStatus() != null) return f.getStatus().getCode().name();
      if (c instanceof StatusRuntimeException s) return s.getStatus().getCode().name();
      if (c.getCause() == c) break;
    }
    return null;
  }

  static boolean is(Throwable t, String code) {
    return code.equals(of(t));
  }

  static boolean isTransient(Throwable t) {
    String code = of(t);
    return code != null && TRANSIENT.contains(code);
  }
}
