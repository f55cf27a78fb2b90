//! Which cloud identity a service's pods act as in a place: the most specific table wins as a
//! whole, since a role of one account means nothing with a provider of another.

use super::{Identity, Layer, Service};

impl Service {
    /// The identity of the service's pods in `env` (in its `cluster`, when the environment
    /// lists clusters), and the layer that gives it: a table replaces the one below it as a
    /// whole, since a role of one account means nothing with a provider of another.
    pub(crate) fn identity_at(
        &self,
        env: &str,
        cluster: Option<&str>,
    ) -> Option<(&Identity, Layer)> {
        let over = self.overrides.get(env);
        let in_cluster = over
            .zip(cluster)
            .and_then(|(over, cluster)| over.clusters.get(cluster)?.identity.as_ref());
        in_cluster
            .map(|identity| (identity, Layer::ClusterOverride))
            .or_else(|| Some((over?.identity.as_ref()?, Layer::Override)))
            .or_else(|| Some((self.identity.as_ref()?, Layer::Service)))
    }
}

#[cfg(test)]
mod tests {
    use super::Layer;
    use crate::spec::IdentityProvider;

    use crate::spec::test_service as service;

    #[test]
    fn a_cluster_or_an_environment_replaces_the_services_identity_as_a_whole() {
        let service = service(
            "identity.aws_role = \"arn:aws:iam::111111111111:role/a\"\n\
             [overrides.prod.identity]\ngcp_service_account = \"a@p.iam.gserviceaccount.com\"\n\
             [overrides.prod.clusters.us.identity]\nazure_client_id = \"x\"",
        );
        let at = |env, cluster| {
            let (identity, layer) = service.identity_at(env, cluster).unwrap();
            (identity.single().unwrap().0, layer)
        };
        assert_eq!(at("dev", None), (IdentityProvider::Aws, Layer::Service));
        assert_eq!(
            at("prod", Some("eu")),
            (IdentityProvider::Gcp, Layer::Override)
        );
        assert_eq!(
            at("prod", Some("us")),
            (IdentityProvider::Azure, Layer::ClusterOverride)
        );
        let (prod, _) = service.identity_at("prod", None).unwrap();
        assert_eq!(prod.aws_role, None, "nothing of the service's is merged in");
    }

    #[test]
    fn a_service_without_an_identity_has_none_anywhere() {
        assert!(service("").identity_at("prod", None).is_none());
    }
}
