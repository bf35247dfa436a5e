//! Checks real responses against docs/openapi.json: the schema of the operation and status is
//! looked up in the file and the JSON is validated against it (types, required and unknown
//! properties, items, enums, `$ref`s), so a response that drifts from the document fails.
//! A small hand-written validator for the JSON Schema subset the document uses; any other
//! keyword in the document is an error, so the document cannot silently outgrow it.

use serde_json::Value;

const DOCUMENT: &str = include_str!("../../docs/openapi.json");

fn document() -> Value {
    serde_json::from_str(DOCUMENT).expect("docs/openapi.json is JSON")
}

/// The problems of `body`, the answer of `GET path_template` with `status`; empty when valid.
pub fn problems(path_template: &str, status: u16, body: &Value) -> Vec<String> {
    let doc = document();
    let operation = &doc["paths"][path_template]["get"];
    assert!(
        operation.is_object(),
        "docs/openapi.json has no GET {path_template}"
    );
    let response = &operation["responses"][status.to_string()];
    assert!(
        response.is_object(),
        "docs/openapi.json documents no {status} for GET {path_template}"
    );
    let schema = &response["content"]["application/json"]["schema"];
    let mut found = Vec::new();
    check(&doc, schema, body, "$", &mut found);
    found
}

/// Panics with the problems when `body` does not match the document.
pub fn assert_matches(path_template: &str, status: u16, body: &Value) {
    let found = problems(path_template, status, body);
    assert!(
        found.is_empty(),
        "GET {path_template} {status} drifts from docs/openapi.json:\n{}\n{body:#}",
        found.join("\n")
    );
}

const KNOWN: &[&str] = &[
    "$ref",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "enum",
    "const",
    "minimum",
    "minItems",
    "maxItems",
    "description",
    "example",
    "format",
];

fn check(doc: &Value, schema: &Value, value: &Value, at: &str, found: &mut Vec<String>) {
    let Some(schema) = schema.as_object() else {
        found.push(format!("{at}: the schema is not an object"));
        return;
    };
    for key in schema.keys() {
        if !KNOWN.contains(&key.as_str()) {
            found.push(format!(
                "{at}: the validator does not know the keyword {key:?}"
            ));
        }
    }
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unsupported $ref {reference}"));
        let target = &doc["components"]["schemas"][name];
        assert!(target.is_object(), "dangling $ref {reference}");
        check(doc, target, value, at, found);
        return;
    }
    if let Some(types) = schema.get("type") {
        let allowed: Vec<&str> = match types {
            Value::String(one) => vec![one.as_str()],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        if !allowed.iter().any(|t| is_type(value, t)) {
            found.push(format!("{at}: expected {allowed:?}, found {value}"));
            return;
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
        if !options.contains(value) {
            found.push(format!("{at}: {value} is not one of {options:?}"));
        }
    }
    if let Some(constant) = schema.get("const") {
        if constant != value {
            found.push(format!("{at}: expected {constant}, found {value}"));
        }
    }
    if let (Some(minimum), Some(number)) = (
        schema.get("minimum").and_then(Value::as_f64),
        value.as_f64(),
    ) {
        if number < minimum {
            found.push(format!("{at}: {number} is below the minimum {minimum}"));
        }
    }
    match value {
        Value::Object(object) => check_object(doc, schema, object, at, found),
        Value::Array(items) => {
            let length = items.len() as u64;
            if schema
                .get("minItems")
                .and_then(Value::as_u64)
                .is_some_and(|min| length < min)
                || schema
                    .get("maxItems")
                    .and_then(Value::as_u64)
                    .is_some_and(|max| length > max)
            {
                found.push(format!("{at}: {length} items is outside the allowed range"));
            }
            if let Some(item) = schema.get("items") {
                for (i, element) in items.iter().enumerate() {
                    check(doc, item, element, &format!("{at}[{i}]"), found);
                }
            }
        }
        _ => {}
    }
}

fn check_object(
    doc: &Value,
    schema: &serde_json::Map<String, Value>,
    object: &serde_json::Map<String, Value>,
    at: &str,
    found: &mut Vec<String>,
) {
    let empty = serde_json::Map::new();
    let properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    for required in schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if !object.contains_key(required) {
            found.push(format!(
                "{at}: the required property {required:?} is missing"
            ));
        }
    }
    for (key, element) in object {
        let at = format!("{at}.{key}");
        match (properties.get(key), schema.get("additionalProperties")) {
            (Some(property), _) => check(doc, property, element, &at, found),
            (None, Some(Value::Bool(false))) => {
                found.push(format!("{at}: the property is not in the document"))
            }
            (None, Some(extra @ Value::Object(_))) => check(doc, extra, element, &at, found),
            (None, _) => {}
        }
    }
}

fn is_type(value: &Value, name: &str) -> bool {
    match name {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_u64() || value.is_i64(),
        "number" => value.is_number(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

#[test]
fn the_validator_catches_drift() {
    let good = serde_json::json!({"status": 404, "error": "no article"});
    assert!(problems("/api/articles/{id}", 404, &good).is_empty());
    let missing = serde_json::json!({"status": 404});
    assert!(problems("/api/articles/{id}", 404, &missing)[0].contains("\"error\" is missing"));
    let extra = serde_json::json!({"status": 404, "error": "x", "trace": "..."});
    assert!(problems("/api/articles/{id}", 404, &extra)[0].contains("not in the document"));
    let wrong_type = serde_json::json!({"status": "404", "error": "x"});
    assert!(problems("/api/articles/{id}", 404, &wrong_type)[0].contains("expected"));
}

#[test]
fn every_path_of_the_document_is_served() {
    let doc = document();
    let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    assert_eq!(
        paths,
        vec![
            "/api/articles/{id}",
            "/api/companies",
            "/api/companies/{name}",
            "/api/search",
            "/api/stats"
        ]
    );
}
