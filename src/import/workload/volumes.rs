//! The pod's volumes the spec can say: scratch volumes (`emptyDir`) and a StatefulSet's
//! claimed volumes, each mounted once in the service's container, at a path and nothing more.

use serde_json::Value;

use super::fields::take;
use super::found::{Claimed, Found, Scratch};

/// Reads the volumes of the pod template at `pod` in `rest`, with their mounts in `main`, into
/// `found`, taking out each it reads and its mount.
pub(super) fn read_volumes(
    rest: &mut Value,
    main: &mut Value,
    pod: &[&str],
    found: &mut Found,
    objects: &[Value],
) {
    let volumes_path = [pod, &["spec", "volumes"]].concat();
    let mut volumes = take(rest, &volumes_path)
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default();
    let mut templates = take(rest, &["spec", "volumeClaimTemplates"])
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default();
    let mut mounts = take(main, &["volumeMounts"])
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default();
    volumes.retain(|volume| match scratch(volume, &mut mounts) {
        Some(read) => {
            found.volumes.push(read);
            false
        }
        None => true,
    });
    volumes.retain(|volume| match config_files(volume, &mut mounts, objects) {
        Some((map, files)) => {
            found.config_maps.push(map);
            found.config_files.extend(files);
            false
        }
        None => true,
    });
    templates.retain(|template| match claimed(template, &mut mounts) {
        Some(read) => {
            found.storage.push(read);
            false
        }
        None => true,
    });
    put_back(rest, &volumes_path, volumes);
    put_back(rest, &["spec", "volumeClaimTemplates"], templates);
    put_back(main, &["volumeMounts"], mounts);
}

/// The one plain mount of the volume `name` (a path, nothing more), taken out of `mounts`.
fn mount_of(name: &str, mounts: &mut Vec<Value>) -> Option<String> {
    let at: Vec<usize> = mounts
        .iter()
        .enumerate()
        .filter(|(_, m)| m["name"] == name)
        .map(|(i, _)| i)
        .collect();
    let [at] = at[..] else { return None };
    let mount = mounts[at].as_object()?;
    let plain = mount.keys().all(|k| k == "name" || k == "mountPath");
    let path = mount.get("mountPath")?.as_str()?.to_owned();
    plain.then(|| {
        mounts.remove(at);
        path
    })
}

fn scratch(volume: &Value, mounts: &mut Vec<Value>) -> Option<Scratch> {
    let fields = volume.as_object()?;
    let empty = fields.get("emptyDir")?.as_object()?;
    if fields.len() != 2 || !empty.keys().all(|k| k == "sizeLimit" || k == "medium") {
        return None;
    }
    let memory = match empty.get("medium").and_then(Value::as_str) {
        None | Some("") => false,
        Some("Memory") => true,
        Some(_) => return None,
    };
    let name = volume["name"].as_str()?.to_owned();
    let path = mount_of(&name, mounts)?;
    Some(Scratch {
        name,
        path,
        size: empty
            .get("sizeLimit")
            .and_then(Value::as_str)
            .map(str::to_owned),
        memory,
    })
}

/// A ConfigMap of the place mounted whole as a folder: each of its keys a file in that
/// folder, with its text. The ConfigMap's name, and the files by their path.
fn config_files(
    volume: &Value,
    mounts: &mut Vec<Value>,
    objects: &[Value],
) -> Option<(String, Vec<(String, String)>)> {
    let fields = volume.as_object()?;
    let source = fields.get("configMap")?.as_object()?;
    if fields.len() != 2 || source.len() != 1 {
        return None;
    }
    let map_name = source.get("name")?.as_str()?;
    let map = objects
        .iter()
        .find(|o| o["kind"] == "ConfigMap" && o["metadata"]["name"] == map_name)?;
    let known = map
        .as_object()?
        .keys()
        .all(|k| matches!(k.as_str(), "apiVersion" | "kind" | "metadata" | "data"));
    let metadata_known = map["metadata"]
        .as_object()?
        .keys()
        .all(|k| k == "name" || k == "namespace");
    if !known || !metadata_known {
        return None;
    }
    let mut files = Vec::new();
    for (key, text) in map["data"].as_object()? {
        files.push((key.clone(), text.as_str()?.to_owned()));
    }
    // A key is one file name, and the folder an absolute path of plain parts.
    if files.iter().any(|(key, _)| !plain_part(key)) {
        return None;
    }
    let name = volume["name"].as_str()?;
    let folder = mounts
        .iter()
        .find(|m| m["name"] == name)?
        .get("mountPath")?
        .as_str()?;
    let plain_folder = folder.starts_with('/')
        && folder[1..]
            .split('/')
            .filter(|p| !p.is_empty())
            .all(plain_part);
    if !plain_folder {
        return None;
    }
    let folder = mount_of(name, mounts)?;
    let files = files
        .into_iter()
        .map(|(key, text)| (format!("{}/{key}", folder.trim_end_matches('/')), text))
        .collect();
    Some((map_name.to_owned(), files))
}

