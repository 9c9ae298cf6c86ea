package io.wavegraph.cli;

import static io.wavegraph.cli.CliFixture.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wavegraph.testkit.Skips;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report page of a real run, opened in a real browser (Debian's chromium, headless). */
class ReportCommandTest {
  @TempDir Path tmp;

  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  /** The example catalog over the example audio plus one file that is not audio. */
  private Path runExample(Path work) throws IOException {
    Path input = tmp.resolve("audio");
    try (Stream<Path> files = Files.walk(REPO.resolve("examples/audio"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path to = input.resolve(REPO.resolve("examples/audio").relativize(f).toString());
        Files.createDirectories(to.getParent());
        Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.writeString(input.resolve("broken.wav"), "this is not a wave file");
    var run = cli("run", REPO.resolve("examples/catalog.yaml").toString(), "--input", input.toString(),
        "--workdir", work.toString(), "--threads", "2");
    assertThat(run.exit()).as(run.err()).isEqualTo(Main.ITEM_FAILED);
    return input;
  }

  @Test
  void thePageOfARunShowsCountsFailuresPicturesAndOpensInABrowser() throws Exception {
    Path work = tmp.resolve("work");
    runExample(work);
    Path page = tmp.resolve("site/report.html");
    var r = cli("report", REPO.resolve("examples/catalog.yaml").toString(), "--workdir", work.toString(),
        "--out", page.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    String html = Files.readString(page);
    assertThat(html).as("self-contained: nothing is fetched").doesNotContainPattern("(src|href)=\"https?:")
        .doesNotContain("<link");
    JsonNode data = CliFixture.JSON.readTree(embeddedJson(html));
    int items = data.get("items").size();
    assertThat(items).isGreaterThanOrEqualTo(4);
    assertThat(data.at("/steps/0/counts/failed").asInt()).isEqualTo(1);
    assertThat(data.at("/steps/0/counts/done").asInt()).isEqualTo(items - 1);
    assertThat(data.get("thumbs").size()).isEqualTo(items - 1);
    assertThat(data.at("/failures/0/steps/downsample/0").asText()).isEqualTo("broken");
    // Output links are relative to the page and point at real files.
    assertThat(data.get("outputs").asText()).isEqualTo("../work/outputs/");
    assertThat(page.getParent().resolve("../work/outputs/loudness/pop/drums.json")).exists();

    Optional<String> browser = chromium();
    Skips.unless(ReportCommandTest.class, browser.isPresent() ? Optional.empty()
        : Optional.of("no chromium on the PATH (apt-get install chromium; .ci/run installs it): the page was not opened in a browser"));
    Browser b = open(browser.get(), page, "--dump-dom");
    assertThat(b.consoleErrors()).as("console errors").isEmpty();
    String dom = b.stdout();
    assertThat(dom).contains("data-rendered=\"yes\"").doesNotContain("id=\"page-error\"");
    assertThat(dom).contains("data-step=\"downsample\" data-done=\"" + (items - 1) + "\" data-failed=\"1\"");
    // The example's separate step is a batch job (on the CPU: a GPU needs kernels: gpu).
    assertThat(dom).contains("data-step=\"separate\"").contains("job \u00b7 separate");
    assertThat(dom).containsPattern("class=\"reason\">[^<]*(not|unsupported|unknown|RIFF|format)");
    assertThat(dom).containsPattern("<img class=\"thumb\" src=\"data:image/png;base64,[A-Za-z0-9+/]{100}");
    assertThat(dom).contains("id=\"measures-table\"").contains("data-item=\"pop/drums\"");

    // One item's details: versions, input fingerprints, timings and links to its outputs.
    Browser item = open(browser.get(), page.toUri() + "#item=pop/drums", "--dump-dom");
    assertThat(item.consoleErrors()).isEmpty();
    assertThat(item.stdout()).contains("class=\"details\"").contains("href=\"../work/outputs/loudness/pop/drums.json\"")
        .containsPattern("class=\"fp\">downsample:[0-9a-f]{12}<").containsPattern("class=\"fp\">1\\.[0-9a-f]{8}-")
        .containsPattern("\\d+ ms<|\\d\\.\\d\\d s<");

    Path shot = Path.of("target/report-screenshot.png").toAbsolutePath();
    Files.deleteIfExists(shot);
    Browser s = open(browser.get(), page, "--screenshot=" + shot, "--window-size=1280,1600", "--hide-scrollbars");
    assertThat(s.consoleErrors()).isEmpty();
    assertThat(shot).exists();
    assertThat(Files.size(shot)).isGreaterThan(20_000);
    System.out.println("report screenshot: " + shot);
  }

  @Test
  void aCatalogOfTenThousandItemsCostsLessThanAKilobyteEach() throws Exception {
    // A synthetic ledger: every item done at every step of a four-step graph, one in fifty failed.
    Path work = tmp.resolve("big");
    Path g = tmp.resolve("big.yaml");
    Files.writeString(g, """
        name: big
        steps:
          downsample: {uses: downsample}
          loudness: {uses: loudness, from: [downsample]}
          tempo: {uses: tempo, from: [downsample]}
          mel: {uses: mel, from: [downsample]}
        """);
    Files.createDirectories(work.resolve("outputs"));
    Files.createDirectories(tmp.resolve("in"));
    Files.writeString(work.resolve("input-dir"), tmp.resolve("in") + "\n");
    int n = 10_000;
    SyntheticLedger.write(work.resolve("ledger.db"), List.of("downsample", "loudness", "tempo", "mel"), n);
    Path page = tmp.resolve("big.html");
    var r = cli("report", g.toString(), "--workdir", work.toString(), "--out", page.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    long bytes = Files.size(page);
    System.out.printf("report of %d items: %d bytes, %.0f bytes per item%n", n, bytes, (double) bytes / n);
    assertThat(bytes / n).isLessThan(1024);
    JsonNode data = CliFixture.JSON.readTree(embeddedJson(Files.readString(page)));
    assertThat(data.get("items")).hasSize(n);
    assertThat(data.at("/failures/0/count").asInt()).isEqualTo(n / 50);

    Optional<String> browser = chromium();
    if (browser.isEmpty()) {
      System.out.println("SKIPPED " + getClass().getSimpleName() + " (10,000 items in a browser): no chromium on the PATH");
      return;
    }
    Browser b = open(browser.get(), page, "--dump-dom");
    assertThat(b.consoleErrors()).isEmpty();
    assertThat(b.stdout()).contains("data-rendered=\"yes\"").contains("page 1 of 200");
  }

  static String embeddedJson(String html) {
    Matcher m = Pattern.compile("<script id=\"data\" type=\"application/json\">(.*?)</script>", Pattern.DOTALL).matcher(html);
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  /** Debian's chromium, or another Chrome named by WAVEGRAPH_CHROMIUM. */
  static Optional<String> chromium() {
    String given = System.getenv("WAVEGRAPH_CHROMIUM");
    if (given != null && Files.isExecutable(Path.of(given))) return Optional.of(given);
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
        if (Files.isExecutable(Path.of(dir, name))) return Optional.of(Path.of(dir, name).toString());
      }
    }
    return Optional.empty();
  }

  record Browser(String stdout, String stderr) {
    /** Console messages at error level and uncaught exceptions, as chromium logs them with --enable-logging=stderr. */
    List<String> consoleErrors() {
      List<String> out = new ArrayList<>();
      for (String line : stderr.split("\n")) {
        if (line.contains("CONSOLE") && (line.contains("ERROR") || line.contains("Uncaught") || line.contains("Error"))) {
          out.add(line);
        }
      }
      return out;
    }
  }

  /** Opens the page headless, with no network and a throw-away profile. */
  static Browser open(String chromium, Path page, String... mode) throws Exception {
    return open(chromium, page.toUri().toString(), mode);
  }

  static Browser open(String chromium, String url, String... mode) throws Exception {
    Path profile = Files.createTempDirectory("wavegraph-chromium");
    List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
        "--no-first-run", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
        "--proxy-server=127.0.0.1:9", "--virtual-time-budget=5000"));
    cmd.addAll(List.of(mode));
    cmd.add(url);
    Path out = Files.createTempFile("chromium", ".out");
    Path err = Files.createTempFile("chromium", ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish within 120 s: " + Files.readString(err));
    }
    return new Browser(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }
}
