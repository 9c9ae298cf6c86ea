package io.wavegraph.compiler;

import io.wavegraph.core.graph.StepSpec;
import java.util.Map;

/**
 * What each step function is given in the cloud: memory, vCPUs and how many requests one instance
 * serves at once. Decided from what the step needs (docs/step-sizing.md explains each built-in's
 * row), never above what it needs: a catalog pays for every vCPU-second and GiB-second.
 *
 * <p>The rules: a function's local files live in memory (Cloud Run functions have no disk), so
 * memory covers the JVM plus, per concurrent request, the step's working set and its input and
 * output files. The audio built-ins are CPU-bound and stream, so each concurrent request gets one
 * whole vCPU; a second request per vCPU would only queue behind the first. Concurrency above one
 * per vCPU only pays where a request mostly waits (storage, the ledger): the built-ins run a few
 * seconds of computation against tens of milliseconds of waiting, so they get one per vCPU.
 * Cloud Run's limits: a fractional vCPU needs concurrency 1; at most 4 GiB per vCPU below 4
 * vCPUs; 4, 6 and 8 vCPUs need at least 2, 4 and 4 GiB. A larger {@code memory:} in the graph
 * wins (a user who knows their files are long); a smaller one is raised to the step's need.
 */
public final class StepSizing {

  /** The size of one step's function: {@code memory} as Cloud Run spells it (e.g. {@code 2Gi}). */
  public record Size(String memory, String cpu, int concurrency) {
    public long memoryMib() {
      return TerraformRoot.mebibytes(memory);
    }

    public double vcpus() {
      return Double.parseDouble(cpu);
    }
  }

  /** What one request of a built-in holds beside the JVM, and the vCPUs it keeps busy. */
  record Need(int mibPerRequest, int cpus) {}

  /** The JVM with the runtime, the clients and the decoders loaded (measured: ~250 MiB RSS). */
  static final int BASE_MIB = 384;

  /**
   * Per request: files of up to 10 minutes of 48 kHz stereo audio in and out (about 110 MiB each
   * as 16-bit WAV, 220 MiB as float), plus what the step holds. See docs/step-sizing.md.
   */
  static final Map<String, Need> BUILT_INS = Map.of(
      // in (<= 110 MiB, decoded block by block) + out (<= 220 MiB float32) + buffers
      "downsample", new Need(384, 1),
      // in + a few KiB of state; the answer is a small JSON
      "loudness", new Need(160, 1),
      // in + the onset envelope (a few MiB)
      "tempo", new Need(192, 1),
      // in + the whole matrix (n_fft/2+1 x frames floats, ~90 MiB for 10 min at hop 512) + PNG
      "spectrogram", new Need(640, 1),
      "mel", new Need(384, 1),
      "mfcc", new Need(384, 1),
      // a batch step (a Cloud Run job); sized by TerraformRoot.job, listed for completeness
      "separate", new Need(2048, 4));

  /** A user's class: what we know nothing about gets what the graph asks for and one request at a time. */
  static final int UNKNOWN_CONCURRENCY = 1;

  private StepSizing() {}

  /** The size of a function step. */
  public static Size of(StepSpec s) {
    long asked = TerraformRoot.mebibytes(s.memory());
    Need need = s.uses() == null ? null : BUILT_INS.get(s.uses());
    if (need == null) {
      return new Size(s.memory(), cpuForMemory(asked), UNKNOWN_CONCURRENCY);
    }
    int concurrency = need.cpus(); // one request per vCPU: see the class comment
    long mib = Math.max(asked, roundUp(BASE_MIB + (long) concurrency * need.mibPerRequest()));
    String cpu = String.valueOf(Math.max(need.cpus(), minimumCpus(mib)));
    return new Size(spell(mib), cpu, concurrency);
  }

  /** Memory as Cloud Run spells it ({@code 512Mi}, {@code 2Gi}) in MiB. */
  public static long mebibytes(String memory) {
    return TerraformRoot.mebibytes(memory);
  }

  /** Memory rounded up to the next 256 MiB (Cloud Run takes any, but round sizes read better). */
  static long roundUp(long mib) {
    return (mib + 255) / 256 * 256;
  }

  /** The fewest whole vCPUs that may carry {@code mib}: at most 4 GiB per vCPU below 4 vCPUs. */
  static int minimumCpus(long mib) {
    if (mib <= 4096) return 1;
    if (mib <= 8192) return 2;
    if (mib <= 16384) return 4;
    if (mib <= 24576) return 6;
    return 8;
  }

  /**
   * The vCPUs Cloud Run functions give a memory size when nothing else is known (the functions'
   * own tiers: 2 GiB 1 vCPU, 4 and 8 GiB 2, 16 GiB 4, 32 GiB 8; below 2 GiB a fraction).
   */
  static String cpuForMemory(long mib) {
    if (mib <= 128) return "0.083";
    if (mib <= 256) return "0.167";
    if (mib <= 512) return "0.333";
    if (mib <= 1024) return "0.583";
    if (mib <= 2048) return "1";
    if (mib <= 8192) return "2";
    if (mib <= 16384) return "4";
    return "8";
  }

  static String spell(long mib) {
    return mib % 1024 == 0 ? mib / 1024 + "Gi" : mib + "Mi";
  }
}
