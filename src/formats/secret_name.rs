//! What a variable named like a secret ends with.

/// Endings of variable names that hold secrets; the cluster policy of production refuses
/// literal values for them too.
pub(crate) const SECRET_ENDINGS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "CREDENTIALS",
    "ACCESS_KEY",
];
