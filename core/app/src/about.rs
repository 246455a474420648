//! What the About screen shows: the version, the build and the data folder, as Rust knows them.

use serde::Serialize;
use ts_rs::TS;

/// Facts about this build of Holdfast and where it keeps its data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// The app's version, from the workspace manifest (for example `0.1.0`).
    pub version: String,
    /// `debug` or `release`.
    pub profile: String,
    /// The short git commit the build came from, or `unknown` when built outside a checkout.
    pub commit: String,
    /// The target the binary was built for (for example `x86_64-linux`).
    pub target: String,
    /// The data folder in use, or `None` when it could not be used (see `dataDirError`).
    pub data_dir: Option<String>,
    /// Why the data folder could not be used, in words a person can act on.
    pub data_dir_error: Option<String>,
}

/// Build facts the shell passes in (they are known only to the binary's own build).
#[derive(Debug, Clone, Copy)]
pub struct BuildFacts<'a> {
    pub version: &'a str,
    pub profile: &'a str,
    pub commit: &'a str,
    pub target: &'a str,
}

impl AppInfo {
    /// Builds the About facts from the build and the outcome of resolving the data folder.
    pub fn new(
        build: BuildFacts<'_>,
        data_dir: &Result<crate::DataDir, crate::DataDirError>,
    ) -> Self {
        let (data_dir, data_dir_error) = match data_dir {
            Ok(dir) => (Some(dir.path().display().to_string()), None),
            Err(err) => (None, Some(err.to_string())),
        };
        Self {
            version: build.version.to_owned(),
            profile: build.profile.to_owned(),
            commit: if build.commit.is_empty() {
                "unknown".to_owned()
            } else {
                build.commit.to_owned()
            },
            target: build.target.to_owned(),
            data_dir,
            data_dir_error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datadir::DataDir;

    const BUILD: BuildFacts<'static> = BuildFacts {
        version: "1.2.3",
        profile: "debug",
        commit: "",
        target: "x86_64-linux",
    };

    #[test]
    fn reports_the_folder_in_use() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        let dir = DataDir::open(tmp.path());
        let info = AppInfo::new(BUILD, &dir);
        assert_eq!(
            info.data_dir.as_deref(),
            Some(tmp.path().to_str().unwrap_or_default())
        );
        assert_eq!(info.data_dir_error, None);
        assert_eq!(info.version, "1.2.3");
        assert_eq!(info.commit, "unknown");
        Ok(())
    }

    #[test]
    fn reports_why_the_folder_cannot_be_used() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        let file = tmp.path().join("a-file");
        std::fs::write(&file, b"x")?;
        let info = AppInfo::new(BUILD, &DataDir::open(&file));
        assert_eq!(info.data_dir, None);
        let why = info.data_dir_error.unwrap_or_default();
        assert!(why.contains("is a file, not a folder"), "{why}");
        Ok(())
    }
}
