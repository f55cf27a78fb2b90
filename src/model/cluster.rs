/// One cluster an environment deploys to.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterModel {
    /// The cluster's name; none for the one cluster of an environment that lists no
    /// `clusters`, whose paths and names are the environment's own.
    pub name: Option<String>,
    /// API server URL, as registered in Argo CD.
    pub server: String,
    pub region: Option<String>,
    pub domain: String,
    pub preview_domain: String,
    /// Clusters roll out in ascending wave.
    pub wave: u32,
    /// The node image pin of this cluster, over the environment's.
    pub node_image: Option<String>,
    /// Where the services of this cluster read their secrets from.
    pub secret_store: Option<super::SecretStoreModel>,
    /// The cert-manager certificate of the cluster's hosts, when the environment names an
    /// issuer.
    pub certificate: Option<super::CertificateModel>,
    /// The availability zones of the cluster's nodes: its own, or its environment's.
    pub zones: Vec<String>,
}
