//! Lists of Applications and names kept to a screenful, however large the change: a
//! reviewer reads what a change does at a glance, and JSON keeps every name.

use std::collections::BTreeMap;

use super::applications::AppPlace;

/// The most lines of Applications, or names on one line, shown before the rest are counted.
pub(crate) const SCREENFUL: usize = 20;

/// One line per service, `auth: dev, staging, prod (eu, us)`, its environments in promotion
/// order (`order`; any other after them, by name) and the clusters of an environment that
/// lists them in brackets; the environments' own Applications first, on one line, by name.
/// Past [`SCREENFUL`] lines the services left are counted in a last line.
pub(super) fn by_service(apps: &[AppPlace], order: &[String]) -> Vec<String> {
    let rank = |env: &str| {
        (
            order.iter().position(|e| e == env).unwrap_or(usize::MAX),
            env.to_owned(),
        )
    };
    let mut own: Vec<&AppPlace> = apps.iter().filter(|a| a.service.is_none()).collect();
    own.sort_by_key(|a| (rank(&a.environment), a.cluster.clone()));
    let mut services: BTreeMap<&str, Vec<&AppPlace>> = BTreeMap::new();
    for app in apps {
        if let Some(service) = &app.service {
            services.entry(service).or_default().push(app);
        }
    }
    let mut lines = Vec::new();
    if !own.is_empty() {
        let names: Vec<String> = own.iter().map(|a| a.name()).collect();
        lines.push(at_most(&names, SCREENFUL));
    }
    let room = SCREENFUL - lines.len();
    let shown = if services.len() > room {
        room - 1
    } else {
        services.len()
    };
    for (service, places) in services.iter().take(shown) {
        lines.push(format!("{service}: {}", environments(places, &rank)));
    }
    let hidden: Vec<&Vec<&AppPlace>> = services.values().skip(shown).collect();
    if !hidden.is_empty() {
        let apps: usize = hidden.iter().map(|places| places.len()).sum();
        lines.push(format!(
            "and {} more service{} ({apps} Application{})",
            hidden.len(),
            plural(hidden.len()),
            plural(apps)
        ));
    }
    lines
}

/// `dev, staging, prod (eu, us)`: each environment once, its clusters beside it.
fn environments(places: &[&AppPlace], rank: &dyn Fn(&str) -> (usize, String)) -> String {
    let mut by_environment: BTreeMap<((usize, String), bool), Vec<&str>> = BTreeMap::new();
    for place in places {
        let clusters = by_environment
            .entry((rank(&place.environment), place.cluster.is_some()))
            .or_default();
        clusters.extend(place.cluster.as_deref());
    }
    by_environment
        .into_iter()
        .map(|(((_, env), _), mut clusters)| {
            clusters.sort_unstable();
            if clusters.is_empty() {
                env
            } else {
                format!("{env} ({})", clusters.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `a, b, c`, or the first `limit` of many and how many more: `a, b and 98 more`.
pub(crate) fn at_most(names: &[impl AsRef<str>], limit: usize) -> String {
    let shown: Vec<&str> = names.iter().take(limit).map(AsRef::as_ref).collect();
    let mut line = shown.join(", ");
    if names.len() > limit {
        line.push_str(&format!(" and {} more", names.len() - limit));
    }
    line
}

pub(super) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(service: Option<&str>, env: &str, cluster: Option<&str>) -> AppPlace {
        AppPlace {
            service: service.map(str::to_owned),
            environment: env.to_owned(),
            cluster: cluster.map(str::to_owned),
        }
    }

    fn order() -> Vec<String> {
        ["dev", "staging", "prod"].map(str::to_owned).to_vec()
    }

    #[test]
    fn a_service_is_one_line_of_its_environments_in_promotion_order() {
        let apps = [
            place(Some("users"), "prod", None),
            place(Some("auth"), "staging", None),
            place(Some("users"), "dev", None),
            place(Some("users"), "qa", None),
            place(Some("users"), "staging", None),
        ];
        assert_eq!(
            by_service(&apps, &order()),
            ["auth: staging", "users: dev, staging, prod, qa"]
        );
    }

    #[test]
    fn clusters_sit_beside_their_environment() {
        let apps = [
            place(Some("users"), "prod", Some("us")),
            place(Some("users"), "dev", None),
            place(Some("users"), "prod", Some("eu")),
            place(None, "prod", Some("us")),
            place(None, "dev", None),
        ];
        assert_eq!(
            by_service(&apps, &order()),
            [
                "dev (environment), prod/us (environment)",
                "users: dev, prod (eu, us)"
            ]
        );
    }

    #[test]
    fn past_a_screenful_the_rest_is_counted() {
        let mut apps: Vec<AppPlace> = (0..50)
            .flat_map(|i| {
                order()
                    .into_iter()
                    .map(move |env| place(Some(&format!("s{i:02}")), &env, None))
            })
            .collect();
        apps.push(place(None, "qa", None));
        let lines = by_service(&apps, &order());
        assert_eq!(lines.len(), SCREENFUL);
        assert_eq!(lines[0], "qa (environment)");
        assert_eq!(lines[1], "s00: dev, staging, prod");
        assert_eq!(lines[18], "s17: dev, staging, prod");
        assert_eq!(lines[19], "and 32 more services (96 Applications)");
    }

    #[test]
    fn a_screenful_exactly_is_shown_whole() {
        let apps: Vec<AppPlace> = (0..SCREENFUL)
            .map(|i| place(Some(&format!("s{i:02}")), "dev", None))
            .collect();
        let lines = by_service(&apps, &order());
        assert_eq!(lines.len(), SCREENFUL);
        assert_eq!(lines[SCREENFUL - 1], "s19: dev");
    }

    #[test]
    fn a_long_list_of_names_is_cut_and_counted() {
        assert_eq!(at_most(&["a", "b"], 2), "a, b");
        assert_eq!(at_most(&["a", "b", "c", "d"], 2), "a, b and 2 more");
    }
}
