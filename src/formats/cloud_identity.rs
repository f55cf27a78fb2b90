//! The identifiers of cloud identities as each cloud writes them: an IAM role ARN, a Google
//! service account's email, an Azure client ID.

/// The AWS partitions an IAM role lives in.
const PARTITIONS: [&str; 3] = ["aws", "aws-cn", "aws-us-gov"];
/// IAM's longest role name and path.
const MAX_ROLE_NAME: usize = 64;
const MAX_ROLE_PATH: usize = 512;
/// The length of a Google service account's name and of a project ID.
const GOOGLE_ID: std::ops::RangeInclusive<usize> = 6..=30;
const GOOGLE_DOMAIN: &str = ".iam.gserviceaccount.com";

/// Why `arn` is not `arn:<partition>:iam::<12-digit account>:role/<path/name>`, if it is not.
pub(crate) fn aws_role_problem(arn: &str) -> Option<&'static str> {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(partition), Some(service), Some(region), Some(account), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Some("an ARN is six parts separated by `:`, starting with `arn`");
    };
    if !PARTITIONS.contains(&partition) {
        return Some("the partition is `aws`, `aws-cn` or `aws-us-gov`");
    }
    if service != "iam" {
        return Some("a role is in the `iam` service");
    }
    if !region.is_empty() {
        return Some("IAM is global: an IAM ARN names no region (`iam::`)");
    }
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Some("the account is 12 digits");
    }
    let Some(path) = resource.strip_prefix("role/") else {
        return Some("the resource is `role/` and the role's name");
    };
    let (folders, name) = path.rsplit_once('/').unwrap_or(("", path));
    if name.is_empty() || name.len() > MAX_ROLE_NAME {
        return Some("a role's name is 1 to 64 characters");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
    {
        return Some("a role's name is letters, digits and `+=,.@_-`");
    }
    if folders.len() + 2 > MAX_ROLE_PATH
        || folders
            .split('/')
            .any(|folder| folder.is_empty() && !folders.is_empty())
        || !folders.bytes().all(|b| (0x21..=0x7e).contains(&b))
    {
        return Some("a role's path is folders of printable characters, each ending in `/`");
    }
    None
}

/// Why `email` is not `<name>@<project>.iam.gserviceaccount.com`, if it is not.
pub(crate) fn gcp_service_account_problem(email: &str) -> Option<&'static str> {
    let Some((name, domain)) = email.split_once('@') else {
        return Some(
            "a service account is an email address, `<name>@<project>.iam.gserviceaccount.com`",
        );
    };
    let Some(project) = domain.strip_suffix(GOOGLE_DOMAIN) else {
        return Some("a service account of a project ends in `.iam.gserviceaccount.com`");
    };
    if google_id_problem(name) {
        return Some(
            "the name before `@` is 6 to 30 lowercase letters, digits and `-`, starting with a letter and not ending with `-`",
        );
    }
    if google_id_problem(project) {
        return Some(
            "the project ID is 6 to 30 lowercase letters, digits and `-`, starting with a letter and not ending with `-`",
        );
    }
    None
}

/// The project of a Google service account, `<name>@<project>.iam.gserviceaccount.com`.
pub(crate) fn gcp_project(email: &str) -> Option<&str> {
    email.split_once('@')?.1.strip_suffix(GOOGLE_DOMAIN)
}

