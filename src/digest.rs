//! Identities of content: a SHA-256 digest for what is recorded in the store (files, the build
//! fingerprint), and a 128-bit fingerprint for what is only counted or compared in memory.

/// The SHA-256 of the parts (each length-prefixed), in hexadecimal.
pub fn digest_of(parts: &[&[u8]]) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A term's identity for distinct counts: 128 bits of SipHash, so a corpus of millions of terms
/// is counted in constant memory per term with a collision chance below 10^-25.
pub fn fingerprint(term: impl std::hash::Hash) -> u128 {
    use std::hash::{Hash, Hasher};
    let mut low = std::hash::DefaultHasher::new();
    term.hash(&mut low);
    let mut high = std::hash::DefaultHasher::new();
    0xb41c_u16.hash(&mut high);
    term.hash(&mut high);
    (u128::from(high.finish()) << 64) | u128::from(low.finish())
}
