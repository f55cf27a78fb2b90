use schemars::JsonSchema;
use serde::Deserialize;

/// The cloud identity a service's pods act as, through their ServiceAccount: exactly one of
/// an AWS IAM role, a Google service account or an Azure managed identity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    example = serde_json::json!({"aws_role": "arn:aws:iam::123456789012:role/orders"}),
    extend("minProperties" = 1, "maxProperties" = 1)
)]
pub struct Identity {
    /// An IAM role (EKS IAM roles for service accounts):
    /// `arn:aws:iam::<12-digit account>:role/<path/name>` (`aws-cn`, `aws-us-gov` too).
    #[serde(default)]
    #[schemars(example = &"arn:aws:iam::123456789012:role/orders")]
    pub aws_role: Option<String>,
    /// A Google service account (GKE Workload Identity):
    /// `<name>@<project>.iam.gserviceaccount.com`.
    #[serde(default)]
    #[schemars(example = &"orders@shop-prod.iam.gserviceaccount.com")]
    pub gcp_service_account: Option<String>,
    /// The client ID of an Azure managed identity or application (Azure Workload Identity),
    /// a UUID.
    #[serde(default)]
    #[schemars(example = &"7d4f0a3c-2b1e-4c5d-9e8f-0a1b2c3d4e5f")]
    pub azure_client_id: Option<String>,
}

/// The cloud whose webhook gives a pod its identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IdentityProvider {
    Aws,
    Gcp,
    Azure,
}

impl IdentityProvider {
    pub const ALL: [Self; 3] = [Self::Aws, Self::Gcp, Self::Azure];

    /// The key of an identity table that names it.
    pub fn key(self) -> &'static str {
        match self {
            Self::Aws => "aws_role",
            Self::Gcp => "gcp_service_account",
            Self::Azure => "azure_client_id",
        }
    }

    /// The ServiceAccount annotation its webhook reads.
    pub fn annotation(self) -> &'static str {
        match self {
            Self::Aws => "eks.amazonaws.com/role-arn",
            Self::Gcp => "iam.gke.io/gcp-service-account",
            Self::Azure => "azure.workload.identity/client-id",
        }
    }

    /// As a reader names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Aws => "aws",
            Self::Gcp => "gcp",
            Self::Azure => "azure",
        }
    }
}

impl Identity {
    /// The providers the table names, each with its value, in the order of the spec's keys.
    pub fn named(&self) -> Vec<(IdentityProvider, &str)> {
        IdentityProvider::ALL
            .into_iter()
            .filter_map(|provider| Some((provider, self.value(provider)?)))
            .collect()
    }

    fn value(&self, provider: IdentityProvider) -> Option<&str> {
        match provider {
            IdentityProvider::Aws => self.aws_role.as_deref(),
            IdentityProvider::Gcp => self.gcp_service_account.as_deref(),
            IdentityProvider::Azure => self.azure_client_id.as_deref(),
        }
    }

    /// The one provider a valid table names, with its value.
    pub fn single(&self) -> Option<(IdentityProvider, &str)> {
        match self.named()[..] {
            [one] => Some(one),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Identity;

    #[test]
    fn only_a_table_of_one_provider_is_single() {
        let identity: Identity =
            toml::from_str("aws_role = \"arn\"\nazure_client_id = \"id\"\n").unwrap();
        assert_eq!(identity.named().len(), 2);
        assert_eq!(identity.single(), None);
        assert_eq!(Identity::default().single(), None);
    }
}
