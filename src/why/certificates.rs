//! `fleetc why` for the certificate files of an environment (`envs/<env>/certificate.yaml`,
//! `cluster-issuer.yaml`) and the TLS lines of its Ingresses: the spec keys that can explain a
//! line, most specific first.

/// Keys under `environments.<env>`, most specific first, for a line of `file`.
pub(crate) fn candidates(
    env: &str,
    file: &str,
    line: &str,
    domains: [&str; 2],
) -> Vec<Vec<String>> {
    let acme = |rest: &[&'static str]| acme_key(env, rest);
    let mut found: Vec<Vec<&str>> = Vec::new();
    match file {
        "certificate.yaml" => {
            let host = line.strip_prefix("- ").unwrap_or_default();
            if host == domains[0] {
                found.push(vec!["environments", env, "domain"]);
            } else if host == domains[1] {
                found.push(vec!["environments", env, "preview_domain"]);
                found.push(vec!["environments", env, "domain"]);
            }
            if line.starts_with("name:") || line.starts_with("kind: ClusterIssuer") {
                found.push(vec!["environments", env, "certificates", "issuer"]);
                found.push(acme(&[]));
            }
        }
        "cluster-issuer.yaml" => {
            let field = line.split(':').next().unwrap_or_default();
            let route53 = |key| acme(&["solver", "route53", key]);
            let cloudflare = |key| acme(&["solver", "cloudflare", key]);
            match field {
                "server" => found.push(acme(&["server"])),
                "email" => found.push(acme(&["email"])),
                "region" => found.push(route53("region")),
                "hostedZoneID" => found.push(route53("hosted_zone_id")),
                "role" => found.push(route53("role")),
                "name" | "key" => found.extend([
                    acme(&["private_key_secret"]),
                    route53("access_key_secret"),
                    cloudflare("api_token_secret"),
                    cloudflare("api_token_key"),
                ]),
                _ => {}
            }
            found.push(acme(&["solver"]));
            found.push(acme(&[]));
        }
        _ if line.starts_with("secretName:") => {}
        _ => return Vec::new(),
    }
    found.push(vec!["environments", env, "certificates"]);
    found
        .into_iter()
        .map(|key| key.into_iter().map(str::to_owned).collect())
        .collect()
}

fn acme_key<'a>(env: &'a str, rest: &[&'static str]) -> Vec<&'a str> {
    let mut key = vec!["environments", env, "certificates", "acme"];
    key.extend_from_slice(rest);
    key
}

#[cfg(test)]
mod tests {
    use super::candidates;

    fn first(file: &str, line: &str) -> String {
        candidates("prod", file, line, ["shop.example", "preview.shop.example"])[0].join(".")
    }

    #[test]
    fn certificate_lines_lead_to_their_keys() {
        assert_eq!(
            first("certificate.yaml", "- preview.shop.example"),
            "environments.prod.preview_domain"
        );
        assert_eq!(
            first("certificate.yaml", "- shop.example"),
            "environments.prod.domain"
        );
        assert_eq!(
            first("cluster-issuer.yaml", "hostedZoneID: Z1"),
            "environments.prod.certificates.acme.solver.route53.hosted_zone_id"
        );
        assert_eq!(
            first("ingress.yaml", "secretName: shop-tls"),
            "environments.prod.certificates"
        );
        assert!(candidates("prod", "ingress.yaml", "host: x", ["x", "y"]).is_empty());
    }
}
