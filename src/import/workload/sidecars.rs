//! The pod's other containers, each a sidecar of the service when the spec can say all of it:
//! its image, command, arguments, literal variables and resources.

use indexmap::IndexMap;
use serde_json::Value;

use super::container::{split_image, strings};
use super::found::{Quantities, Sidecar};

/// The sidecar `container` is, when every field of it is one the spec says.
pub(super) fn sidecar(container: &Value) -> Option<Sidecar> {
    let fields = container.as_object()?;
    let known = fields.keys().all(|k| {
        matches!(
            k.as_str(),
            "name" | "image" | "command" | "args" | "env" | "resources"
        )
    });
    if !known {
        return None;
    }
    let (image, version) = split_image(container["image"].as_str()?);
    let mut env = IndexMap::new();
    for var in container["env"].as_array().into_iter().flatten() {
        let plain = var.as_object()?.len() == 2;
        env.insert(
            var["name"].as_str()?.to_owned(),
            var["value"].as_str().filter(|_| plain)?.to_owned(),
        );
    }
    let quantity = |path: &str| {
        container
            .pointer(path)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let resources = &container["resources"];
    let said = ["requests", "limits"].iter().all(|side| {
        resources[side]
            .as_object()
            .is_none_or(|m| m.keys().all(|k| k == "cpu" || k == "memory"))
    });
    if !said
        || resources
            .as_object()
            .is_some_and(|m| m.keys().any(|k| k != "requests" && k != "limits"))
    {
        return None;
    }
    Some(Sidecar {
        name: container["name"].as_str()?.to_owned(),
        image,
        version,
        command: container.get("command").and_then(strings),
        args: container.get("args").and_then(strings),
        env,
        resources: Quantities {
            cpu: quantity("/resources/requests/cpu"),
            memory: quantity("/resources/requests/memory"),
            cpu_limit: quantity("/resources/limits/cpu"),
            memory_limit: quantity("/resources/limits/memory"),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_plain_container_is_a_sidecar_and_one_with_mounts_is_not() {
        let shipper = json!({ "name": "logs", "image": "fluent/fluent-bit:3.1.9",
            "args": ["-c", "/fluent-bit/etc/fluent-bit.conf"],
            "env": [{ "name": "LEVEL", "value": "info" }],
            "resources": { "requests": { "cpu": "20m", "memory": "32Mi" } } });
        let read = sidecar(&shipper).unwrap();
        assert_eq!(
            (read.image.as_str(), read.version.as_str()),
            ("docker.io/fluent/fluent-bit", "3.1.9")
        );
        assert_eq!(read.env["LEVEL"], "info");
        assert_eq!(read.resources.cpu.as_deref(), Some("20m"));
        let mut mounted = shipper.clone();
        mounted["volumeMounts"] = json!([{ "name": "logs", "mountPath": "/var/log" }]);
        assert!(sidecar(&mounted).is_none());
    }
}
