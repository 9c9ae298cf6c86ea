package io.wavegraph.tfprovider;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Terraform and the built stand-in, or a loud SKIPPED line and a skipped test. */
final class TerraformSkips {
  private TerraformSkips() {}

  static StandInTerraform terraformOrSkip(String test) {
    StandInTerraform.Availability a = StandInTerraform.find();
    if (a instanceof StandInTerraform.Unavailable u) {
      System.out.println("SKIPPED " + test + ": " + u.reason());
      assumeTrue(false, u.reason());
    }
    return ((StandInTerraform.Available) a).terraform();
  }

  static Path config(String name) {
    try {
      return Path.of(TerraformSkips.class.getResource("/configs/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
