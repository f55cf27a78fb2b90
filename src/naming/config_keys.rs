//! The keys configuration files take in their ConfigMap, which `subPath` names: readable
//! where they can be, distinct wherever the paths allow.

/// The ConfigMap key of each path: its file name, with as many of the folders above it as
/// tell it from every other path's key (`nginx.conf`, or `a_config.yaml` beside
/// `b_config.yaml`). A path with no folder left to tell it by may meet another's key
/// (`/etc_app.yaml` beside `/etc/app.yaml` and `/srv/app.yaml`), which validation refuses.
pub(crate) fn config_keys(paths: &[&str]) -> Vec<String> {
    let segments: Vec<Vec<&str>> = paths
        .iter()
        .map(|path| path.trim_matches('/').split('/').collect())
        .collect();
    let key = |at: usize, n: usize| {
        let parts = &segments[at];
        parts[parts.len().saturating_sub(n)..].join("_")
    };
    let mut taken: Vec<usize> = vec![1; paths.len()];
    loop {
        let keys: Vec<String> = (0..paths.len()).map(|at| key(at, taken[at])).collect();
        let mut grew = false;
        for at in 0..paths.len() {
            let shared = keys.iter().filter(|other| **other == keys[at]).count() > 1;
            if shared && taken[at] < segments[at].len() {
                taken[at] += 1;
                grew = true;
            }
        }
        if !grew {
            return keys;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::config_keys;

    #[test]
    fn a_key_is_the_file_name_unless_another_path_ends_the_same() {
        assert_eq!(
            config_keys(&["/etc/nginx/nginx.conf", "/etc/app/config.yaml"]),
            ["nginx.conf", "config.yaml"]
        );
        assert_eq!(
            config_keys(&["/etc/a/config.yaml", "/etc/b/config.yaml", "/srv/x.ini"]),
            ["a_config.yaml", "b_config.yaml", "x.ini"]
        );
        assert_eq!(
            config_keys(&["/a/conf/app.yaml", "/b/conf/app.yaml"]),
            ["a_conf_app.yaml", "b_conf_app.yaml"]
        );
        // A longer key of one path never takes the file name of another.
        assert_eq!(
            config_keys(&["/x/a_b", "/a/b", "/z/b"]),
            ["x_a_b", "a_b", "z_b"]
        );
        // Where a path has no folder left to tell it by, two keys can meet: validation says so.
        assert_eq!(
            config_keys(&["/etc_app.yaml", "/etc/app.yaml", "/srv/app.yaml"]),
            ["etc_app.yaml", "etc_app.yaml", "srv_app.yaml"]
        );
    }
}
