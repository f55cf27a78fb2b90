//! `environments.<env>.certificates` → the Certificate of the environment's hosts and the
//! ClusterIssuer that signs it.

use crate::model::{AcmeIssuer, AcmeSolver, CertificateModel};
use crate::naming::table;
use crate::spec::{Certificates, Solver};

/// Runs on a validated spec: `certificates` names an issuer or describes an ACME one, and an
/// ACME issuer has its server and email.
pub(crate) fn resolve_certificate(
    certificates: &Certificates,
    enterprise: &str,
    env: &str,
    hosts: [&str; 2],
    ingress_class: &str,
) -> CertificateModel {
    let acme = certificates.acme.as_ref().map(|acme| AcmeIssuer {
        server: acme.server.clone().unwrap_or_default(),
        email: acme.email.clone().unwrap_or_default(),
        private_key_secret: acme
            .private_key_secret
            .clone()
            .unwrap_or_else(|| table::ACME_ACCOUNT_SECRET.build(&[enterprise, env])),
        solver: solver(acme.solver.as_ref(), ingress_class),
    });
    let issuer = certificates
        .issuer
        .clone()
        .unwrap_or_else(|| table::CLUSTER_ISSUER.build(&[enterprise, env]));
    let mut dns_names: Vec<String> = hosts.iter().map(|h| (*h).to_owned()).collect();
    dns_names.dedup();
    CertificateModel {
        name: table::CERTIFICATE.build(&[enterprise]),
        secret_name: table::TLS_SECRET.build(&[enterprise, ""]),
        dns_names,
        issuer,
        acme,
    }
}

fn solver(solver: Option<&Solver>, ingress_class: &str) -> AcmeSolver {
    let http01 = || AcmeSolver::Http01 {
        ingress_class: ingress_class.to_owned(),
    };
    let Some(solver) = solver else {
        return http01();
    };
    if let Some(route53) = &solver.route53 {
        return AcmeSolver::Route53 {
            region: route53.region.clone(),
            hosted_zone_id: route53.hosted_zone_id.clone(),
            role: route53.role.clone(),
            access_key_secret: route53.access_key_secret.clone(),
        };
    }
    if let Some(cloudflare) = &solver.cloudflare {
        return AcmeSolver::Cloudflare {
            api_token_secret: cloudflare.api_token_secret.clone(),
            api_token_key: cloudflare.api_token_key.clone(),
        };
    }
    http01()
}

#[cfg(test)]
mod tests {
    use super::resolve_certificate;
    use crate::model::AcmeSolver;
    use crate::spec::{Acme, Certificates, Cloudflare, Solver};

    fn acme(solver: Option<Solver>) -> Certificates {
        Certificates {
            issuer: None,
            acme: Some(Acme {
                server: Some("https://acme.example/directory".into()),
                email: Some("ops@acme.example".into()),
                private_key_secret: None,
                solver,
            }),
        }
    }

    #[test]
    fn a_named_issuer_signs_both_hosts_into_the_live_ingress_secret() {
        let named = Certificates {
            issuer: Some("letsencrypt".into()),
            acme: None,
        };
        let cert = resolve_certificate(
            &named,
            "shop",
            "prod",
            ["a.example", "p.a.example"],
            "nginx",
        );
        assert_eq!(cert.issuer, "letsencrypt");
        assert_eq!(cert.secret_name, "shop-tls");
        assert_eq!(cert.dns_names, ["a.example", "p.a.example"]);
        assert!(cert.acme.is_none());
    }

    #[test]
    fn an_acme_issuer_is_named_after_its_environment_and_answers_http01_by_default() {
        let cert = resolve_certificate(
            &acme(None),
            "shop",
            "qa",
            ["q.example", "q.example"],
            "traefik",
        );
        assert_eq!(cert.issuer, "shop-qa-acme");
        assert_eq!(cert.dns_names, ["q.example"], "one host written once");
        let issuer = cert.acme.unwrap();
        assert_eq!(issuer.private_key_secret, "shop-qa-acme-account");
        assert_eq!(
            issuer.solver,
            AcmeSolver::Http01 {
                ingress_class: "traefik".into()
            }
        );
    }

    #[test]
    fn a_dns_solver_is_kept() {
        let solver = Solver {
            cloudflare: Some(Cloudflare {
                api_token_secret: "cf".into(),
                api_token_key: "token".into(),
            }),
            ..Solver::default()
        };
        let cert = resolve_certificate(&acme(Some(solver)), "shop", "qa", ["q", "p"], "nginx");
        assert_eq!(
            cert.acme.unwrap().solver,
            AcmeSolver::Cloudflare {
                api_token_secret: "cf".into(),
                api_token_key: "token".into()
            }
        );
    }
}
