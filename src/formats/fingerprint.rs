//! A SHA-256 fingerprint of several texts, each prefixed with its length so that no two
//! different lists of texts give the same bytes to hash.

use std::fmt::Write;

use sha2::{Digest, Sha256};

/// The fingerprint of `parts`, in lowercase hexadecimal.
pub(crate) fn fingerprint<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part);
    }
    hasher
        .finalize()
        .iter()
        .fold(String::new(), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn where_one_part_ends_is_part_of_the_fingerprint() {
        let ab_c = fingerprint([b"ab".as_slice(), b"c"]);
        let a_bc = fingerprint([b"a".as_slice(), b"bc"]);
        assert_ne!(ab_c, a_bc);
        assert_eq!(ab_c.len(), 64);
        assert_eq!(ab_c, fingerprint([b"ab".as_slice(), b"c"]));
    }
}
