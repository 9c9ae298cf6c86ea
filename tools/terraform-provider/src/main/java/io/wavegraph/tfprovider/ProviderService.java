package io.wavegraph.tfprovider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import io.wavegraph.tfprovider.SchemaModel.Attribute;
import io.wavegraph.tfprovider.SchemaModel.Block;
import io.wavegraph.tfprovider.SchemaModel.NestedBlock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import tfplugin6.ProviderGrpc;
import tfplugin6.Tfplugin6.ApplyResourceChange;
import tfplugin6.Tfplugin6.AttributePath;
import tfplugin6.Tfplugin6.ConfigureProvider;
import tfplugin6.Tfplugin6.Diagnostic;
import tfplugin6.Tfplugin6.DynamicValue;
import tfplugin6.Tfplugin6.GetFunctions;
import tfplugin6.Tfplugin6.GetMetadata;
import tfplugin6.Tfplugin6.GetProviderSchema;
import tfplugin6.Tfplugin6.ImportResourceState;
import tfplugin6.Tfplugin6.MoveResourceState;
import tfplugin6.Tfplugin6.PlanResourceChange;
import tfplugin6.Tfplugin6.ReadDataSource;
import tfplugin6.Tfplugin6.ReadResource;
import tfplugin6.Tfplugin6.ServerCapabilities;
import tfplugin6.Tfplugin6.StopProvider;
import tfplugin6.Tfplugin6.UpgradeResourceState;
import tfplugin6.Tfplugin6.ValidateDataResourceConfig;
import tfplugin6.Tfplugin6.ValidateProviderConfig;
import tfplugin6.Tfplugin6.ValidateResourceConfig;

/**
 * The tfplugin6 Provider service of the stand-in: schema, validation and planning like the google
 * provider; apply, import and state moves are refused with an error that says this is a stand-in.
 */
final class ProviderService extends ProviderGrpc.ProviderImplBase {
  static final String CANNOT_APPLY = "stand-in cannot apply";

  private final CompletableFuture<SchemaModel> schema;
  private volatile Planner planner = new Planner(Map.of());

  ProviderService(CompletableFuture<SchemaModel> schema) {
    this.schema = schema;
  }

  /** The schema, or an error diagnostic (no schema was built into this jar). */
  private SchemaModel model(List<Diagnostic> diags) {
    try {
      return schema.join();
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      diags.add(error("The stand-in google provider has no schema", cause.getMessage(), null));
      return null;
    }
  }

  @Override
  public void getMetadata(GetMetadata.Request req, StreamObserver<GetMetadata.Response> out) {
    GetMetadata.Response.Builder r = GetMetadata.Response.newBuilder()
        .setServerCapabilities(ServerCapabilities.newBuilder().setPlanDestroy(true));
    List<Diagnostic> diags = new ArrayList<>();
    SchemaModel m = model(diags);
    if (m != null) {
      m.response.getResourceSchemasMap().keySet().forEach(t -> r.addResources(GetMetadata.ResourceMetadata.newBuilder().setTypeName(t)));
      m.response.getDataSourceSchemasMap().keySet().forEach(t -> r.addDataSources(GetMetadata.DataSourceMetadata.newBuilder().setTypeName(t)));
    }
    reply(out, r.addAllDiagnostics(diags).build());
  }

  @Override
  public void getProviderSchema(GetProviderSchema.Request req, StreamObserver<GetProviderSchema.Response> out) {
    List<Diagnostic> diags = new ArrayList<>();
    SchemaModel m = model(diags);
    reply(out, m == null ? GetProviderSchema.Response.newBuilder().addAllDiagnostics(diags).build() : m.response);
  }

  @Override
  public void validateProviderConfig(ValidateProviderConfig.Request req, StreamObserver<ValidateProviderConfig.Response> out) {
    List<Diagnostic> diags = new ArrayList<>();
    SchemaModel m = model(diags);
    if (m != null) {
      readOnlySet(m.provider, decode(req.getConfig()), new ArrayList<>(), diags);
    }
    reply(out, ValidateProviderConfig.Response.newBuilder().addAllDiagnostics(diags).build());
  }

  @Override
  public void validateResourceConfig(ValidateResourceConfig.Request req, StreamObserver<ValidateResourceConfig.Response> out) {
    List<Diagnostic> diags = new ArrayList<>();
    Block block = block(req.getTypeName(), SchemaModel::resource, diags);
    if (block != null) {
      readOnlySet(block, decode(req.getConfig()), new ArrayList<>(), diags);
    }
    reply(out, ValidateResourceConfig.Response.newBuilder().addAllDiagnostics(diags).build());
  }

