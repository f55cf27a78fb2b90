//! What a variable named like a secret ends with.

/// Endings of variable names that hold secrets; the cluster policy of production refuses
/// literal values for them too. A short word is matched with the `_` before it, so `DB_PASS`
/// is a secret and `BYPASS` is not.
pub(crate) const SECRET_ENDINGS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "_PASS",
    "_PWD",
    "PASSPHRASE",
    "SECRET",
    "SECRET_KEY",
    "SECRET_KEY_BASE",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "SIGNING_KEY",
    "ENCRYPTION_KEY",
    "CREDENTIALS",
    "ACCESS_KEY",
];

/// Whether a variable called `name` holds a secret by its name.
pub(crate) fn named_like_a_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    SECRET_ENDINGS.iter().any(|ending| upper.ends_with(ending))
}