/// A part of a path that names a file or folder, never a step out of one.
fn plain_part(part: &str) -> bool {
    !part.is_empty()
        && part != "."
        && part != ".."
        && !part.contains(['/', '\\'])
        && !part.chars().any(char::is_control)
}

fn claimed(template: &Value, mounts: &mut Vec<Value>) -> Option<Claimed> {
    let spec = template["spec"].as_object()?;
    let once = spec["accessModes"] == serde_json::json!(["ReadWriteOnce"]);
    let known = spec
        .keys()
        .all(|k| matches!(k.as_str(), "accessModes" | "resources" | "storageClassName"));
    let metadata = template["metadata"].as_object()?;
    let size = template
        .pointer("/spec/resources/requests/storage")?
        .as_str()?;
    let only_size = template["spec"]["resources"].as_object()?.len() == 1
        && template["spec"]["resources"]["requests"].as_object()?.len() == 1;
    if !(once && known && only_size && metadata.len() == 1 && template.as_object()?.len() == 2) {
        return None;
    }
    let name = metadata.get("name")?.as_str()?.to_owned();
    let path = mount_of(&name, mounts)?;
    Some(Claimed {
        name,
        path,
        size: size.to_owned(),
        class: spec
            .get("storageClassName")
            .and_then(Value::as_str)
            .map(str::to_owned),
    })
}

/// Puts what is left of a list back at `path`, where anything is left.
fn put_back(value: &mut Value, path: &[&str], left: Vec<Value>) {
    if left.is_empty() {
        return;
    }
    let mut at = value;
    for part in path {
        if !at.get(*part).is_some_and(Value::is_object) && *part != path[path.len() - 1] {
            at[*part] = Value::Object(serde_json::Map::new());
        }
        at = &mut at[*part];
    }
    *at = Value::Array(left);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scratch_and_claimed_volumes_mounted_once_are_read_and_the_rest_stays() {
        let mut rest = json!({ "spec": {
            "template": { "spec": { "volumes": [
                { "name": "cache", "emptyDir": { "sizeLimit": "1Gi" } },
                { "name": "spool", "emptyDir": { "medium": "Memory" } },
                { "name": "certs", "secret": { "secretName": "tls" } }
            ] } },
            "volumeClaimTemplates": [{ "metadata": { "name": "data" }, "spec": {
                "accessModes": ["ReadWriteOnce"], "storageClassName": "gp3",
                "resources": { "requests": { "storage": "20Gi" } } } }]
        } });
        let mut main = json!({ "volumeMounts": [
            { "name": "cache", "mountPath": "/var/cache" },
            { "name": "spool", "mountPath": "/spool" },
            { "name": "certs", "mountPath": "/certs", "readOnly": true },
            { "name": "data", "mountPath": "/var/lib/data" }
        ] });
        let mut found = Found::default();
        read_volumes(&mut rest, &mut main, &["spec", "template"], &mut found, &[]);
        assert_eq!(found.volumes.len(), 2);
        assert_eq!(
            (found.volumes[1].path.as_str(), found.volumes[1].memory),
            ("/spool", true)
        );
        assert_eq!(found.volumes[0].size.as_deref(), Some("1Gi"));
        assert_eq!(
            (
                found.storage[0].path.as_str(),
                found.storage[0].size.as_str(),
                found.storage[0].class.as_deref()
            ),
            ("/var/lib/data", "20Gi", Some("gp3"))
        );
        assert_eq!(
            rest,
            json!({ "spec": { "template": { "spec": { "volumes": [
            { "name": "certs", "secret": { "secretName": "tls" } }] } } } })
        );
        assert_eq!(
            main,
            json!({ "volumeMounts": [{ "name": "certs", "mountPath": "/certs", "readOnly": true }] })
        );
    }
}