  @Override
  public void validateDataResourceConfig(ValidateDataResourceConfig.Request req,
      StreamObserver<ValidateDataResourceConfig.Response> out) {
    List<Diagnostic> diags = new ArrayList<>();
    Block block = block(req.getTypeName(), SchemaModel::dataSource, diags);
    if (block != null) {
      readOnlySet(block, decode(req.getConfig()), new ArrayList<>(), diags);
    }
    reply(out, ValidateDataResourceConfig.Response.newBuilder().addAllDiagnostics(diags).build());
  }

  @Override
  public void configureProvider(ConfigureProvider.Request req, StreamObserver<ConfigureProvider.Response> out) {
    Map<String, Object> defaults = new LinkedHashMap<>();
    if (decode(req.getConfig()) instanceof Map<?, ?> config) {
      for (String key : List.of("project", "region", "zone")) {
        Object v = config.get(key);
        if (v instanceof String) {
          defaults.put(key, v);
        }
      }
    }
    planner = new Planner(defaults);
    reply(out, ConfigureProvider.Response.getDefaultInstance());
  }

  @Override
  public void upgradeResourceState(UpgradeResourceState.Request req, StreamObserver<UpgradeResourceState.Response> out) {
    List<Diagnostic> diags = new ArrayList<>();
    Block block = block(req.getTypeName(), SchemaModel::resource, diags);
    UpgradeResourceState.Response.Builder r = UpgradeResourceState.Response.newBuilder();
    if (block != null) {
      try {
        JsonNode json = new ObjectMapper().readTree(req.getRawState().getJson().toByteArray());
        r.setUpgradedState(dynamic(conform(block, fromJson(json))));
      } catch (IOException e) {
        diags.add(error("Unreadable state", "state of " + req.getTypeName() + ": " + e.getMessage(), null));
      }
    }
    reply(out, r.addAllDiagnostics(diags).build());
  }

  @Override
  public void readResource(ReadResource.Request req, StreamObserver<ReadResource.Response> out) {
    // Nothing to read from: the state is what Terraform last recorded.
    reply(out, ReadResource.Response.newBuilder().setNewState(req.getCurrentState()).setPrivate(req.getPrivate()).build());
  }

  @Override
  public void planResourceChange(PlanResourceChange.Request req, StreamObserver<PlanResourceChange.Response> out) {
    List<Diagnostic> diags = new ArrayList<>();
    Block block = block(req.getTypeName(), SchemaModel::resource, diags);
    PlanResourceChange.Response.Builder r = PlanResourceChange.Response.newBuilder();
    if (block != null) {
      Object proposed = decode(req.getProposedNewState());
      r.setPlannedState(dynamic(planner.plan(block, proposed)))
          .setPlannedPrivate(req.getPriorPrivate())
          // As the real (SDKv2) provider says: Terraform then reports small plan/apply mismatches
          // as warnings in its log instead of failing.
          .setLegacyTypeSystem(true);
    }
    reply(out, r.addAllDiagnostics(diags).build());
  }

  @Override
  public void applyResourceChange(ApplyResourceChange.Request req, StreamObserver<ApplyResourceChange.Response> out) {
    reply(out, ApplyResourceChange.Response.newBuilder()
        .addDiagnostics(error(CANNOT_APPLY, "This is Wavegraph's offline stand-in for the google provider: it "
            + "validates and plans, but cannot create, change or destroy " + req.getTypeName()
            + ". Run terraform with the real hashicorp/google provider to deploy.", null))
        .build());
  }

  @Override
  public void importResourceState(ImportResourceState.Request req, StreamObserver<ImportResourceState.Response> out) {
    reply(out, ImportResourceState.Response.newBuilder()
        .addDiagnostics(error("stand-in cannot import", "The offline stand-in provider cannot read "
            + req.getTypeName() + " " + req.getId() + " from Google Cloud.", null))
        .build());
  }

  @Override
  public void moveResourceState(MoveResourceState.Request req, StreamObserver<MoveResourceState.Response> out) {
    reply(out, MoveResourceState.Response.newBuilder()
        .addDiagnostics(error("stand-in cannot move state", "moves between resource types are not supported", null))
        .build());
  }

  @Override
  public void readDataSource(ReadDataSource.Request req, StreamObserver<ReadDataSource.Response> out) {
    List<Diagnostic> diags = new ArrayList<>();
    Block block = block(req.getTypeName(), SchemaModel::dataSource, diags);
    ReadDataSource.Response.Builder r = ReadDataSource.Response.newBuilder();
    if (block != null) {
      r.setState(dynamic(planner.read(req.getTypeName(), block, decode(req.getConfig()))));
    }
    reply(out, r.addAllDiagnostics(diags).build());
  }