/// Whether `id` is not a Google account name or project ID.
fn google_id_problem(id: &str) -> bool {
    !GOOGLE_ID.contains(&id.len())
        || !id.starts_with(|c: char| c.is_ascii_lowercase())
        || id.ends_with('-')
        || !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Why `id` is not a UUID (`8-4-4-4-12` hex digits), if it is not.
pub(crate) fn azure_client_id_problem(id: &str) -> Option<&'static str> {
    let groups: Vec<&str> = id.split('-').collect();
    let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    if lengths != [8, 4, 4, 4, 12] {
        return Some("a UUID is 8, 4, 4, 4 and 12 hex digits separated by `-`");
    }
    if !groups
        .iter()
        .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return Some("a UUID's digits are hex: `0-9` and `a-f`");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_iam_role_arn_names_a_partition_an_account_and_a_role() {
        for good in [
            "arn:aws:iam::123456789012:role/orders",
            "arn:aws-cn:iam::123456789012:role/team/orders-prod",
            "arn:aws-us-gov:iam::123456789012:role/a/b/c+=,.@_-",
        ] {
            assert_eq!(aws_role_problem(good), None, "{good}");
        }
        for (bad, why) in [
            ("orders", "six parts"),
            ("arn:aws:iam::123456789012", "six parts"),
            ("arn:gcp:iam::123456789012:role/x", "partition"),
            ("arn:aws:s3::123456789012:role/x", "`iam`"),
            ("arn:aws:iam:eu-west-1:123456789012:role/x", "no region"),
            ("arn:aws:iam::12345678901:role/x", "12 digits"),
            ("arn:aws:iam::12345678901a:role/x", "12 digits"),
            ("arn:aws:iam::123456789012:user/x", "`role/`"),
            ("arn:aws:iam::123456789012:role/", "1 to 64"),
            ("arn:aws:iam::123456789012:role/team/", "1 to 64"),
            ("arn:aws:iam::123456789012:role/a b", "letters, digits"),
            ("arn:aws:iam::123456789012:role/a//b", "path"),
            ("arn:aws:iam::123456789012:role/é/b", "path"),
        ] {
            let problem = aws_role_problem(bad).unwrap_or_else(|| panic!("{bad} is refused"));
            assert!(problem.contains(why), "{bad}: {problem}");
        }
        let long = format!("arn:aws:iam::123456789012:role/{}", "r".repeat(65));
        assert!(aws_role_problem(&long).is_some());
    }

    #[test]
    fn a_google_service_account_is_a_projects_email() {
        let good = "orders-api@shop-prod-42.iam.gserviceaccount.com";
        assert_eq!(gcp_service_account_problem(good), None);
        assert_eq!(gcp_project(good), Some("shop-prod-42"));
        for (bad, why) in [
            ("orders", "email address"),
            ("orders@shop-prod.gserviceaccount.com", "ends in"),
            ("1234-compute@developer.gserviceaccount.com", "ends in"),
            ("ord@shop-prod.iam.gserviceaccount.com", "name before `@`"),
            (
                "Orders-api@shop-prod.iam.gserviceaccount.com",
                "name before `@`",
            ),
            (
                "orders-@shop-prod.iam.gserviceaccount.com",
                "name before `@`",
            ),
            ("orders@shop.iam.gserviceaccount.com", "project ID"),
            ("orders@7shop-prod.iam.gserviceaccount.com", "project ID"),
        ] {
            let problem =
                gcp_service_account_problem(bad).unwrap_or_else(|| panic!("{bad} is refused"));
            assert!(problem.contains(why), "{bad}: {problem}");
        }
    }

    #[test]
    fn an_azure_client_id_is_a_uuid() {
        assert_eq!(
            azure_client_id_problem("7d4f0a3c-2b1e-4c5d-9e8f-0a1b2c3d4e5f"),
            None
        );
        assert_eq!(
            azure_client_id_problem("7D4F0A3C-2B1E-4C5D-9E8F-0A1B2C3D4E5F"),
            None
        );
        for bad in [
            "",
            "7d4f0a3c2b1e4c5d9e8f0a1b2c3d4e5f",
            "7d4f0a3c-2b1e-4c5d-9e8f-0a1b2c3d4e5",
            "7d4f0a3c-2b1e-4c5d-9e8f-0a1b2c3d4e5g",
            "{7d4f0a3c-2b1e-4c5d-9e8f-0a1b2c3d4e5f}",
        ] {
            assert!(azure_client_id_problem(bad).is_some(), "{bad}");
        }
    }
}
