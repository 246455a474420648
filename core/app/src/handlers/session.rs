//! The journal's life: setup with the recovery code, unlock, lock, recovery, a new code, the idle
//! lock's time, erase and set aside. Secrets are wiped from memory when dropped.

use std::time::Instant;

use holdfast_domain::passphrase::{self, Strength};
use zeroize::Zeroizing;

use holdfast_store::SetAside;

use crate::session::{SessionInfo, SetupCode};
use crate::settings::IDLE_CHOICES;
use crate::{App, AppError, IpcError};

impl App {
    /// Where the journal stands, the idle lock and the backup folder.
    pub fn session_info(&self) -> Result<SessionInfo, IpcError> {
        let s = self.session()?;
        Ok(self.info_of(&s))
    }

    /// Live strength of a passphrase being typed.
    pub fn passphrase_strength(&self, passphrase: String) -> Result<Strength, IpcError> {
        Ok(passphrase::strength(&Zeroizing::new(passphrase)))
    }

    /// A suggested passphrase of six random words.
    pub fn suggest_passphrase(&self) -> Result<String, IpcError> {
        Ok(passphrase::suggest()?.to_string())
    }

    /// Setup, step one: checks the passphrase and makes the recovery code (nothing written
    /// yet).
    pub fn begin_setup(&self, passphrase: String) -> Result<SetupCode, IpcError> {
        let passphrase = Zeroizing::new(passphrase);
        Ok(self.active()?.begin_setup(&passphrase)?)
    }

    /// Setup, step two: the typed-back groups of the code; creates and opens the journal.
    pub fn finish_setup(&self, answers: Vec<String>) -> Result<SessionInfo, IpcError> {
        let mut s = self.active()?;
        s.finish_setup(&answers, Instant::now())?;
        Ok(self.info_of(&s))
    }

    /// Forgets a recovery code waiting to be typed back (setup or a new code).
    pub fn cancel_setup(&self) -> Result<SessionInfo, IpcError> {
        let mut s = self.session()?;
        s.cancel_pending();
        Ok(self.info_of(&s))
    }

    /// Opens the journal with the passphrase.
    pub fn unlock(&self, passphrase: String) -> Result<SessionInfo, IpcError> {
        let passphrase = Zeroizing::new(passphrase);
        let mut s = self.session()?;
        s.unlock(&passphrase, Instant::now())?;
        Ok(self.info_of(&s))
    }

    /// Opens the journal with the recovery code and sets a new passphrase; returns a new code
    /// to show, which replaces the old one once typed back (`confirm_new_code`).
    pub fn recover(&self, code: String, new_passphrase: String) -> Result<SetupCode, IpcError> {
        let code = Zeroizing::new(code);
        let new_passphrase = Zeroizing::new(new_passphrase);
        Ok(self
            .session()?
            .recover(&code, &new_passphrase, Instant::now())?)
    }

    /// Locks now.
    pub fn lock(&self) -> Result<SessionInfo, IpcError> {
        let mut s = self.session()?;
        s.lock();
        Ok(self.info_of(&s))
    }

    /// The person did something (tap, key): postpones the idle lock.
    pub fn touch(&self) -> Result<(), IpcError> {
        self.active().map(|_| ())
    }

    /// Saves the idle-lock time, which must be one of the offered choices.
    pub fn set_idle_minutes(&self, minutes: u32) -> Result<SessionInfo, IpcError> {
        if !IDLE_CHOICES.contains(&minutes) {
            return Err(AppError::NotAnIdleChoice.into());
        }
        // Only with the journal open (security review M4): someone holding a locked device
        // must not be able to lengthen the idle lock before the owner's next unlock.
        let s = self.active()?;
        s.store()?;
        self.update_settings(|c| c.idle_lock_minutes = Some(minutes))?;
        Ok(self.info_of(&s))
    }

    /// Replaces the passphrase.
    pub fn change_passphrase(&self, old: String, new: String) -> Result<(), IpcError> {
        let (old, new) = (Zeroizing::new(old), Zeroizing::new(new));
        Ok(self.active()?.change_passphrase(&old, &new)?)
    }

    /// For when someone may know the old passphrase or code: checks `old`, and returns a new
    /// recovery code to show. Once two of its groups are typed back (`confirm_new_code`), the
    /// passphrase becomes `new`, the code the one shown, and the journal gets a new key.
    pub fn begin_key_change(&self, old: String, new: String) -> Result<SetupCode, IpcError> {
        let (old, new) = (Zeroizing::new(old), Zeroizing::new(new));
        Ok(self.active()?.begin_key_change(&old, &new)?)
    }

    /// A new recovery code to show; it replaces the old one once typed back
    /// (`confirm_new_code`).
    pub fn begin_new_code(&self, passphrase: String) -> Result<SetupCode, IpcError> {
        let passphrase = Zeroizing::new(passphrase);
        Ok(self.active()?.begin_new_code(&passphrase)?)
    }

    /// Replaces the recovery code with the one shown, when the typed groups match, and the
    /// journal's key with it (after `begin_key_change`, the passphrase too).
    pub fn confirm_new_code(&self, answers: Vec<String>) -> Result<(), IpcError> {
        Ok(self.active()?.confirm_new_code(&answers)?)
    }

    /// Erases the open journal and its keys (the person typed the word and their passphrase).
    /// Set-aside journals stay, and so do backups (see docs/security.md, L9).
    ///
    /// What the journal left outside its folder goes with it (security review L9): the
    /// start-at-login entry, and the path chosen on the first screen (`mode` in `settings.json`),
    /// so the app starts as it did before any choice. Both after the journal is gone, and best
    /// effort: the erase itself has happened whatever they do.
    pub fn erase(&self, confirmation: String, passphrase: String) -> Result<SessionInfo, IpcError> {
        let passphrase = Zeroizing::new(passphrase);
        let mut s = self.session()?;
        s.erase(&confirmation, &passphrase)?;
        if let Some(folder) = self.host.autostart_folder() {
            let _ = crate::autostart::disable(&folder);
        }
        if self.data_dir().is_some() {
            let _ = self.update_settings(|settings| settings.mode = None);
        }
        Ok(self.info_of(&s))
    }

    /// Moves a damaged (or locked and lost) journal's files into a folder of their own;
    /// returns it.
    pub fn set_aside(&self) -> Result<String, IpcError> {
        let now = self.now();
        let mut s = self.session()?;
        Ok(s.set_aside(now)?.display().to_string())
    }

    /// The journals set aside in the data folder, oldest first (shown at setup, at unlock and in
    /// Settings, so the owner learns that theirs was set aside, and when).
    pub fn list_set_aside(&self) -> Result<Vec<SetAside>, IpcError> {
        Ok(self.session()?.list_set_aside()?)
    }

    /// Puts a set-aside journal back; the one there now is set aside in its place.
    pub fn put_back(&self, name: String) -> Result<SessionInfo, IpcError> {
        let now = self.now();
        let mut s = self.session()?;
        s.put_back(&name, now)?;
        Ok(self.info_of(&s))
    }

    /// Deletes a set-aside journal, with that journal's own passphrase.
    pub fn delete_set_aside(
        &self,
        name: String,
        passphrase: String,
    ) -> Result<Vec<SetAside>, IpcError> {
        let passphrase = Zeroizing::new(passphrase);
        let s = self.session()?;
        s.delete_set_aside(&name, &passphrase)?;
        Ok(s.list_set_aside()?)
    }
}