  @Override
  public void getFunctions(GetFunctions.Request req, StreamObserver<GetFunctions.Response> out) {
    reply(out, GetFunctions.Response.getDefaultInstance());
  }

  @Override
  public void stopProvider(StopProvider.Request req, StreamObserver<StopProvider.Response> out) {
    reply(out, StopProvider.Response.getDefaultInstance());
  }

  private Block block(String typeName, java.util.function.BiFunction<SchemaModel, String, Block> kind, List<Diagnostic> diags) {
    SchemaModel m = model(diags);
    if (m == null) {
      return null;
    }
    Block b = kind.apply(m, typeName);
    if (b == null) {
      diags.add(error("Unknown type " + typeName, "hashicorp/google 6.50.0 has no " + typeName, null));
    }
    return b;
  }

  /** Terraform checks everything in the schema itself except that read-only attributes are unset. */
  @SuppressWarnings("unchecked")
  private static void readOnlySet(Block block, Object value, List<String> path, List<Diagnostic> diags) {
    if (!(value instanceof Map<?, ?> map)) {
      return;
    }
    for (Attribute a : block.attributes().values()) {
      if (a.readOnly() && map.get(a.name()) != null) {
        List<String> at = new ArrayList<>(path);
        at.add(a.name());
        diags.add(error("Value for unconfigurable attribute", "Can't configure a value for \"" + String.join(".", at)
            + "\": its value will be decided automatically based on the result of applying this configuration.", at));
      }
    }
    for (NestedBlock b : block.blocks().values()) {
      Object v = map.get(b.name());
      List<String> at = new ArrayList<>(path);
      at.add(b.name());
      if (v instanceof List<?> list) {
        for (Object e : list) {
          readOnlySet(b.block(), e, at, diags);
        }
      } else {
        readOnlySet(b.block(), v, at, diags);
      }
    }
  }

  /** A value from JSON state, shaped to the block: every attribute and block present. */
  @SuppressWarnings("unchecked")
  static Object conform(Block block, Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Attribute a : block.attributes().values()) {
      out.put(a.name(), map.get(a.name()));
    }
    for (NestedBlock b : block.blocks().values()) {
      Object v = map.get(b.name());
      if (b.nesting() == SchemaModel.Nesting.SINGLE) {
        out.put(b.name(), conform(b.block(), v));
      } else {
        List<Object> elems = new ArrayList<>();
        if (v instanceof List<?> list) {
          for (Object e : list) {
            elems.add(conform(b.block(), e));
          }
        }
        out.put(b.name(), elems);
      }
    }
    return out;
  }

  private static Object fromJson(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isTextual()) {
      return n.asText();
    }
    if (n.isBoolean()) {
      return n.asBoolean();
    }
    if (n.isIntegralNumber()) {
      return n.canConvertToLong() ? (Object) n.asLong() : n.bigIntegerValue();
    }
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (n.isArray()) {
      List<Object> list = new ArrayList<>();
      n.forEach(e -> list.add(fromJson(e)));
      return list;
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      map.put(e.getKey(), fromJson(e.getValue()));
    }
    return map;
  }

  private static Object decode(DynamicValue v) {
    if (v.getMsgpack().isEmpty() && !v.getJson().isEmpty()) {
      try {
        return fromJson(new ObjectMapper().readTree(v.getJson().toByteArray()));
      } catch (IOException e) {
        throw new IllegalArgumentException("bad JSON value from Terraform", e);
      }
    }
    return CtyValues.decode(v.getMsgpack().toByteArray());
  }

  private static DynamicValue dynamic(Object value) {
    return DynamicValue.newBuilder().setMsgpack(ByteString.copyFrom(CtyValues.encode(value))).build();
  }

  static Diagnostic error(String summary, String detail, List<String> path) {
    Diagnostic.Builder d = Diagnostic.newBuilder().setSeverity(Diagnostic.Severity.ERROR).setSummary(summary).setDetail(detail);
    if (path != null) {
      AttributePath.Builder p = AttributePath.newBuilder();
      path.forEach(s -> p.addSteps(AttributePath.Step.newBuilder().setAttributeName(s)));
      d.setAttribute(p);
    }
    return d.build();
  }

  private static <T> void reply(StreamObserver<T> out, T value) {
    out.onNext(value);
    out.onCompleted();
  }
}
