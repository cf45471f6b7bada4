//! A stable hash: the same on every machine, in every run and with every version of Rust,
//! which byte-identical outputs and the shards of one run rely on (the standard library's
//! hashers promise none of it). Not for checksums of files: those are XXH3 (`export::files`).

const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0100_0000_01b3;

/// FNV-1a of `bytes`, with `seed` mixed into the offset basis (0: FNV-1a itself), so that
/// equal bytes hashed for different purposes differ.
pub fn fnv1a(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = OFFSET_BASIS ^ seed;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(PRIME);
    }
    h
}

/// [`fnv1a`] of the bytes of `parts` one after the other, without joining them.
pub fn fnv1a_parts(seed: u64, parts: &[&[u8]]) -> u64 {
    let mut h = OFFSET_BASIS ^ seed;
    for &b in parts.iter().flat_map(|p| p.iter()) {
        h ^= b as u64;
        h = h.wrapping_mul(PRIME);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_is_fnv1a() {
        assert_eq!(fnv1a(0, b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(0, b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a_parts(7, &[b"w", b"", b"ort"]), fnv1a(7, b"wort"));
    }
}
