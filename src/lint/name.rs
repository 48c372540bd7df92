//! Names compared ignoring case, without allocating.

use std::hash::{Hash, Hasher};

/// A name as written, compared and hashed ignoring ASCII case (Deluge names are
/// case-insensitive): the lints key their sets by it without lowering names into new strings.
#[derive(Clone, Copy, Debug)]
pub struct Name<'a>(pub &'a str);

impl PartialEq for Name<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(other.0)
    }
}

impl Eq for Name<'_> {}

impl Hash for Name<'_> {
    /// Folds the lowered bytes into one word (multiply-rotate, as FxHash does) and hashes
    /// that: names are short and come from the user's own files, so neither quality nor
    /// resistance to crafted collisions matters here, and this costs a few instructions a byte.
    fn hash<H: Hasher>(&self, state: &mut H) {
        let folded = self.0.bytes().fold(0u64, |hash, byte| {
            (hash.rotate_left(5) ^ u64::from(byte.to_ascii_lowercase()))
                .wrapping_mul(0x517c_c1b7_2722_0a95)
        });
        state.write_u64(folded);
    }
}
