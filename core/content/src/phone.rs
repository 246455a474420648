//! `tel:` and `sms:` URIs for the numbers in the content pack.
//!
//! Full numbers are parsed with the `phonenumber` crate (libphonenumber metadata) for the
//! resource's region, must be valid numbers there, and are written in E.164 (`tel:+18006624357`).
//! Emergency and short numbers (911, 999, 000, 111, 112, 988, 116 123, 85258 ...) are not full
//! national numbers and are not in that metadata, so they are marked `short_code = true` and get
//! their own check instead: digits only (spaces and hyphens allowed as written), 3 to 8 digits
//! (8 covers the UK textphone relay prefix `18001 111`), and the URI carries the bare digits.

use super::model::Region;

/// Why a number cannot be turned into a URI.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("a short code may only hold digits, spaces and hyphens")]
    NotDigits,
    #[error("a short code must have 3 to 8 digits, this has {0}")]
    ShortLength(usize),
    #[error("not a phone number: {0}")]
    Unparseable(String),
    #[error("not a valid {0} number")]
    Invalid(&'static str),
    #[error("a text keyword may only hold letters and digits")]
    Keyword,
}

/// The digits of a short code, or why it is not one.
pub fn short_code_digits(number: &str) -> Result<String, PhoneError> {
    let mut digits = String::new();
    for c in number.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' => {}
            _ => return Err(PhoneError::NotDigits),
        }
    }
    if !(3..=8).contains(&digits.len()) {
        return Err(PhoneError::ShortLength(digits.len()));
    }
    Ok(digits)
}

/// The E.164 form (`+18006624357`) of a full national number in `region`.
pub fn e164(number: &str, region: Region) -> Result<String, PhoneError> {
    let parsed = phonenumber::parse(Some(region.phone_country()), number)
        .map_err(|err| PhoneError::Unparseable(err.to_string()))?;
    if !phonenumber::is_valid(&parsed) {
        return Err(PhoneError::Invalid(region.code()));
    }
    Ok(parsed.format().mode(phonenumber::Mode::E164).to_string())
}

/// The dialable part of a number: E.164 for a full number, the digits for a short code.
fn dialable(number: &str, short_code: bool, region: Region) -> Result<String, PhoneError> {
    if short_code {
        short_code_digits(number)
    } else {
        e164(number, region)
    }
}

/// The `tel:` URI for a number (`tel:+18006624357`, or `tel:988` for a short code).
pub fn tel_uri(number: &str, short_code: bool, region: Region) -> Result<String, PhoneError> {
    Ok(format!("tel:{}", dialable(number, short_code, region)?))
}

/// The `sms:` URI for a text line, with the keyword as the message body when there is one
/// (`sms:741741?body=HOME`). Keywords are letters and digits only, so they need no escaping.
pub fn sms_uri(
    number: &str,
    short_code: bool,
    keyword: Option<&str>,
    region: Region,
) -> Result<String, PhoneError> {
    let target = dialable(number, short_code, region)?;
    match keyword {
        None => Ok(format!("sms:{target}")),
        Some(word) if !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric()) => {
            Ok(format!("sms:{target}?body={word}"))
        }
        Some(_) => Err(PhoneError::Keyword),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_numbers_become_e164() -> Result<(), PhoneError> {
        assert_eq!(
            tel_uri("1-800-662-4357", false, Region::Us)?,
            "tel:+18006624357"
        );
        assert_eq!(
            tel_uri("0300 123 6600", false, Region::Uk)?,
            "tel:+443001236600"
        );
        assert_eq!(
            tel_uri("1800 250 015", false, Region::Au)?,
            "tel:+611800250015"
        );
        Ok(())
    }

    #[test]
    fn short_codes_keep_their_digits() -> Result<(), PhoneError> {
        assert_eq!(tel_uri("911", true, Region::Us)?, "tel:911");
        assert_eq!(tel_uri("000", true, Region::Au)?, "tel:000");
        assert_eq!(tel_uri("116 123", true, Region::Uk)?, "tel:116123");
        assert_eq!(
            sms_uri("741741", true, Some("HOME"), Region::Us)?,
            "sms:741741?body=HOME"
        );
        assert_eq!(sms_uri("988", true, None, Region::Ca)?, "sms:988");
        Ok(())
    }

    #[test]
    fn bad_numbers_are_rejected() {
        // A made-up US number (555 exchange, 0 area-code start) is not valid.
        assert!(tel_uri("1-023-555-0100", false, Region::Us).is_err());
        // Letters and lengths in short codes.
        assert_eq!(tel_uri("9I1", true, Region::Us), Err(PhoneError::NotDigits));
        assert_eq!(
            tel_uri("91", true, Region::Us),
            Err(PhoneError::ShortLength(2))
        );
        // A full number wrongly marked as a short code fails the length check.
        assert!(tel_uri("1-800-662-4357", true, Region::Us).is_err());
        // A keyword that would need escaping.
        assert_eq!(
            sms_uri("741741", true, Some("HI THERE"), Region::Us),
            Err(PhoneError::Keyword)
        );
    }
}
