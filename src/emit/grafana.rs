//! Grafana dashboards as the sidecar loads them: a ConfigMap carrying the estate's dashboard
//! label, holding one dashboard's JSON. Panels read Prometheus through a data source chosen
//! on the dashboard, so the same JSON works whatever the data source is called.

use serde_json::{Value, json};

/// One time series panel: its queries, unit, and the objective drawn as a line.
pub struct Panel {
    pub title: String,
    pub unit: &'static str,
    /// Query and legend of each series.
    pub queries: Vec<(String, String)>,
    pub threshold: Option<Value>,
}

/// The dashboard JSON, panels two to a row.
pub fn dashboard(uid: &str, title: &str, tags: &[&str], panels: Vec<Panel>) -> Value {
    let panels: Vec<Value> = panels
        .into_iter()
        .enumerate()
        .map(|(i, panel)| panel_json(i, panel))
        .collect();
    json!({
        "uid": uid,
        "title": title,
        "tags": tags,
        "editable": false,
        "schemaVersion": 39,
        "timezone": "utc",
        "time": { "from": "now-6h", "to": "now" },
        "refresh": "1m",
        "templating": {
            "list": [{
                "name": "datasource",
                "label": "Prometheus",
                "type": "datasource",
                "query": "prometheus",
            }],
        },
        "panels": panels,
    })
}

fn panel_json(index: usize, panel: Panel) -> Value {
    let targets: Vec<Value> = panel
        .queries
        .into_iter()
        .zip('A'..)
        .map(|((expr, legend), ref_id)| {
            json!({
                "refId": ref_id.to_string(),
                "datasource": { "type": "prometheus", "uid": "${datasource}" },
                "expr": expr,
                "legendFormat": legend,
            })
        })
        .collect();
    let mut steps = vec![json!({ "color": "green", "value": null })];
    let style = if let Some(threshold) = panel.threshold {
        steps.push(json!({ "color": "red", "value": threshold }));
        "line"
    } else {
        "off"
    };
    let id = index + 1;
    json!({
        "id": id,
        "type": "timeseries",
        "title": panel.title,
        "gridPos": { "x": (index % 2) * 12, "y": (index / 2) * 8, "w": 12, "h": 8 },
        "datasource": { "type": "prometheus", "uid": "${datasource}" },
        "targets": targets,
        "fieldConfig": {
            "defaults": {
                "unit": panel.unit,
                "thresholds": { "mode": "absolute", "steps": steps },
                "custom": { "thresholdsStyle": { "mode": style } },
            },
            "overrides": [],
        },
    })
}

/// A ConfigMap the Grafana sidecar loads: `file` is the name the dashboard gets on disk.
pub fn config_map(
    name: &str,
    labels: &serde_json::Map<String, Value>,
    file: &str,
    dashboard: &Value,
) -> Value {
    let text = serde_json::to_string_pretty(dashboard).expect("a JSON value serializes");
    json!({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": { "name": name, "labels": labels },
        "data": { file: format!("{text}\n") },
    })
}

/// A dashboard uid Grafana accepts (at most 40 characters) that stays the same for the same
/// dashboard: FNV-1a of what the dashboard shows.
pub fn uid(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in parts.join("/").bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("fleetc-{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::uid;

    #[test]
    fn uids_fit_grafana_and_tell_dashboards_apart() {
        let a = uid(&["acme", "prod", "users"]);
        assert!(a.len() <= 40);
        assert_eq!(a, uid(&["acme", "prod", "users"]));
        assert_ne!(a, uid(&["acme", "dev", "users"]));
    }
}
