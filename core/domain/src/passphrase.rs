//! Passphrase strength (zxcvbn) and suggested passphrases (words from the EFF short list).
//!
//! One implementation serves both the live feedback while the person types and the minimum the
//! app enforces when a passphrase is set, so the two can never disagree.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

use crate::{Internal, Invalid};

/// Shortest passphrase the store accepts, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 8;
/// Longest passphrase the store accepts, in bytes.
pub const MAX_PASSPHRASE_BYTES: usize = 1024;

/// The passphrase as keys are derived from it (security review L4): its NFC form, so the same
/// accented passphrase gives the same key whether it arrives composed (é) or decomposed (e and a
/// combining accent). The length and strength rules judge this form too, so a decomposed
/// passphrase cannot pass on characters its key does not have. Built in one buffer of room
/// enough, so no shorter copy is left unwiped when it grows.
pub fn normalized(passphrase: &str) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(passphrase.len().saturating_mul(3)));
    out.extend(passphrase.nfc());
    out
}

/// The forms to try when opening a key slot or a backup, most likely first, without repeats: NFC
/// (what this version writes), then NFD and the text as typed, for slots and backups written
/// before normalisation (the fallback stays: such files may be opened years later). An ASCII
/// passphrase is a single try.
pub fn forms_to_try(passphrase: &str) -> Vec<Zeroizing<String>> {
    let mut nfd = Zeroizing::new(String::with_capacity(passphrase.len().saturating_mul(3)));
    nfd.extend(passphrase.nfd());
    let mut forms = vec![normalized(passphrase)];
    for form in [nfd, Zeroizing::new(passphrase.to_owned())] {
        if !forms.iter().any(|f| **f == *form) {
            forms.push(form);
        }
    }
    forms
}

/// The length rule every new passphrase must pass, wherever it is set (setup, a change, a
/// recovery, a backup), on its [`normalized`] form.
pub fn check_length(field: &'static str, passphrase: &str) -> Result<(), Invalid> {
    let passphrase = normalized(passphrase);
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(Invalid::new(
            field,
            format!("must have at least {MIN_PASSPHRASE_CHARS} characters"),
        ));
    }
    if passphrase.len() > MAX_PASSPHRASE_BYTES {
        return Err(Invalid::new(field, "is too long"));
    }
    Ok(())
}

/// Fills `buf` from the system's secure random source.
pub fn fill_random(buf: &mut [u8]) -> Result<(), Internal> {
    use ring::rand::SecureRandom;
    ring::rand::SystemRandom::new()
        .fill(buf)
        .map_err(|_| Internal("the system's random source failed"))
}

/// The lowest zxcvbn score (0–4) a passphrase may have: "hard to guess" (more than 10^8 guesses;
/// each guess also costs an Argon2id derivation of about a third of a second).
pub const MIN_SCORE: u8 = 3;

/// zxcvbn's run time grows with length; characters past this are not scored (they only add
/// strength, so nothing is overstated).
const SCORED_CHARS: usize = 100;

/// How strong a passphrase is, for the live meter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Strength {
    /// zxcvbn's score, 0 (very easy to guess) to 4 (very hard to guess).
    pub score: u8,
    /// The score in words.
    pub label: String,
    /// Whether it may be used (at least [`MIN_PASSPHRASE_CHARS`] characters and score ≥ [`MIN_SCORE`]).
    pub acceptable: bool,
    /// What is wrong, in plain words, when something is.
    pub warning: Option<String>,
    /// What would make it stronger.
    pub suggestions: Vec<String>,
}

