#!/usr/bin/env node
// Offline Terraform check: parses every *.tf (HCL, with @cdktf/hcl2json) and *.tf.json (JSON) under
// the given files or folders, and checks every resource and data source type, attribute and block
// name, and every required attribute, against the Google provider schema shipped in
// @cdktf/provider-google 16.12.1 (google provider 6.50.0). Module calls with a local source are
// checked against that module's variables. Prints a JSON report; exit 0 when clean, 1 otherwise.
"use strict";
const fs = require("fs");
const path = require("path");
const { parse } = require("@cdktf/hcl2json");

const META = new Set(["count", "for_each", "depends_on", "provider", "lifecycle", "connection", "provisioner"]);
const MODULE_META = new Set(["source", "version", "count", "for_each", "depends_on", "providers"]);

function loadSchema() {
  const file = require.resolve("@cdktf/provider-google/package.json").replace(/package\.json$/, ".jsii");
  const jsii = JSON.parse(fs.readFileSync(file, "utf8"));
  const types = jsii.types;
  const byKind = { resource: {}, data: {} };
  const link = /docs\/(resources|data-sources)\/(\w+)#(\w+) /;
  const docText = (p) => ((p.docs && p.docs.remarks) || "") + " " + ((p.docs && p.docs.summary) || "");
  function tfName(prop) {
    const m = link.exec(docText(prop));
    return m ? m[3] : null;
  }
  function blockFqn(t) {
    if (!t) return null;
    if (t.fqn && types[t.fqn] && types[t.fqn].datatype) return t.fqn;
    if (t.collection) return blockFqn(t.collection.elementtype);
    if (t.union) for (const u of t.union.types) { const f = blockFqn(u); if (f) return f; }
    return null;
  }
  const cache = {};
  function struct(fqn) {
    if (cache[fqn]) return cache[fqn];
    const out = {};
    cache[fqn] = out;
    for (const p of types[fqn].properties || []) {
      const name = tfName(p);
      if (!name) continue;
      const b = blockFqn(p.type);
      out[name] = { required: !p.optional, block: b ? struct(b) : null };
    }
    return out;
  }
  for (const [fqn, t] of Object.entries(types)) {
    if (!t.datatype || !fqn.endsWith("Config") || !(t.interfaces || []).includes("cdktf.TerraformMetaArguments")) continue;
    const first = (t.properties || []).map((p) => link.exec(docText(p))).find((m) => m);
    if (!first) continue;
    const kind = first[1] === "resources" ? "resource" : "data";
    byKind[kind]["google_" + first[2]] = () => struct(fqn);
  }
  return byKind;
}

function listFiles(target, out) {
  const st = fs.statSync(target);
  if (st.isFile()) { out.push(target); return out; }
  for (const e of fs.readdirSync(target).sort()) {
    if (e === "node_modules" || e.startsWith(".")) continue;
    const p = path.join(target, e);
    if (fs.statSync(p).isDirectory()) listFiles(p, out);
    else if (e.endsWith(".tf") || e.endsWith(".tf.json")) out.push(p);
  }
  return out;
}

async function parseFile(file) {
  const text = fs.readFileSync(file, "utf8");
  if (file.endsWith(".json")) return JSON.parse(text);
  return await parse(file, text);
}

const asList = (v) => (Array.isArray(v) ? v : [v]);

function checkBody(body, schema, where, problems, checkRequired) {
  for (const [key, value] of Object.entries(body)) {
    if (META.has(key)) continue;
    if (key === "dynamic") {
      for (const [name, defs] of Object.entries(value)) {
        const s = schema[name];
        if (!s || !s.block) { problems.push(`${where}: '${name}' is not a block of this type`); continue; }
        for (const d of asList(defs)) for (const c of asList(d.content || [])) checkBody(c, s.block, `${where}.${name}`, problems, false);
      }
      continue;
    }
    const s = schema[key];
    if (!s) { problems.push(`${where}: unknown attribute or block '${key}'`); continue; }
    if (s.block && value !== null && typeof value === "object") {
      for (const v of asList(value)) if (v && typeof v === "object" && !Array.isArray(v)) checkBody(v, s.block, `${where}.${key}`, problems, true);
    }
  }
  if (!checkRequired) return;
  for (const [name, s] of Object.entries(schema)) {
    if (s.required && !(name in body) && !(body.dynamic && name in body.dynamic)) problems.push(`${where}: missing required '${name}'`);
  }
}

async function moduleVariables(dir, cache) {
  if (cache[dir]) return cache[dir];
  const vars = {};
  for (const f of listFiles(dir, []).filter((f) => path.dirname(f) === dir)) {
    const doc = await parseFile(f);
    for (const [name, defs] of Object.entries(doc.variable || {})) {
      vars[name] = { required: !asList(defs).some((d) => "default" in d) };
    }
  }
  return (cache[dir] = vars);
}

async function main() {
  const targets = process.argv.slice(2);
  if (targets.length === 0) { console.error("usage: check.js FILE_OR_DIR..."); process.exit(2); }
  const schema = loadSchema();
  const files = [];
  for (const t of targets) listFiles(t, files);
  const problems = [];
  const modCache = {};
  let resources = 0;
  for (const file of files) {
    let doc;
    try { doc = await parseFile(file); } catch (e) { problems.push(`${file}: does not parse: ${String(e.message || e).split("\n")[0]}`); continue; }
    for (const kind of ["resource", "data"]) {
      for (const [type, named] of Object.entries(doc[kind] || {})) {
        const s = schema[kind][type];
        for (const [name, bodies] of Object.entries(named)) {
          resources++;
          const where = `${file}: ${kind === "data" ? "data." : ""}${type}.${name}`;
          if (!s) { problems.push(`${where}: unknown ${kind === "data" ? "data source" : "resource"} type '${type}' in google provider 6.50.0`); continue; }
          for (const body of asList(bodies)) checkBody(body, s(), where, problems, true);
        }
      }
    }
    for (const [name, bodies] of Object.entries(doc.module || {})) {
      for (const body of asList(bodies)) {
        const src = body.source;
        if (typeof src !== "string" || !src.startsWith(".")) continue;
        const dir = path.resolve(path.dirname(file), src);
        if (!fs.existsSync(dir)) { problems.push(`${file}: module.${name}: source ${src} does not exist`); continue; }
        const vars = await moduleVariables(dir, modCache);
        for (const k of Object.keys(body)) if (!MODULE_META.has(k) && !(k in vars)) problems.push(`${file}: module.${name}: the module has no variable '${k}'`);
        for (const [k, v] of Object.entries(vars)) if (v.required && !(k in body)) problems.push(`${file}: module.${name}: missing required variable '${k}'`);
      }
    }
  }
  console.log(JSON.stringify({ provider: "hashicorp/google 6.50.0 (@cdktf/provider-google 16.12.1)", files: files.length, blocks: resources, problems }, null, 2));
  process.exit(problems.length ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(3); });
