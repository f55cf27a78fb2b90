//! Grafana dashboards as the sidecar loads them: a ConfigMap carrying the estate's dashboard
//! label, holding one dashboard's JSON. Panels read Prometheus through a data source chosen
//! on the dashboard, so the same JSON works whatever the data source is called.

use serde::Serialize;
use serde_json::{Value, json};

/// One time series panel: its queries, unit, and the objective drawn as a line.
pub(super) struct Panel {
    pub title: String,
    pub unit: &'static str,
    /// Query and legend of each series.
    pub queries: Vec<(String, String)>,
    pub threshold: Option<Value>,
}

/// A dashboard as Grafana reads it. Typed rather than built as a `serde_json::Value`: an
/// estate writes one per service and environment, and building each as a map of maps was the
/// largest part of emitting it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Dashboard {
    uid: String,
    title: String,
    tags: Vec<String>,
    editable: bool,
    schema_version: u32,
    timezone: &'static str,
    time: TimeRange,
    refresh: &'static str,
    templating: Templating,
    panels: Vec<PanelJson>,
}

#[derive(Serialize)]
struct TimeRange {
    from: &'static str,
    to: &'static str,
}

#[derive(Serialize)]
struct Templating {
    list: [DataSourceVariable; 1],
}

#[derive(Serialize)]
struct DataSourceVariable {
    name: &'static str,
    label: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    query: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PanelJson {
    id: usize,
    #[serde(rename = "type")]
    kind: &'static str,
    title: String,
    grid_pos: GridPos,
    datasource: DataSource,
    targets: Vec<Target>,
    field_config: FieldConfig,
}

#[derive(Serialize)]
struct GridPos {
    x: usize,
    y: usize,
    w: usize,
    h: usize,
}

/// The data source picked on the dashboard, whatever the estate's Prometheus is called.
#[derive(Serialize)]
struct DataSource {
    #[serde(rename = "type")]
    kind: &'static str,
    uid: &'static str,
}

const PROMETHEUS: DataSource = DataSource {
    kind: "prometheus",
    uid: "${datasource}",
};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Target {
    ref_id: String,
    datasource: DataSource,
    expr: String,
    legend_format: String,
}

#[derive(Serialize)]
struct FieldConfig {
    defaults: FieldDefaults,
    overrides: [(); 0],
}

#[derive(Serialize)]
struct FieldDefaults {
    unit: &'static str,
    thresholds: Thresholds,
    custom: Custom,
}

#[derive(Serialize)]
struct Thresholds {
    mode: &'static str,
    steps: Vec<Step>,
}

#[derive(Serialize)]
struct Step {
    color: &'static str,
    value: Option<Value>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Custom {
    thresholds_style: ThresholdsStyle,
}

#[derive(Serialize)]
struct ThresholdsStyle {
    mode: &'static str,
}

/// The dashboard, panels two to a row.
pub(super) fn dashboard(uid: &str, title: &str, tags: &[&str], panels: Vec<Panel>) -> Dashboard {
    Dashboard {
        uid: uid.to_owned(),
        title: title.to_owned(),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        editable: false,
        schema_version: 39,
        timezone: "utc",
        time: TimeRange {
            from: "now-6h",
            to: "now",
        },
        refresh: "1m",
        templating: Templating {
            list: [DataSourceVariable {
                name: "datasource",
                label: "Prometheus",
                kind: "datasource",
                query: "prometheus",
            }],
        },
        panels: panels
            .into_iter()
            .enumerate()
            .map(|(i, panel)| panel_json(i, panel))
            .collect(),
    }
}

fn panel_json(index: usize, panel: Panel) -> PanelJson {
    let targets = panel
        .queries
        .into_iter()
        .zip('A'..)
        .map(|((expr, legend), ref_id)| Target {
            ref_id: ref_id.to_string(),
            datasource: PROMETHEUS,
            expr,
            legend_format: legend,
        })
        .collect();
    let mut steps = vec![Step {
        color: "green",
        value: None,
    }];
    let style = if let Some(threshold) = panel.threshold {
        steps.push(Step {
            color: "red",
            value: Some(threshold),
        });
        "line"
    } else {
        "off"
    };
    PanelJson {
        id: index + 1,
        kind: "timeseries",
        title: panel.title,
        grid_pos: GridPos {
            x: (index % 2) * 12,
            y: (index / 2) * 8,
            w: 12,
            h: 8,
        },
        datasource: PROMETHEUS,
        targets,
        field_config: FieldConfig {
            defaults: FieldDefaults {
                unit: panel.unit,
                thresholds: Thresholds {
                    mode: "absolute",
                    steps,
                },
                custom: Custom {
                    thresholds_style: ThresholdsStyle { mode: style },
                },
            },
            overrides: [],
        },
    }
}

/// A ConfigMap the Grafana sidecar loads: `file` is the name the dashboard gets on disk.
pub(super) fn config_map(
    name: &str,
    labels: &serde_json::Map<String, Value>,
    file: &str,
    dashboard: &Dashboard,
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
pub(super) fn uid(parts: &[&str]) -> String {
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
