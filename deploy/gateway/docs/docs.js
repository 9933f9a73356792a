// Renders the services' OpenAPI documents as plain HTML: no third-party code, and spec text is only ever set as
// text (never parsed as HTML), so a document cannot inject markup into the page.
"use strict";

const SERVICES = ["accounts", "ideas", "votes", "roadmap", "notifications"];
const METHODS = ["get", "post", "put", "patch", "delete"];

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

function resolve(spec, schema) {
  if (schema && schema.$ref) return spec.components.schemas[schema.$ref.split("/").pop()];
  return schema || {};
}

function typeOf(spec, schema) {
  if (!schema) return "";
  if (schema.$ref) return schema.$ref.split("/").pop();
  if (schema.anyOf) return schema.anyOf.map((s) => typeOf(spec, s)).join(" | ");
  if (schema.type === "array") return `array of ${typeOf(spec, schema.items)}`;
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : schema.type || "any";
  return schema.format ? `${type} (${schema.format})` : type;
}

function rules(schema) {
  const said = [];
  if (schema.enum) said.push(`one of ${schema.enum.join(", ")}`);
  if (schema.minLength !== undefined || schema.maxLength !== undefined)
    said.push(`length ${schema.minLength ?? 0}–${schema.maxLength ?? "∞"}`);
  if (schema.minimum !== undefined || schema.maximum !== undefined)
    said.push(`${schema.minimum ?? "−∞"} to ${schema.maximum ?? "∞"}`);
  if (schema.pattern) said.push(`matches ${schema.pattern}`);
  if (schema.default !== undefined) said.push(`default ${JSON.stringify(schema.default)}`);
  if (schema.description) said.push(schema.description);
  return said.join("; ");
}

function fieldsTable(spec, schema) {
  const object = resolve(spec, schema);
  const required = new Set(object.required || []);
  const rows = Object.entries(object.properties || {}).map(([name, property]) =>
    el("tr", {}, el("td", {}, el("code", {}, name)), el("td", {}, required.has(name) ? "required" : ""),
      el("td", {}, typeOf(spec, property)), el("td", {}, rules(resolve(spec, property)))));
  if (!rows.length) return el("p", { class: "muted" }, typeOf(spec, schema) || "a JSON value");
  return el("table", {}, el("tr", {}, el("th", {}, "field"), el("th", {}), el("th", {}, "type"),
    el("th", {}, "rules")), ...rows);
}

function operationView(spec, path, method, operation) {
  const secured = (operation.security || []).some((s) => Object.keys(s).length);
  const optional = (operation.security || []).some((s) => !Object.keys(s).length);
  const head = el("summary", {}, el("span", { class: `method ${method}` }, method), el("span", { class: "path" }, path),
    ` — ${operation.summary || ""}`);
  if (secured) head.append(el("span", { class: "lock" }, optional ? "token optional" : "token"));
  const body = [head];
  if (operation.description) body.push(el("p", {}, operation.description));
  const parameters = operation.parameters || [];
  if (parameters.length) {
    body.push(el("h4", {}, "Parameters"), el("table", {},
      el("tr", {}, el("th", {}, "name"), el("th", {}, "in"), el("th", {}, "type"), el("th", {}, "rules")),
      ...parameters.map((p) => el("tr", {}, el("td", {}, el("code", {}, p.name)), el("td", {}, p.in),
        el("td", {}, typeOf(spec, p.schema)), el("td", {}, rules(p.schema || {}))))));
  }
  const request = operation.requestBody && operation.requestBody.content["application/json"];
  if (request) body.push(el("h4", {}, "Body (application/json)"), fieldsTable(spec, request.schema));
  body.push(el("h4", {}, "Answers"));
  for (const [status, response] of Object.entries(operation.responses || {})) {
    const [mediaType, media] = Object.entries(response.content || {})[0] || [];
    const line = el("p", {}, el("strong", {}, status), ` ${response.description || ""}`);
    if (mediaType) line.append(el("span", { class: "muted" }, ` (${mediaType})`));
    body.push(line);
    if (mediaType === "application/json") body.push(fieldsTable(spec, media.schema));
  }
  return el("details", { class: "operation", id: operation.operationId }, ...body);
}

async function serviceView(name) {
  const url = `/api/${name}/openapi.json`;
  const section = el("section", { id: name }, el("h2", {}, name),
    el("p", {}, "Document: ", el("a", { href: url }, url)));
  try {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
    const spec = await response.json();
    section.querySelector("h2").textContent = spec.info.title;
    for (const [path, operations] of Object.entries(spec.paths)) {
      for (const method of METHODS) {
        if (operations[method]) section.append(operationView(spec, path, method, operations[method]));
      }
    }
  } catch (error) {
    section.append(el("p", { class: "error" }, `Could not read the document: ${error.message}`));
  }
  return section;
}

async function main() {
  const nav = document.getElementById("services");
  for (const name of SERVICES) nav.append(el("a", { href: `#${name}` }, name));
  const sections = await Promise.all(SERVICES.map(serviceView));
  document.getElementById("docs").replaceChildren(...sections);
}

main();
