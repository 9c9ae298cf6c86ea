#!/usr/bin/env node
// Extracts the hashicorp/google 6.50.0 provider schema from @cdktf/provider-google 16.12.1, which was
// generated from that provider's own schema and keeps all of it, spread over two places:
//  - the compiled classes (lib/*/index.js): for every configurable attribute and block its Terraform
//    name, whether it is a block, list/set/map/simple and its element type (the `...ToHclTerraform`
//    functions and `synthesizeHclAttributes`); for every read-only (computed) attribute a getter
//    (`getStringAttribute('name')`, `new XList(this, "name", isSet)`, ...);
//  - the jsii manifest (.jsii): which configurable attributes and blocks are optional, and whether a
//    block holds at most one element (a struct, not an array of structs).
// Writes one JSON file: {provider, resources, data_sources}, each block as
// {attributes: {name: {type, required|optional|computed}}, blocks: {name: {nesting, min, max, block}}},
// types in Terraform's JSON type-constraint form ("string", ["list","string"], ["object",{...}]).
// Usage: node extract.js PACKAGE_DIR OUT_FILE
"use strict";
const fs = require("fs");
const path = require("path");

function extract(pkgDir) {
  const jsii = JSON.parse(fs.readFileSync(path.join(pkgDir, ".jsii"), "utf8")).types;
  const prefix = "@cdktf/provider-google.";
  const out = { provider: null, resources: {}, data_sources: {} };
  const libDir = path.join(pkgDir, "lib");
  for (const dir of fs.readdirSync(libDir).sort()) {
    const file = path.join(libDir, dir, "index.js");
    if (!fs.existsSync(file)) continue;
    const mod = parseModule(fs.readFileSync(file, "utf8"), file);
    for (const [cls, tfType] of Object.entries(mod.tfTypes)) {
      const submodule = Object.keys(jsii).find((k) => k.startsWith(prefix) && k.endsWith("." + cls) && jsii[k].kind === "class");
      if (!submodule) throw new Error(`${file}: no jsii class for ${cls}`);
      const ns = submodule.slice(0, -cls.length);
      const ctx = { mod, jsii, ns, file };
      const block = objectBlock(ctx, cls + "Config", mod.classes[cls], mod.resourceAttrs[cls]);
      if (tfType === "google") {
        delete block.attributes.alias; // a meta-argument, not part of the provider's schema
        out.provider = block;
      } else if (cls.startsWith("DataGoogle")) out.data_sources[tfType] = block;
      else out.resources[tfType] = block;
    }
  }
  if (!out.provider) throw new Error("no provider configuration (GoogleProvider) found in " + libDir);
  return out;
}

