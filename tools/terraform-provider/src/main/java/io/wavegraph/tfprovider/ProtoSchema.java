package io.wavegraph.tfprovider;

import com.google.protobuf.ByteString;
import io.wavegraph.tfprovider.SchemaModel.Attribute;
import io.wavegraph.tfprovider.SchemaModel.Block;
import io.wavegraph.tfprovider.SchemaModel.NestedBlock;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tfplugin6.Tfplugin6.GetProviderSchema;
import tfplugin6.Tfplugin6.Schema;
import tfplugin6.Tfplugin6.ServerCapabilities;

/** The schema as the plugin protocol sends it (GetProviderSchema). */
final class ProtoSchema {
  private ProtoSchema() {}

  static GetProviderSchema.Response response(SchemaModel.Parsed model) {
    GetProviderSchema.Response.Builder out = GetProviderSchema.Response.newBuilder()
        .setProvider(schema(model.provider()))
        // Without this Terraform skips the plan call for a destroy and plans it itself.
        .setServerCapabilities(ServerCapabilities.newBuilder().setPlanDestroy(true));
    for (Map.Entry<String, Block> e : model.resources().entrySet()) {
      out.putResourceSchemas(e.getKey(), schema(e.getValue()));
    }
    for (Map.Entry<String, Block> e : model.dataSources().entrySet()) {
      out.putDataSourceSchemas(e.getKey(), schema(e.getValue()));
    }
    return out.build();
  }

  private static Schema schema(Block block) {
    return Schema.newBuilder().setVersion(0).setBlock(block(block)).build();
  }

  private static Schema.Block block(Block block) {
    Schema.Block.Builder out = Schema.Block.newBuilder();
    for (Attribute a : block.attributes().values()) {
      // Optional attributes are declared optional and computed: the package does not say which of
      // them the real provider computes, and this lets the plan fill a default (project, region)
      // without Terraform calling the plan inconsistent with the schema.
      out.addAttributes(Schema.Attribute.newBuilder()
          .setName(a.name())
          .setType(ByteString.copyFrom(a.type().toString(), StandardCharsets.UTF_8))
          .setRequired(a.required())
          .setOptional(a.optional())
          .setComputed(a.computed() || a.optional()));
    }
    for (NestedBlock b : block.blocks().values()) {
      out.addBlockTypes(Schema.NestedBlock.newBuilder()
          .setTypeName(b.name())
          .setNesting(switch (b.nesting()) {
            case SINGLE -> Schema.NestedBlock.NestingMode.SINGLE;
            case LIST -> Schema.NestedBlock.NestingMode.LIST;
            case SET -> Schema.NestedBlock.NestingMode.SET;
          })
          .setMinItems(b.minItems())
          .setMaxItems(b.maxItems())
          .setBlock(block(b.block())));
    }
    return out.build();
  }
}
