//! What the command line asks of this launch: the data folder ([`crate::datadir`]) and which
//! screen the window opens on.
//!
//! `--emergency` (the desktop entry's action "Someone may be overdosing") opens the overdose
//! response directly. The shell gives the window that screen's address from the start
//! ([`FirstScreen::page`]), so the page never shows Home first and nothing has to be asked over
//! IPC. A mobile app shortcut would open the same address (see `docs/screens.md`).
//!
//! Arguments that are not understood are returned, not refused (the shell notes each in one line
//! on stderr): WebDriver and launchers may add their own, and an unknown one must never stand
//! between a person and the help they opened the app for.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::datadir::{self, ArgError, Source};

/// The flag that opens the overdose response first.
pub const EMERGENCY_FLAG: &str = "--emergency";

/// The screen the window opens on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FirstScreen {
    /// The UI's own start: Home (or whatever the address names; normally nothing).
    #[default]
    Home,
    /// The overdose response steps with the call button (`#/emergency` in the UI's router).
    Emergency,
}

impl FirstScreen {
    /// The page the window loads, relative to the app's own origin: the UI's `index.html`, with
    /// the route in the hash when it is not Home (`ui/src/lib/router.ts` reads it at start).
    pub fn page(self) -> &'static str {
        match self {
            FirstScreen::Home => "index.html",
            FirstScreen::Emergency => "index.html#/emergency",
        }
    }
}

/// What this launch was asked for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Launch {
    /// The data folder and where the choice came from, as [`datadir::choose`] decides.
    pub data_dir: Option<(PathBuf, Source)>,
    /// The screen the window opens on.
    pub first_screen: FirstScreen,
}

/// Reads the command line (`args` without the program name), the data folder variable and the
/// default folder. Returns what was asked and the arguments not understood, for the caller to
/// mention.
///
/// `--emergency` may stand anywhere except as the value of `--data-dir` (`--data-dir
/// --emergency` names a folder, as it always has).
pub fn parse(
    args: impl IntoIterator<Item = OsString>,
    env_value: Option<OsString>,
    default: Option<PathBuf>,
) -> Result<(Launch, Vec<OsString>), ArgError> {
    let mut first_screen = FirstScreen::Home;
    let mut rest = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == EMERGENCY_FLAG {
            first_screen = FirstScreen::Emergency;
        } else if arg == "--data-dir" {
            // Its value goes with it, whatever it looks like.
            rest.push(arg);
            rest.extend(args.next());
        } else {
            rest.push(arg);
        }
    }
    let (data_dir, unknown) = datadir::choose(rest, env_value, default)?;
    Ok((
        Launch {
            data_dir,
            first_screen,
        },
        unknown,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(v: &[&str]) -> Vec<OsString> {
        v.iter().map(OsString::from).collect()
    }

    #[test]
    fn no_arguments_open_home() -> Result<(), ArgError> {
        let (launch, unknown) = parse(os(&[]), None, None)?;
        assert_eq!(launch, Launch::default());
        assert_eq!(launch.first_screen.page(), "index.html");
        assert!(unknown.is_empty());
        Ok(())
    }

    #[test]
    fn the_emergency_flag_opens_the_response_wherever_it_stands() -> Result<(), ArgError> {
        for args in [
            &["--emergency"][..],
            &["--data-dir", "/d", "--emergency"],
            &["--emergency", "--data-dir=/d"],
            &["--emergency", "--emergency"],
        ] {
            let (launch, unknown) = parse(os(args), None, None)?;
            assert_eq!(launch.first_screen, FirstScreen::Emergency, "{args:?}");
            assert!(unknown.is_empty(), "{args:?}");
        }
        assert_eq!(FirstScreen::Emergency.page(), "index.html#/emergency");
        Ok(())
    }

    #[test]
    fn the_data_folder_is_chosen_as_before() -> Result<(), ArgError> {
        let (launch, _) = parse(os(&["--emergency", "--data-dir", "/arg"]), None, None)?;
        assert_eq!(
            launch.data_dir,
            Some((PathBuf::from("/arg"), Source::Argument))
        );
        let (launch, _) = parse(
            os(&["--emergency"]),
            Some(OsString::from("/env")),
            Some(PathBuf::from("/default")),
        )?;
        assert_eq!(
            launch.data_dir,
            Some((PathBuf::from("/env"), Source::Environment))
        );
        Ok(())
    }

    #[test]
    fn a_folder_named_like_the_flag_is_a_folder() -> Result<(), ArgError> {
        let (launch, _) = parse(os(&["--data-dir", "--emergency"]), None, None)?;
        assert_eq!(launch.first_screen, FirstScreen::Home);
        assert_eq!(
            launch.data_dir,
            Some((PathBuf::from("--emergency"), Source::Argument))
        );
        Ok(())
    }

    #[test]
    fn unknown_arguments_are_returned_not_refused() -> Result<(), ArgError> {
        let (launch, unknown) = parse(
            os(&["--emergancy", "--emergency=yes", "-e", "--emergency", "x"]),
            None,
            None,
        )?;
        assert_eq!(launch.first_screen, FirstScreen::Emergency);
        assert_eq!(unknown, os(&["--emergancy", "--emergency=yes", "-e", "x"]));
        Ok(())
    }

    #[test]
    fn a_data_dir_without_its_value_is_still_an_error() {
        assert_eq!(
            parse(os(&["--emergency", "--data-dir"]), None, None),
            Err(ArgError::MissingValue)
        );
    }
}