/// Scores `passphrase`. `context` are words that should not count as secret (the app's name).
pub fn strength(passphrase: &str) -> Strength {
    let passphrase = normalized(passphrase);
    let chars = passphrase.chars().count();
    let scored: Zeroizing<String> = Zeroizing::new(passphrase.chars().take(SCORED_CHARS).collect());
    let entropy = zxcvbn::zxcvbn(&scored, &["holdfast"]);
    let score = u8::from(entropy.score());
    let mut warning = entropy
        .feedback()
        .and_then(|f| f.warning())
        .map(|w| w.to_string());
    let mut suggestions: Vec<String> = entropy
        .feedback()
        .map(|f| f.suggestions().iter().map(ToString::to_string).collect())
        .unwrap_or_default();
    let too_short = chars < MIN_PASSPHRASE_CHARS;
    let too_long = passphrase.len() > MAX_PASSPHRASE_BYTES;
    if too_short {
        warning = Some(format!(
            "Use at least {MIN_PASSPHRASE_CHARS} characters. Four or more words are best."
        ));
    } else if too_long {
        warning = Some("This is too long. Use fewer words.".to_owned());
    } else if score < MIN_SCORE && suggestions.is_empty() {
        suggestions.push("Add another word or two. Uncommon words are better.".to_owned());
    }
    let label = match score {
        0 | 1 => "Very easy to guess",
        2 => "Easy to guess",
        3 => "Hard to guess",
        _ => "Very hard to guess",
    }
    .to_owned();
    Strength {
        score,
        label,
        acceptable: !too_short && !too_long && score >= MIN_SCORE,
        warning,
        suggestions,
    }
}

/// Refuses a new passphrase that is not [`Strength::acceptable`], with a message for the field.
pub fn check(field: &'static str, passphrase: &str) -> Result<(), Invalid> {
    let s = strength(passphrase);
    if s.acceptable {
        return Ok(());
    }
    let reason = match s.warning {
        Some(w) if normalized(passphrase).chars().count() < MIN_PASSPHRASE_CHARS => w,
        _ => "is too easy to guess. Add more words, or use the suggested one.".to_owned(),
    };
    Err(Invalid { field, reason })
}

/// The EFF short word list 1 (1,296 words of at most five letters, chosen to be easy to spell
/// and remember). © Electronic Frontier Foundation, CC BY 3.0 US; see `assets/wordlists/`.
const WORDS: &str = include_str!("../../../assets/wordlists/eff-short-wordlist-1.txt");

/// Words of the list never suggested: drug slang and words about harm or death, which would be
/// unkind in a passphrase typed every day by someone in recovery.
pub const LEFT_OUT: &[&str] = &[
    "acid", "ashes", "blunt", "broke", "bud", "buzz", "candy", "coke", "crank", "cut", "dab",
    "drown", "dust", "gear", "grass", "grave", "harm", "hash", "hurt", "ice", "judge", "line",
    "rock", "rope", "score", "slum", "smash", "sniff", "snort", "speed", "spoon", "stash", "syrup",
    "trial", "tweak",
];

/// How many words a suggestion has. With 1,261 words to choose from, six give about 62 bits.
pub const SUGGESTED_WORDS: usize = 6;

/// The words suggestions are drawn from.
pub fn word_list() -> Vec<&'static str> {
    WORDS
        .lines()
        .map(str::trim)
        .filter(|w| !w.is_empty() && !LEFT_OUT.contains(w))
        .collect()
}

