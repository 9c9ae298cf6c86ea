package io.wavegraph.tfprovider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Real Terraform against the offline stand-in provider: {@code terraform init -backend=false},
 * {@code validate} and {@code plan -refresh=false -input=false} on a copy of a root module (so no
 * {@code .terraform} folder or lock file naming the stand-in is left beside the user's files), with
 * the stand-in installed from a filesystem mirror named by its own CLI configuration. Needs the
 * {@code terraform} binary and a built stand-in; {@link #find} says which is missing.
 */
public final class StandInTerraform {
  /** The provider version the stand-in claims to be: what the modules require. */
  public static final String GOOGLE_VERSION = "6.50.0";
  private static final String LAUNCHER = "terraform-provider-google";
  private static final Pattern PLAN_LINE = Pattern.compile("(?m)^(Plan: \\d+ to add, \\d+ to change, \\d+ to destroy\\.|No changes\\..*)$");

  private final String terraform;
  private final Path launcher;

  private StandInTerraform(String terraform, Path launcher) {
    this.terraform = terraform;
    this.launcher = launcher;
  }

  /** One Terraform command: its arguments, exit status and everything it printed. */
  public record Step(List<String> command, int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /** The commands run, in order; it stops at the first that fails. */
  public record Result(List<Step> steps) {
    public boolean ok() {
      return steps.stream().allMatch(Step::ok);
    }

    /** Terraform's "Plan: N to add, ..." line, when the plan ran. */
    public Optional<String> planSummary() {
      for (Step s : steps) {
        Matcher m = PLAN_LINE.matcher(s.output());
        if (s.command().contains("plan") && m.find()) {
          return Optional.of(m.group(1));
        }
      }
      return Optional.empty();
    }

    /** Everything Terraform printed, each command under a "$ terraform ..." line. */
    public String transcript() {
      StringBuilder b = new StringBuilder();
      for (Step s : steps) {
        b.append("$ ").append(String.join(" ", s.command())).append('\n').append(s.output());
        if (!s.output().endsWith("\n")) {
          b.append('\n');
        }
        if (!s.ok()) {
          b.append("(exit ").append(s.exitCode()).append(")\n");
        }
      }
      return b.toString();
    }
  }

  /** Terraform and the stand-in, or the reason they cannot run here. */
  public sealed interface Availability permits Available, Unavailable {}

  public record Available(StandInTerraform terraform) implements Availability {}

  public record Unavailable(String reason) implements Availability {}

  /**
   * Looks for {@code terraform} on the PATH and for the stand-in's launcher in
   * {@code $WAVEGRAPH_TERRAFORM_PROVIDER} (a folder) or {@code tools/terraform-provider} of the current
   * folder or one above it, built with its schema.
   */
  public static Availability find() {
    Optional<String> tf = terraformBinary();
    if (tf.isEmpty()) {
      return new Unavailable("no terraform binary on the PATH");
    }
    List<Path> candidates = new ArrayList<>();
    String env = System.getenv("WAVEGRAPH_TERRAFORM_PROVIDER");
    if (env != null) {
      candidates.add(Path.of(env));
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      candidates.add(p.resolve("tools/terraform-provider"));
    }
    for (Path dir : candidates) {
      Path launcher = dir.resolve(LAUNCHER);
      if (!Files.isExecutable(launcher)) {
        continue;
      }
      boolean built = Files.isRegularFile(dir.resolve("target/classes/io/wavegraph/tfprovider/" + SchemaModel.RESOURCE))
          || Files.isRegularFile(dir.resolve("target/" + LAUNCHER + ".jar"));
      if (!built) {
        return new Unavailable("the stand-in google provider in " + dir + " is not built with its schema: run `npm ci "
            + "--prefix tools/hcl-check` (it installs @cdktf/provider-google), then build it with Maven");
      }
      return new Available(new StandInTerraform(tf.get(), launcher.toAbsolutePath().normalize()));
    }
    return new Unavailable("the stand-in google provider (tools/terraform-provider) was not found above "
        + Path.of("").toAbsolutePath());
  }

  private static Optional<String> terraformBinary() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "terraform"))) {
        return Optional.of(Path.of(dir, "terraform").toString());
      }
    }
    return Optional.empty();
  }

  /**
   * Runs init, validate and plan on a copy of {@code rootModule}, giving each variable without a
   * default a stand-in value (overridden by {@code vars}). Local modules the root calls by a relative
   * path outside it (like {@code ../modules}) are copied along so the paths still resolve.
   */
  public Result check(Path rootModule, Map<String, String> vars) throws IOException, InterruptedException {
    return check(rootModule, vars, null);
  }

  /** As {@link #check(Path, Map)}, planning against {@code state} (a terraform.tfstate) when given. */
  Result check(Path rootModule, Map<String, String> vars, Path state) throws IOException, InterruptedException {
    Path work = Files.createTempDirectory("wavegraph-terraform-");
    try {
      Path cli = installMirror(work);
      Path copy = copyRoot(rootModule, work);
      dropBackend(copy);
      if (state != null) {
        Files.copy(state, copy.resolve("terraform.tfstate"));
      }
      Map<String, String> values = new LinkedHashMap<>(placeholders(copy));
      values.putAll(vars);
      List<String> varArgs = new ArrayList<>();
      values.forEach((k, v) -> varArgs.add("-var=" + k + "=" + v));
      List<Step> steps = new ArrayList<>();
      List<List<String>> commands = List.of(
          List.of("init", "-backend=false", "-input=false", "-no-color"),
          List.of("validate", "-no-color"),
          concat(List.of("plan", "-refresh=false", "-input=false", "-lock=false", "-no-color"), varArgs));
      for (List<String> args : commands) {
        Step step = run(copy, cli, args);
        steps.add(step);
        if (!step.ok()) {
          break;
        }
      }
      return new Result(steps);
    } finally {
      deleteTree(work);
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private Step run(Path dir, Path cli, List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(terraform);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("TF_CLI_CONFIG_FILE", cli.toString());
    env.put("TF_IN_AUTOMATION", "1");
    env.put("TF_INPUT", "0");
    env.put("CHECKPOINT_DISABLE", "1"); // no call home: there is no network
    env.remove("TF_PLUGIN_CACHE_DIR");
    env.remove("TF_DATA_DIR");
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Step(cmd.subList(0, 2), -1, out + "\n(terraform " + args.get(0) + " did not finish in 300 s)");
    }
    List<String> shown = new ArrayList<>(List.of("terraform"));
    shown.addAll(args);
    return new Step(shown, p.exitValue(), out);
  }

  /** The unpacked filesystem mirror Terraform installs the provider from, and a CLI config naming it. */
  private Path installMirror(Path work) throws IOException {
    Path mirror = work.resolve("mirror");
    Path bin = mirror.resolve("registry.terraform.io/hashicorp/google/" + GOOGLE_VERSION + "/linux_amd64/"
        + "terraform-provider-google_v" + GOOGLE_VERSION);
    Files.createDirectories(bin.getParent());
    Files.writeString(bin, "#!/bin/sh\nexec '" + launcher.toString().replace("'", "'\\''") + "' \"$@\"\n");
    Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path cli = work.resolve("terraform.tfrc");
    Files.writeString(cli, "provider_installation {\n"
        + "  filesystem_mirror {\n    path    = \"" + mirror + "\"\n    include = [\"registry.terraform.io/hashicorp/google\"]\n  }\n"
        + "  direct {\n    exclude = [\"registry.terraform.io/hashicorp/google\"]\n  }\n}\n");
    return cli;
  }

  /**
   * Copies the root module with the folder it sits in (the compiled root reads
   * {@code ${path.module}/../functions/*.json}), and every folder its module calls reach with
   * {@code ../} beyond that, so relative paths still resolve in the copy. Returns the copied root.
   */
  private static Path copyRoot(Path root, Path work) throws IOException {
    Path src = root.toAbsolutePath().normalize();
    Path base = src.getParent() == null ? src : src.getParent();
    copyTree(base, work.resolve("tree"));
    Path target = work.resolve("tree").resolve(base.relativize(src).toString());
    Pattern source = Pattern.compile("\"?source\"?\\s*[:=]\\s*\"(\\.\\./[^\"]+)\"");
    try (Stream<Path> files = Files.walk(src)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".tf") || p.toString().endsWith(".tf.json"))::iterator) {
        Matcher m = source.matcher(Files.readString(f));
        while (m.find()) {
          Path rel = Path.of(m.group(1)).normalize();
          Path from = f.getParent().resolve(rel).normalize();
          Path to = target.resolve(src.relativize(f.getParent())).resolve(rel).normalize();
          if (Files.isDirectory(from) && !Files.exists(to)) {
            copyTree(from, to);
          }
        }
      }
    }
    return target;
  }

  /**
   * Removes the state backend from the copy, from JSON and HCL files alike (a {@code backend} or
   * {@code cloud} block in the {@code terraform} block, wherever it is written): {@code plan} refuses
   * to run with a backend that {@code init -backend=false} left uninitialised, and the check must
   * not reach remote state.
   */
  static void dropBackend(Path root) throws IOException {
    ObjectMapper json = new ObjectMapper();
    try (Stream<Path> files = Files.list(root)) {
      for (Path f : (Iterable<Path>) files.sorted()::iterator) {
        String name = f.getFileName().toString();
        if (name.endsWith(".tf.json")) {
          JsonNode tree = json.readTree(f.toFile());
          if (tree.path("terraform").has("backend") || tree.path("terraform").has("cloud")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("terraform")).remove(List.of("backend", "cloud"));
            Files.writeString(f, json.writerWithDefaultPrettyPrinter().writeValueAsString(tree));
          }
        } else if (name.endsWith(".tf")) {
          String text = Files.readString(f);
          String without = Hcl.withoutBackend(text);
          if (!without.equals(text)) {
            Files.writeString(f, without);
          }
        }
      }
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        String name = dir.getFileName().toString();
        if (!dir.equals(from) && Set.of(".terraform", ".git", "node_modules", "target").contains(name)) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        Files.createDirectories(to.resolve(from.relativize(dir).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        String name = file.getFileName().toString();
        if (!name.equals(".terraform.lock.hcl") && !name.endsWith(".tfstate")) {
          Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /**
   * A value for every root variable without a default, in {@code *.tf.json} (what the compiler
   * writes) and {@code *.tf} files: plan needs them all and there is no one to ask.
   */
  public static Map<String, String> placeholders(Path root) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    ObjectMapper json = new ObjectMapper();
    try (Stream<Path> files = Files.list(root)) {
      for (Path f : (Iterable<Path>) files.sorted()::iterator) {
        String name = f.getFileName().toString();
        if (name.endsWith(".tf.json")) {
          JsonNode vars = json.readTree(f.toFile()).path("variable");
          vars.fields().forEachRemaining(e -> {
            if (!e.getValue().has("default")) {
              out.put(e.getKey(), placeholder(e.getKey(), e.getValue().path("type").asText("string")));
            }
          });
        } else if (name.endsWith(".tf")) {
          Hcl.requiredVariables(Files.readString(f)).forEach((k, type) -> out.put(k, placeholder(k, type)));
        }
      }
    }
    return out;
  }

  private static String placeholder(String name, String type) {
    String t = type.replace("${", "").replace("}", "").trim();
    if (t.equals("bool")) {
      return "false";
    } else if (t.equals("number")) {
      return "1";
    } else if (t.startsWith("list") || t.startsWith("set") || t.startsWith("tuple")) {
      return "[]";
    } else if (t.startsWith("map") || t.startsWith("object")) {
      return "{}";
    } else if (name.contains("image")) {
      return "europe-docker.pkg.dev/stand-in-project/wavegraph/" + name.replace('_', '-') + ":stand-in";
    } else if (name.equals("project")) {
      return "stand-in-project";
    } else if (name.equals("region")) {
      return "europe-west1";
    }
    return "stand-in-" + name.replace('_', '-');
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // A leftover temporary folder is harmless.
    }
  }
}
