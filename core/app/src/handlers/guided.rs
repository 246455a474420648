//! The guided overdose response (`holdfast_domain::response`) as the screens use it: one guide at a
//! time, kept in memory only (nothing is written to disk, in a real response or in practice), its
//! clock the time since it started, and every new step or prompt spoken through the device's voice
//! (`Host::speak`). Works with the journal locked or absent.

use std::time::Instant;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use holdfast_content::{Phone, Region, Step};
use holdfast_domain::emergency;
use holdfast_domain::response::{
    Choice, PacerCue, PracticeSummary, Protocol, Response, ResponseView,
};

use crate::host::VoiceStatus;
use crate::{App, AppError, IpcError};

/// A guide in progress.
#[derive(Debug)]
pub(crate) struct Guided {
    response: Response,
    started: Instant,
    region: Region,
    /// The language the guide speaks (BCP 47), from the app's language.
    lang: String,
    voice: VoiceSettings,
    /// The `say_seq` last spoken, so each step and prompt is said once.
    said_seq: u32,
    /// What was said last (for "Repeat").
    last_said: String,
}

/// The voice controls.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VoiceSettings {
    pub muted: bool,
    pub slower: bool,
}

/// What the guided screen shows: the engine's view and the words for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GuidedView {
    pub state: ResponseView,
    /// The content step shown (title, text, illustration, how-to guide).
    pub step: Step,
    /// The question or prompt, when there is one.
    pub line_text: Option<String>,
    /// Everything said for this step or prompt, in order.
    pub said: String,
    pub region: Region,
    pub region_name: String,
    pub emergency_number: Phone,
    /// Milliseconds since the guide started (the engine's clock).
    #[ts(type = "number")]
    pub elapsed_ms: u64,
    /// When each naloxone dose was given, ms since the start.
    #[ts(type = "number[]")]
    pub dose_times_ms: Vec<u64>,
    pub voice: VoiceSettings,
    pub voice_status: VoiceStatus,
    /// The spoken cues of the pacer ("give 2 breaths", ...), to say at their beats.
    pub cue_texts: Vec<CueText>,
}

/// A pacer cue and its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CueText {
    pub cue: PacerCue,
    pub text: String,
}

impl App {
    fn guided_lock(&self) -> std::sync::MutexGuard<'_, Option<Guided>> {
        self.guided
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn guided_view(&self, g: &mut Guided) -> Result<GuidedView, IpcError> {
        let state = g.response.view();
        let pack = self.content()?;
        let guide = pack
            .response_guide(g.region)
            .ok_or(emergency::GuideError::NoResponseSteps(
                emergency::region_name(g.region),
            ))?;
        let step = guide
            .steps
            .get(state.step_index as usize)
            .cloned()
            .ok_or(AppError::GuideStep)?;
        let line_text = state
            .line
            .map(|l| holdfast_content::advice_sentence(l.advice_id()).to_owned());
        let said = match (&line_text, state.says_step) {
            (Some(line), true) => format!("{} {}", step.text, line),
            (Some(line), false) => line.clone(),
            (None, _) => step.text.clone(),
        };
        if state.say_seq != g.said_seq {
            g.said_seq = state.say_seq;
            g.last_said.clone_from(&said);
            if !g.voice.muted {
                // A missing voice is shown once on screen (voice_status); the guide goes on.
                let _ = self.host.speak(&said, &g.lang, g.voice.slower);
            }
        }
        let number = pack.emergency_number(g.region).cloned().ok_or(
            emergency::GuideError::NoEmergencyNumber(emergency::region_name(g.region)),
        )?;
        Ok(GuidedView {
            elapsed_ms: self.guided_now(g),
            dose_times_ms: g.response.doses().to_vec(),
            state,
            step,
            line_text,
            said,
            region: g.region,
            region_name: emergency::region_name(g.region).to_owned(),
            emergency_number: number,
            voice: g.voice,
            voice_status: self.host.voice_status(),
            cue_texts: PacerCue::ALL
                .iter()
                .map(|&cue| CueText {
                    cue,
                    text: holdfast_content::advice_sentence(cue.advice_id()).to_owned(),
                })
                .collect(),
        })
    }

