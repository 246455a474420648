//! Passphrases as the bytes keys are derived from (security review L4). The same accented
//! passphrase can arrive composed (é, U+00E9) or decomposed (e + U+0301), depending on the
//! keyboard and the system; both must open the journal and its backups. New key slots and backups
//! are derived from the NFC form. Opening tries NFC first, then NFD and the text as typed, so
//! slots and backups written before normalisation still open (each distinct form once; an ASCII
//! passphrase is a single try).

use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

/// The form new slots and backups are derived from.
pub(crate) fn for_new(passphrase: &str) -> Zeroizing<String> {
    Zeroizing::new(passphrase.nfc().collect())
}

/// The forms to try when opening, most likely first, without repeats.
pub(crate) fn to_try(passphrase: &str) -> Vec<Zeroizing<String>> {
    let mut forms = vec![for_new(passphrase)];
    for form in [
        Zeroizing::new(passphrase.nfd().collect::<String>()),
        Zeroizing::new(passphrase.to_owned()),
    ] {
        if !forms.iter().any(|f| **f == *form) {
            forms.push(form);
        }
    }
    forms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composed_and_decomposed_give_one_form_and_ascii_one_try() {
        let composed = "caf\u{e9} au lait";
        let decomposed = "cafe\u{301} au lait";
        assert_ne!(composed, decomposed);
        assert_eq!(*for_new(composed), *for_new(decomposed));
        assert_eq!(to_try("correct horse").len(), 1);
        let forms = to_try(decomposed);
        assert_eq!(forms.len(), 2);
        assert_eq!(*forms[0], composed);
        assert_eq!(*forms[1], decomposed);
    }
}
