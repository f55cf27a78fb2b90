use crate::formats::cloud_identity::gcp_project;
use crate::spec::IdentityProvider;

/// The cloud identity a service's pods act as in one place, through their ServiceAccount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodIdentity {
    pub provider: IdentityProvider,
    /// The IAM role's ARN, the Google service account's email or the Azure client ID.
    pub id: String,
}

impl PodIdentity {
    /// Who the cloud identity must trust for the pods of ServiceAccount `account` of
    /// `namespace` to act as it: the subject of the cluster's tokens an IAM role or an Azure
    /// federated credential names, or the member of GKE's workload pool granted
    /// `roles/iam.workloadIdentityUser` on the Google service account.
    pub fn trusted(&self, namespace: &str, account: &str) -> String {
        match self.provider {
            IdentityProvider::Aws | IdentityProvider::Azure => {
                format!("system:serviceaccount:{namespace}:{account}")
            }
            // The workload pool is taken to be the one of the project the account lives in.
            IdentityProvider::Gcp => format!(
                "serviceAccount:{}.svc.id.goog[{namespace}/{account}]",
                gcp_project(&self.id).unwrap_or_default()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{IdentityProvider, PodIdentity};

    #[test]
    fn each_cloud_trusts_the_service_account_in_its_own_words() {
        let identity = |provider, id: &str| PodIdentity {
            provider,
            id: id.to_owned(),
        };
        assert_eq!(
            identity(IdentityProvider::Aws, "arn:aws:iam::123456789012:role/r")
                .trusted("shop-prod", "orders"),
            "system:serviceaccount:shop-prod:orders"
        );
        assert_eq!(
            identity(
                IdentityProvider::Gcp,
                "reports@shop-prod.iam.gserviceaccount.com"
            )
            .trusted("shop-prod", "reports"),
            "serviceAccount:shop-prod.svc.id.goog[shop-prod/reports]"
        );
        assert_eq!(
            identity(
                IdentityProvider::Azure,
                "7d4f0a3c-2b1e-4c5d-9e8f-0a1b2c3d4e5f"
            )
            .trusted("shop-dev", "mailer"),
            "system:serviceaccount:shop-dev:mailer"
        );
    }
}
