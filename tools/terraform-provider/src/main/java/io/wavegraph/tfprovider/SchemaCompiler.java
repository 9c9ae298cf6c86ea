package io.wavegraph.tfprovider;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Build step: turns the schema JSON written by {@code schema/extract.js} into the GetProviderSchema
 * answer the provider serves ({@link SchemaModel#RESOURCE}). Usage: {@code SchemaCompiler JSON OUT}.
 */
public final class SchemaCompiler {
  private SchemaCompiler() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: SchemaCompiler SCHEMA_JSON OUT_PB");
    }
    Path in = Path.of(args[0]);
    Path out = Path.of(args[1]);
    if (Files.exists(out) && Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(in)) > 0) {
      System.out.println("google provider schema: " + out + " is up to date");
      return;
    }
    SchemaModel.Parsed parsed = SchemaModel.parse(new ObjectMapper().readTree(in.toFile()));
    Files.createDirectories(out.getParent());
    try (OutputStream os = Files.newOutputStream(out)) {
      ProtoSchema.response(parsed).writeTo(os);
    }
    System.out.println("google provider schema: " + parsed.resources().size() + " resources, "
        + parsed.dataSources().size() + " data sources -> " + out);
  }
}
