//! The device's voice for the guided response, over the `tts` crate (Speech Dispatcher on Linux;
//! AVFoundation on macOS and iOS, the Android TTS engine and WinRT elsewhere), and the screen kept
//! awake while the guide runs (`keepawake`: the desktop's idle-inhibit interfaces over D-Bus).
//!
//! Each runs on a thread of its own, fed by a channel, so a slow or missing speech service or
//! D-Bus peer never holds up a command or the window: `speak` and `keep_awake` return at once.

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use holdfast_app::VoiceStatus;

enum Say {
    Step {
        text: String,
        lang: String,
        slower: bool,
    },
    Cue {
        text: String,
        lang: String,
        slower: bool,
    },
    Stop,
}

/// The voice thread's handle. The thread starts the first time something is to be said, so a
/// person who never opens the guided response never starts a speech service.
#[derive(Debug, Default)]
pub struct Voice {
    running: OnceLock<Running>,
}

#[derive(Debug)]
struct Running {
    tx: Mutex<Sender<Say>>,
    status: Arc<Mutex<VoiceStatus>>,
    started: Instant,
}

/// A speech service that has not answered by then is taken as missing (one that accepts the
/// connection and never replies would otherwise leave the guide waiting for a voice).
const CONNECT_WITHIN: Duration = Duration::from_secs(3);

fn status_of(status: &Mutex<VoiceStatus>) -> VoiceStatus {
    status
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone()
}

fn set_status(status: &Mutex<VoiceStatus>, value: VoiceStatus) {
    *status.lock().unwrap_or_else(PoisonError::into_inner) = value;
}

impl Running {
    fn start() -> Self {
        let (tx, rx) = mpsc::channel();
        let status = Arc::new(Mutex::new(VoiceStatus::Starting));
        let thread_status = Arc::clone(&status);
        let spawned = std::thread::Builder::new()
            .name("holdfast-voice".into())
            .spawn(move || run(&rx, &thread_status));
        if let Err(e) = spawned {
            set_status(
                &status,
                VoiceStatus::Unavailable {
                    reason: format!("The voice could not start ({e}), so the steps are not spoken. They are all on screen."),
                },
            );
        }
        Self {
            tx: Mutex::new(tx),
            status,
            started: Instant::now(),
        }
    }
}

impl Voice {
    fn running(&self) -> &Running {
        self.running.get_or_init(Running::start)
    }

    fn send(&self, say: Say) -> Result<(), String> {
        if let VoiceStatus::Unavailable { reason } = self.status() {
            return Err(reason);
        }
        self.running()
            .tx
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .send(say)
            .map_err(|_| holdfast_app::NO_VOICE.to_owned())
    }

    /// Whether the voice can speak (starting it if it has not started).
    pub fn status(&self) -> VoiceStatus {
        let running = self.running();
        match status_of(&running.status) {
            VoiceStatus::Starting if running.started.elapsed() > CONNECT_WITHIN => {
                VoiceStatus::Unavailable {
                    reason: "The voice service did not answer, so the steps are not spoken. They are all on screen.".to_owned(),
                }
            }
            other => other,
        }
    }

    pub fn speak(&self, text: &str, lang: &str, slower: bool) -> Result<(), String> {
        self.send(Say::Step {
            text: text.to_owned(),
            lang: lang.to_owned(),
            slower,
        })
    }

    pub fn speak_cue(&self, text: &str, lang: &str, slower: bool) -> Result<(), String> {
        self.send(Say::Cue {
            text: text.to_owned(),
            lang: lang.to_owned(),
            slower,
        })
    }

    pub fn stop(&self) {
        // Nothing to stop before the voice has started.
        if self.running.get().is_some() {
            let _ = self.send(Say::Stop);
        }
    }
}

/// How long a step takes to say, roughly (about 2.5 words a second), so a pacer cue does not
/// cut it off when the speech service cannot say whether it is still speaking.
fn estimate(text: &str, slower: bool) -> Duration {
    let words = u64::try_from(text.split_whitespace().count()).unwrap_or(u64::MAX);
    let ms = words.saturating_mul(if slower { 560 } else { 400 });
    Duration::from_millis(ms)
}

