//! Flesch–Kincaid grade level, used by the content tests to keep the text plain.
//!
//! grade = 0.39 × (words / sentences) + 11.8 × (syllables / words) − 15.59
//!
//! How the parts are counted (simple and deterministic, not a dictionary):
//! - Sentences end at `.`, `!`, `?` or `:` followed by a space or the end of the text; a text
//!   with no such mark is one sentence.
//! - Words are runs separated by white space or `/`. A token with no letter in it (a number such
//!   as `911` or `1-800-484-3731`) is not counted as a word, so numbers neither raise nor lower
//!   the grade. Hyphenated words (`lab-made`) count as one word.
//! - Syllables: the count of vowel groups (`a e i o u y`) in the word's letters, minus one for a
//!   silent final `e` (but not `-le`), at least one per word. This overcounts some words and
//!   undercounts others by about one syllable; it is close enough to rank text, not exact.

/// Counts for a piece of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub sentences: usize,
    pub words: usize,
    pub syllables: usize,
}

impl Counts {
    /// The Flesch–Kincaid grade for these counts (0 for text with no words).
    pub fn grade(self) -> f64 {
        if self.words == 0 {
            return 0.0;
        }
        let words = self.words as f64;
        let sentences = self.sentences.max(1) as f64;
        0.39 * (words / sentences) + 11.8 * (self.syllables as f64 / words) - 15.59
    }
}

impl std::ops::Add for Counts {
    type Output = Counts;
    fn add(self, other: Counts) -> Counts {
        Counts {
            sentences: self.sentences + other.sentences,
            words: self.words + other.words,
            syllables: self.syllables + other.syllables,
        }
    }
}

/// Syllables in one word, by the vowel-group rule above.
pub fn syllables(word: &str) -> usize {
    let letters: Vec<char> = word
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    if letters.is_empty() {
        return 0;
    }
    let is_vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'é' | 'ā');
    let mut count = 0;
    let mut in_group = false;
    for &c in &letters {
        let vowel = is_vowel(c);
        if vowel && !in_group {
            count += 1;
        }
        in_group = vowel;
    }
    let n = letters.len();
    if count > 1 && letters[n - 1] == 'e' && !(n >= 2 && letters[n - 2] == 'l') {
        count -= 1;
    }
    count.max(1)
}

/// Sentence, word and syllable counts for a text.
pub fn counts(text: &str) -> Counts {
    let mut counts = Counts::default();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if matches!(c, '.' | '!' | '?' | ':')
            && chars.get(i + 1).is_none_or(|next| next.is_whitespace())
        {
            counts.sentences += 1;
        }
    }
    counts.sentences = counts.sentences.max(1);
    for token in text.split(|c: char| c.is_whitespace() || c == '/') {
        if token.chars().any(char::is_alphabetic) {
            counts.words += 1;
            counts.syllables += syllables(token);
        }
    }
    counts
}

/// The Flesch–Kincaid grade of a text.
pub fn grade(text: &str) -> f64 {
    counts(text).grade()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables_follow_the_vowel_group_rule() {
        assert_eq!(syllables("call"), 1);
        assert_eq!(syllables("naloxone"), 3);
        assert_eq!(syllables("breathe"), 1);
        assert_eq!(syllables("little"), 2);
        assert_eq!(syllables("emergency"), 4);
        assert_eq!(syllables("911"), 0);
    }

    #[test]
    fn plain_text_scores_low_and_dense_text_scores_high() {
        assert!(grade("Call for help. Stay with them. Give naloxone.") < 6.0);
        let dense = "Administration of intranasal naloxone hydrochloride necessitates \
                     subsequent observation, considering potential recurrence of respiratory \
                     depression attributable to longer-acting opioid formulations.";
        assert!(grade(dense) > 12.0);
    }

    #[test]
    fn numbers_are_not_words() {
        let c = counts("Call 1-800-484-3731 now.");
        assert_eq!(c.words, 2);
        assert_eq!(c.sentences, 1);
    }
}