/// A random passphrase of [`SUGGESTED_WORDS`] words joined by spaces, drawn without bias from
/// the system's secure random source.
pub fn suggest() -> Result<Zeroizing<String>, Internal> {
    let words = word_list();
    let n = u32::try_from(words.len()).map_err(|_| Internal("word list"))?;
    if n == 0 {
        return Err(Internal("word list"));
    }
    // Rejection sampling: only values below the largest multiple of n are used.
    let limit = u32::MAX - (u32::MAX % n);
    let mut out = Zeroizing::new(String::new());
    let mut chosen = 0;
    while chosen < SUGGESTED_WORDS {
        let mut buf = [0u8; 4];
        fill_random(&mut buf)?;
        let r = u32::from_le_bytes(buf);
        if r >= limit {
            continue;
        }
        let idx = usize::try_from(r % n).map_err(|_| Internal("word list"))?;
        let word = words.get(idx).ok_or(Internal("word list"))?;
        if chosen > 0 {
            out.push(' ');
        }
        out.push_str(word);
        chosen += 1;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decomposed_passphrase_is_judged_on_the_form_its_key_comes_from() {
        // "été été" typed decomposed is 11 code points, composed 7: too short either way.
        let decomposed = "e\u{301}te\u{301} e\u{301}te\u{301}";
        assert_eq!(decomposed.chars().count(), 11);
        assert!(check_length("passphrase", decomposed).is_err());
        assert!(check("passphrase", decomposed).is_err());
        assert_eq!(
            strength(decomposed),
            strength("\u{e9}t\u{e9} \u{e9}t\u{e9}")
        );
    }

    #[test]
    fn composed_and_decomposed_give_one_form_and_ascii_one_try() {
        let composed = "caf\u{e9} au lait";
        let decomposed = "cafe\u{301} au lait";
        assert_eq!(*normalized(composed), *normalized(decomposed));
        assert_eq!(forms_to_try("correct horse").len(), 1);
        let forms = forms_to_try(decomposed);
        assert_eq!(forms.len(), 2);
        assert_eq!(
            (forms[0].as_str(), forms[1].as_str()),
            (composed, decomposed)
        );
        // Mixed (one é composed, one decomposed): neither NFC nor NFD is the text as typed.
        let mixed = "caf\u{e9} e\u{301}clair";
        assert_eq!(forms_to_try(mixed).len(), 3);
        assert_eq!(forms_to_try(mixed)[2].as_str(), mixed);
    }

    #[test]
    fn short_and_common_passphrases_are_refused() {
        for weak in [
            "",
            "short",
            "password",
            "password1",
            "holdfast2026",
            "qwertyuiop",
        ] {
            let s = strength(weak);
            assert!(!s.acceptable, "{weak:?} was accepted: {s:?}");
            assert!(s.warning.is_some() || !s.suggestions.is_empty(), "{weak:?}");
            assert!(check("passphrase", weak).is_err());
        }
        assert!(strength("short")
            .warning
            .as_deref()
            .is_some_and(|w| w.contains("8")));
    }

    #[test]
    fn strong_passphrases_are_accepted() {
        for strong in ["maple trout visor quilt", "correct horse battery staple"] {
            let s = strength(strong);
            assert!(s.acceptable, "{strong:?}: {s:?}");
            assert!(s.score >= MIN_SCORE);
            assert!(check("passphrase", strong).is_ok());
        }
    }

    #[test]
    fn huge_input_is_scored_quickly_and_refused() {
        let huge = "a".repeat(MAX_PASSPHRASE_BYTES + 1);
        let s = strength(&huge);
        assert!(!s.acceptable);
        let long_ok = "maple trout visor quilt ".repeat(10);
        assert!(strength(&long_ok).acceptable);
    }

    #[test]
    fn the_word_list_is_whole_and_kind() {
        let words = word_list();
        assert_eq!(words.len(), 1296 - LEFT_OUT.len());
        for left in LEFT_OUT {
            assert!(
                WORDS.lines().any(|w| w == *left),
                "{left} is not in the list"
            );
            assert!(!words.contains(left));
        }
        assert!(words
            .iter()
            .all(|w| w.len() <= 5 && w.chars().all(|c| c.is_ascii_lowercase() || c == '-')));
    }

    #[test]
    fn suggestions_are_strong_random_and_from_the_list() -> Result<(), Internal> {
        let words = word_list();
        let a = suggest()?;
        let b = suggest()?;
        assert_ne!(*a, *b);
        for s in [&a, &b] {
            let parts: Vec<&str> = s.split(' ').collect();
            assert_eq!(parts.len(), SUGGESTED_WORDS);
            assert!(parts.iter().all(|p| words.contains(p)), "{s:?}");
            assert!(strength(s).acceptable, "{s:?}");
        }
        Ok(())
    }
}