// Reads the classes and struct converters of one compiled submodule.
function parseModule(text, file) {
  const mod = { tfTypes: {}, classes: {}, structs: {}, resourceAttrs: {} };
  for (const m of text.matchAll(/^(\w+)\.tfResourceType = "(\w+)";/gm)) mod.tfTypes[m[1]] = m[2];
  const entry = /(\w+): \{\s*value: ([^\n]*),\s*isBlock: (true|false),\s*type: "(\w+)",\s*storageClassType: "(\w+)",\s*\}/g;
  const entries = (body) => [...body.matchAll(entry)].map((m) => ({
    tf: m[1], js: jsName(m[2]), isBlock: m[3] === "true", kind: m[4], storage: m[5],
  }));
  for (const m of text.matchAll(/^function (\w+)ToHclTerraform\(struct\) \{([\s\S]*?)^\}/gm)) {
    mod.structs[m[1][0].toUpperCase() + m[1].slice(1)] = entries(m[2]);
  }
  const classRe = /^class (\w+) extends [\w.]+ \{([\s\S]*?)^\}/gm;
  for (const m of text.matchAll(classRe)) {
    const body = m[2];
    const getters = {};
    for (const g of body.matchAll(/ get (\w+)\(\) \{\s*return this\.(get\w+Attribute|interpolationForAttribute)\('(\w+)'\);/g)) {
      getters[g[3]] = { js: g[1], kind: g[2] };
    }
    for (const g of body.matchAll(/this\._(\w+) = new ([\w.]+)\(this, "(\w+)"(?:, (true|false))?\);/g)) {
      getters[g[3]] = { js: g[1], cls: g[2], isSet: g[4] === "true" };
    }
    mod.classes[m[1]] = getters;
    const synth = /synthesizeHclAttributes\(\) \{([\s\S]*?)\n    \}/.exec(body);
    if (synth) mod.resourceAttrs[m[1]] = entries(synth[1]);
  }
  if (Object.keys(mod.tfTypes).length && !Object.keys(mod.resourceAttrs).length) {
    throw new Error(`${file}: found resource classes but no synthesizeHclAttributes`);
  }
  return mod;
}

function jsName(valueExpr) {
  const m = /(?:struct|this)\.(?:_)?(\w+)/.exec(valueExpr);
  return m ? m[1] : null;
}

// A block: configurable entries (from the converter) with optional flags from the jsii struct, plus
// the read-only getters of its class that the converter does not write.
function objectBlock(ctx, structName, getters, configEntries) {
  const struct = ctx.jsii[ctx.ns + structName];
  if (!struct) throw new Error(`${ctx.file}: no jsii struct ${structName}`);
  const props = {};
  for (const p of struct.properties || []) props[p.name] = p;
  const block = { attributes: {}, blocks: {} };
  for (const e of configEntries || []) {
    const p = props[e.js];
    const required = p ? !p.optional : false;
    if (e.isBlock) {
      const inner = e.storage.replace(/List$/, "");
      const nested = objectBlock(ctx, inner, ctx.mod.classes[inner + "OutputReference"] || {}, ctx.mod.structs[inner]);
      if (e.kind === "struct") {
        block.blocks[e.tf] = { nesting: "single", min: 0, max: 0, block: nested };
      } else {
        const single = p && !p.type.collection && !(p.type.union && p.type.union.types.some((t) => t.collection));
        block.blocks[e.tf] = { nesting: e.kind, min: required ? 1 : 0, max: single ? 1 : 0, block: nested };
      }
    } else {
      block.attributes[e.tf] = { type: attrType(ctx, e), [required ? "required" : "optional"]: true };
    }
  }
  for (const [tf, g] of Object.entries(getters || {})) {
    if (block.attributes[tf] || block.blocks[tf]) continue;
    const type = computedType(ctx, g);
    if (type) block.attributes[tf] = { type, computed: true };
  }
  return block;
}

const PRIMITIVE = { string: "string", number: "number", boolean: "bool" };

function attrType(ctx, e) {
  if (e.kind === "simple") return PRIMITIVE[e.storage] || fail(ctx, e);
  const m = /^(string|number|boolean)(List|Map)$/.exec(e.storage);
  if (!m) return fail(ctx, e);
  return [e.kind, PRIMITIVE[m[1]]];
}

function fail(ctx, e) {
  throw new Error(`${ctx.file}: attribute ${e.tf}: unknown storage class ${e.kind}/${e.storage}`);
}

const GETTER_TYPES = {
  getStringAttribute: "string",
  getNumberAttribute: "number",
  getBooleanAttribute: "bool",
  getListAttribute: ["list", "string"],
  getNumberListAttribute: ["list", "number"],
  getStringMapAttribute: ["map", "string"],
  getNumberMapAttribute: ["map", "number"],
  getBooleanMapAttribute: ["map", "bool"],
  interpolationForAttribute: "dynamic",
};

const CDKTF_TYPES = {
  "cdktf.StringMap": ["map", "string"],
  "cdktf.NumberMap": ["map", "number"],
  "cdktf.BooleanMap": ["map", "bool"],
  "cdktf.AnyMap": ["map", "dynamic"],
  "cdktf.StringMapList": ["list", ["map", "string"]],
  "cdktf.NumberMapList": ["list", ["map", "number"]],
  "cdktf.BooleanMapList": ["list", ["map", "bool"]],
  "cdktf.StringListList": ["list", ["list", "string"]],
  "cdktf.NumberListList": ["list", ["list", "number"]],
};

// The type of a read-only attribute, from its getter; nested objects from their OutputReference class.
function computedType(ctx, g) {
  if (g.kind) return GETTER_TYPES[g.kind] || null;
  if (CDKTF_TYPES[g.cls]) return CDKTF_TYPES[g.cls];
  if (g.cls.startsWith("cdktf.")) return null;
  let m = /^(\w+)List$/.exec(g.cls);
  if (m) return [g.isSet ? "set" : "list", objectType(ctx, m[1])];
  m = /^(\w+)Map$/.exec(g.cls);
  if (m) return ["map", objectType(ctx, m[1])];
  m = /^(\w+)OutputReference$/.exec(g.cls);
  if (m) return ["list", objectType(ctx, m[1])];
  return null;
}

function objectType(ctx, name) {
  const getters = ctx.mod.classes[name + "OutputReference"];
  if (!getters) throw new Error(`${ctx.file}: no class ${name}OutputReference`);
  const attrs = {};
  for (const [tf, g] of Object.entries(getters)) {
    const t = computedType(ctx, g);
    if (t) attrs[tf] = t;
  }
  return ["object", attrs];
}

if (require.main === module) {
  const [pkgDir, outFile] = process.argv.slice(2);
  if (!pkgDir || !outFile) {
    console.error("usage: node extract.js PACKAGE_DIR OUT_FILE");
    process.exit(2);
  }
  // Up to date when newer than both the package and this script: the build runs this every time.
  const newest = Math.max(fs.statSync(path.join(pkgDir, ".jsii")).mtimeMs, fs.statSync(__filename).mtimeMs);
  if (fs.existsSync(outFile) && fs.statSync(outFile).mtimeMs > newest) {
    console.log(`google provider schema: ${outFile} is up to date`);
    process.exit(0);
  }
  const schema = extract(pkgDir);
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, JSON.stringify(schema));
  console.log(`google provider schema: ${Object.keys(schema.resources).length} resources, ` +
    `${Object.keys(schema.data_sources).length} data sources -> ${outFile}`);
}

module.exports = { extract };