    fn guided_now(&self, g: &Guided) -> u64 {
        u64::try_from(g.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Starts the guided response for `region` (in practice, nothing dials). Replaces any guide
    /// in progress. Keeps the screen awake until [`App::guided_end`].
    pub fn guided_start(&self, region: String, practice: bool) -> Result<GuidedView, IpcError> {
        let region = emergency::parse_region(&region).ok_or(AppError::UnknownRegion)?;
        let pack = self.content()?;
        let item = pack
            .response_guide(region)
            .ok_or(emergency::GuideError::NoResponseSteps(
                emergency::region_name(region),
            ))?;
        let protocol = Protocol::from_item(region, &item, &self.timer)?;
        let voice = self
            .guided_lock()
            .as_ref()
            .map(|g| g.voice)
            .unwrap_or_default();
        let mut g = Guided {
            response: Response::start(protocol, practice),
            started: Instant::now(),
            region,
            lang: "en".to_owned(),
            voice,
            said_seq: 0,
            last_said: String::new(),
        };
        self.host.stop_speaking();
        self.host.keep_awake(true);
        let view = self.guided_view(&mut g)?;
        *self.guided_lock() = Some(g);
        Ok(view)
    }

    fn with_guide(
        &self,
        f: impl FnOnce(&mut Guided, u64) -> Result<(), IpcError>,
    ) -> Result<GuidedView, IpcError> {
        let mut slot = self.guided_lock();
        let g = slot.as_mut().ok_or(AppError::NoGuide)?;
        let now = self.guided_now(g);
        f(g, now)?;
        self.guided_view(g)
    }

    /// The helper's answer (a button, or Space, Enter, Y or N).
    pub fn guided_answer(&self, choice: Choice) -> Result<GuidedView, IpcError> {
        self.with_guide(|g, now| {
            g.response.answer(choice, now)?;
            Ok(())
        })
    }

    /// Lets the guide's timers run (the screen calls this when `nextDueMs` comes).
    pub fn guided_tick(&self) -> Result<GuidedView, IpcError> {
        self.with_guide(|g, now| {
            g.response.tick(now)?;
            Ok(())
        })
    }

    /// Mute and slower speech. Muting stops what is being said.
    pub fn guided_voice(&self, voice: VoiceSettings) -> Result<GuidedView, IpcError> {
        self.with_guide(|g, _| {
            if voice.muted && !g.voice.muted {
                self.host.stop_speaking();
            }
            g.voice = voice;
            Ok(())
        })
    }

    /// Says the step or prompt again.
    pub fn guided_repeat(&self) -> Result<GuidedView, IpcError> {
        self.with_guide(|g, _| {
            if !g.voice.muted {
                let _ = self.host.speak(&g.last_said, &g.lang, g.voice.slower);
            }
            Ok(())
        })
    }

    /// Says one of the pacer's cues (at its beat; the screen keeps the beat).
    pub fn guided_cue(&self, cue: PacerCue) -> Result<(), IpcError> {
        let slot = self.guided_lock();
        let g = slot.as_ref().ok_or(AppError::NoGuide)?;
        if !g.voice.muted {
            let _ = self.host.speak_cue(
                holdfast_content::advice_sentence(cue.advice_id()),
                &g.lang,
                g.voice.slower,
            );
        }
        Ok(())
    }

    /// Ends the guide: stops speaking, lets the screen sleep again, and returns how a practice
    /// run went (for a real response too: the screen shows it only in practice).
    pub fn guided_end(&self) -> Result<PracticeSummary, IpcError> {
        let ended = self.guided_lock().take();
        self.host.stop_speaking();
        self.host.keep_awake(false);
        let g = ended.ok_or(AppError::NoGuide)?;
        Ok(g.response.practice_summary())
    }
}