fn run(rx: &Receiver<Say>, status: &Mutex<VoiceStatus>) {
    let mut tts = match tts::Tts::default() {
        Ok(tts) => tts,
        Err(e) => {
            set_status(
                status,
                VoiceStatus::Unavailable {
                    reason: format!("No voice is available on this device ({e}), so the steps are not spoken. They are all on screen."),
                },
            );
            return;
        }
    };
    set_status(status, VoiceStatus::Ready);
    let features = tts.supported_features();
    let mut lang_set: Option<String> = None;
    let mut slower_set: Option<bool> = None;
    // A step being said: cues wait their turn until it ends (then they are dropped, not queued:
    // a late cue would be on the wrong beat).
    let mut step_until: Option<Instant> = None;
    while let Ok(say) = rx.recv() {
        let (text, lang, slower, cue) = match say {
            Say::Stop => {
                let _ = tts.stop();
                step_until = None;
                continue;
            }
            Say::Step { text, lang, slower } => (text, lang, slower, false),
            Say::Cue { text, lang, slower } => (text, lang, slower, true),
        };
        if cue {
            let busy = if features.is_speaking {
                tts.is_speaking().unwrap_or(false)
                    && step_until.is_some_and(|t| Instant::now() < t + Duration::from_secs(30))
            } else {
                step_until.is_some_and(|t| Instant::now() < t)
            };
            if busy {
                continue;
            }
            step_until = None;
        }
        // The service's default voice speaks English. Choosing a voice through `tts` lists every
        // voice the service has (13,000 with espeak-ng) and takes about 2 s each time, so it is
        // done only for another language, once.
        if lang_set.as_deref() != Some(lang.as_str()) {
            if !lang.starts_with("en") {
                choose_voice(&mut tts, &lang);
            }
            lang_set = Some(lang.clone());
        }
        if slower_set != Some(slower) && features.rate {
            let normal = tts.normal_rate();
            let rate = if slower {
                normal - (normal - tts.min_rate()) * 0.35
            } else {
                normal
            };
            let _ = tts.set_rate(rate);
            slower_set = Some(slower);
        }
        match tts.speak(text.as_str(), true) {
            Ok(_) => {
                if !cue {
                    step_until = Some(Instant::now() + estimate(&text, slower));
                }
            }
            Err(e) => set_status(
                status,
                VoiceStatus::Unavailable {
                    reason: format!("The voice stopped working ({e}). The steps are on screen."),
                },
            ),
        }
    }
}

/// Picks a voice for `lang` ("en", "es-US"): the same language and region first, then the same
/// language. Keeps the service's default when none matches.
fn choose_voice(tts: &mut tts::Tts, lang: &str) {
    let Ok(voices) = tts.voices() else { return };
    let want = lang.to_ascii_lowercase();
    let primary = want.split(['-', '_']).next().unwrap_or_default().to_owned();
    let tag = |v: &tts::Voice| v.language().to_string().to_ascii_lowercase();
    let best = voices.iter().find(|v| tag(v) == want).or_else(|| {
        voices
            .iter()
            .find(|v| tag(v).split(['-', '_']).next() == Some(primary.as_str()))
    });
    if let Some(voice) = best {
        let _ = tts.set_voice(voice);
    }
}

/// Keeps the screen awake while the guided response runs.
#[derive(Debug)]
pub struct Awake {
    tx: Mutex<Sender<bool>>,
}

impl Awake {
    pub fn start() -> Self {
        let (tx, rx) = mpsc::channel::<bool>();
        let _ = std::thread::Builder::new()
            .name("holdfast-awake".into())
            .spawn(move || {
                let mut held: Option<keepawake::KeepAwake> = None;
                while let Ok(on) = rx.recv() {
                    if on && held.is_none() {
                        match keepawake::Builder::default()
                            .display(true)
                            .idle(true)
                            .reason("Guiding an overdose response")
                            .app_name("Holdfast")
                            .app_reverse_domain("org.holdfast.Holdfast")
                            .create()
                        {
                            Ok(awake) => held = Some(awake),
                            Err(e) => eprintln!("holdfast: could not keep the screen awake: {e}"),
                        }
                    } else if !on {
                        held = None;
                    }
                }
            });
        Self { tx: Mutex::new(tx) }
    }

    pub fn set(&self, on: bool) {
        let _ = self
            .tx
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .send(on);
    }
}
