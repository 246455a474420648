//! Real sound for the guided-response tests: a private PulseAudio server with a null sink, the
//! sink's monitor recorded with `parec`, and the analysis of the recording (pacer tones by
//! Goertzel, speech by sustained energy away from the tones, silence).
//!
//! Each test gets its own server (its socket in a temporary folder; `PULSE_SERVER` points the app
//! and the Speech Dispatcher it starts at it), so tests running side by side never hear each
//! other. Everything started here is stopped on drop.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::Result;

const SINK: &str = "holdfast_null";
/// The recording's sample rate (mono, 16-bit).
pub const RATE: u32 = 16_000;
/// The analysis window: 10 ms, so 1 kHz and 660 Hz... fall on whole cycles for 1 kHz.
const WIN: usize = (RATE as usize) / 100;

/// A private sound server.
#[derive(Debug)]
pub struct AudioStack {
    dir: tempfile::TempDir,
    pulse: Child,
}

impl AudioStack {
    /// Starts PulseAudio with a null sink as the default output.
    pub fn start() -> Result<Self> {
        let dir = tempfile::Builder::new()
            .prefix("holdfast-audio-")
            .tempdir()?;
        let pulse_dir = dir.path().join("pulse");
        std::fs::create_dir_all(&pulse_dir)?;
        std::fs::write(dir.path().join("client.conf"), "autospawn = no\n")?;
        let sock = pulse_dir.join("native");
        let log = std::fs::File::create(dir.path().join("pulseaudio.log"))?;
        let mut cmd = Command::new("pulseaudio");
        cmd.args([
            "-n",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--use-pid-file=no",
            "--disable-shm=yes",
            "--log-target=stderr",
            "--realtime=no",
            "--high-priority=no",
            "-L",
            &format!(
                "module-native-protocol-unix socket={} auth-anonymous=1",
                sock.display()
            ),
            "-L",
            &format!("module-null-sink sink_name={SINK} rate=48000 channels=1"),
        ])
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log);
        for (k, v) in Self::env_for(dir.path()) {
            cmd.env(k, v);
        }
        let pulse = cmd.spawn().map_err(|e| {
            format!("pulseaudio could not start ({e}); scripts/setup.sh test installs it")
        })?;
        let stack = Self { dir, pulse };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if sock.exists() {
                let ok = stack
                    .command("pactl")
                    .args(["set-default-sink", SINK])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success());
                if ok {
                    return Ok(stack);
                }
            }
            if Instant::now() > deadline {
                let log = std::fs::read_to_string(stack.dir.path().join("pulseaudio.log"))
                    .unwrap_or_default();
                return Err(format!("pulseaudio did not come up: {log}").into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn env_for(dir: &Path) -> Vec<(String, String)> {
        let sock = dir.join("pulse").join("native");
        vec![
            ("PULSE_SERVER".into(), format!("unix:{}", sock.display())),
            ("PULSE_SINK".into(), SINK.into()),
            (
                "PULSE_CLIENTCONFIG".into(),
                dir.join("client.conf").display().to_string(),
            ),
            (
                "PULSE_RUNTIME_PATH".into(),
                dir.join("pulse").display().to_string(),
            ),
            (
                "PULSE_STATE_PATH".into(),
                dir.join("pulse-state").display().to_string(),
            ),
        ]
    }

    /// What the app (and the speech service it starts) needs in its environment to play here.
    pub fn env(&self) -> Vec<(String, String)> {
        Self::env_for(self.dir.path())
    }

    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        for (k, v) in self.env() {
            cmd.env(k, v);
        }
        cmd
    }

    /// Starts recording the sink's monitor; returns once the first samples arrived.
    pub fn record(&self) -> Result<Recorder> {
        let mut child = self
            .command("parec")
            .args([
                "-d",
                &format!("{SINK}.monitor"),
                "--raw",
                "--format=s16le",
                &format!("--rate={RATE}"),
                "--channels=1",
                "--latency-msec=10",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let mut out = child.stdout.take().ok_or("parec: no stdout")?;
        let shared = Arc::new(Mutex::new(Captured::default()));
        let sink = Arc::clone(&shared);
        let reader = std::thread::spawn(move || {
            let mut buf = vec![0u8; 8192];
            let mut pending: Option<u8> = None;
            while let Ok(n) = out.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let now = Instant::now();
                let mut c = sink.lock().unwrap_or_else(PoisonError::into_inner);
                let mut bytes: Vec<u8> = pending.take().into_iter().collect();
                bytes.extend_from_slice(&buf[..n]);
                if bytes.len() % 2 == 1 {
                    pending = bytes.pop();
                }
                c.pcm.extend(
                    bytes
                        .chunks_exact(2)
                        .map(|b| i16::from_le_bytes([b[0], b[1]])),
                );
                let total = c.pcm.len();
                c.marks.push((now, total));
            }
        });
        let deadline = Instant::now() + Duration::from_secs(5);
        while shared
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .marks
            .is_empty()
        {
            if Instant::now() > deadline {
                let _ = child.kill();
                return Err("parec recorded nothing".into());
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        Ok(Recorder {
            child,
            reader: Some(reader),
            shared,
        })
    }

    /// The folder the server lives in.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for AudioStack {
    fn drop(&mut self) {
        let _ = self.pulse.kill();
        let _ = self.pulse.wait();
    }
}

#[derive(Debug, Default)]
struct Captured {
    pcm: Vec<i16>,
    /// When each chunk arrived, and the samples recorded by then.
    marks: Vec<(Instant, usize)>,
}

/// A recording in progress.
#[derive(Debug)]
pub struct Recorder {
    child: Child,
    reader: Option<JoinHandle<()>>,
    shared: Arc<Mutex<Captured>>,
}

impl Recorder {
    /// A copy of what has been recorded so far.
    pub fn snapshot(&self) -> Recording {
        let c = self.shared.lock().unwrap_or_else(PoisonError::into_inner);
        Recording::new(c.pcm.clone(), &c.marks)
    }

    /// Stops and returns the whole recording.
    pub fn stop(mut self) -> Recording {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
        self.snapshot()
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Recorded samples, and when each was captured.
#[derive(Debug, Clone)]
pub struct Recording {
    pub pcm: Vec<i16>,
    /// The capture time of sample 0: of every chunk, the one that arrived soonest after its
    /// samples were captured gives the best estimate.
    pub t0: Instant,
    /// When each chunk arrived and the samples recorded by then. The sound card's clock and the
    /// test's drift apart (86 ms over 190 s, measured here), so times are mapped to samples with
    /// the chunks within a second of them.
    marks: Vec<(Instant, usize)>,
}

/// What one 10 ms window holds.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub start: usize,
    pub rms: f64,
    /// Amplitude at each pacer tone (1 kHz, 660 Hz).
    pub tones: [f64; 2],
}

/// The pacer's two tones (ui/src/lib/pacer.ts: `TONES`).
pub const TONE_HZ: [f64; 2] = [1000.0, 660.0];
/// A tone this loud (of 32768) in a window is a beat.
const TONE_MIN: f64 = 1000.0;
/// Sound away from the tones this loud (rms of 32768) is speech.
const SPEECH_RMS: f64 = 300.0;
/// Quieter than this (rms) is silence.
const SILENCE_RMS: f64 = 30.0;

fn goertzel(x: &[i16], hz: f64) -> f64 {
    let w = 2.0 * std::f64::consts::PI * hz / f64::from(RATE);
    let coeff = 2.0 * w.cos();
    let (mut s1, mut s2) = (0.0f64, 0.0f64);
    for &v in x {
        let s0 = f64::from(v) + coeff * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    let power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    2.0 * power.max(0.0).sqrt() / x.len() as f64
}

impl Recording {
    fn new(pcm: Vec<i16>, marks: &[(Instant, usize)]) -> Self {
        let rate = f64::from(RATE);
        let first = marks.first().map_or_else(Instant::now, |m| m.0);
        // t0 = min over chunks of (arrival - samples/rate).
        let t0 = marks
            .iter()
            .filter_map(|&(at, n)| at.checked_sub(Duration::from_secs_f64(n as f64 / rate)))
            .min()
            .unwrap_or(first);
        Self {
            pcm,
            t0,
            marks: marks.to_vec(),
        }
    }

    /// The capture time of sample 0 as the chunks that arrived within a second of `near` say.
    fn t0_near(&self, near: Instant) -> Instant {
        let rate = f64::from(RATE);
        self.marks
            .iter()
            .filter(|(at, _)| {
                at.saturating_duration_since(near) < Duration::from_secs(1)
                    && near.saturating_duration_since(*at) < Duration::from_secs(1)
            })
            .filter_map(|&(at, n)| at.checked_sub(Duration::from_secs_f64(n as f64 / rate)))
            .min()
            .unwrap_or(self.t0)
    }

    /// The sample captured at `at` (clamped to the recording).
    pub fn index_at(&self, at: Instant) -> usize {
        let secs = at.saturating_duration_since(self.t0_near(at)).as_secs_f64();
        ((secs * f64::from(RATE)) as usize).min(self.pcm.len())
    }

    /// Seconds from `at` to sample `i`.
    pub fn secs_after(&self, at: Instant, i: usize) -> f64 {
        let t = self.t0_near(at) + Duration::from_secs_f64(i as f64 / f64::from(RATE));
        if t >= at {
            t.duration_since(at).as_secs_f64()
        } else {
            -at.duration_since(t).as_secs_f64()
        }
    }

    /// The 10 ms windows of samples `[from, to)`.
    pub fn windows(&self, from: usize, to: usize) -> Vec<Window> {
        let to = to.min(self.pcm.len());
        let mut out = Vec::new();
        let mut start = from;
        while start + WIN <= to {
            let x = &self.pcm[start..start + WIN];
            let sq: f64 = x.iter().map(|&v| f64::from(v) * f64::from(v)).sum();
            out.push(Window {
                start,
                rms: (sq / WIN as f64).sqrt(),
                tones: [goertzel(x, TONE_HZ[0]), goertzel(x, TONE_HZ[1])],
            });
            start += WIN;
        }
        out
    }

    /// The first sample of each beat of tone `which` (0: 1 kHz compressions, 40 ms; 1: 660 Hz
    /// breaths, 160 ms) in `[from, to)`. A beat is a run of windows holding the tone for most of
    /// the beat's length (20 ms, 60 ms), so a vowel of the spoken cue near 660 Hz is not one.
    pub fn tone_onsets(&self, which: usize, from: usize, to: usize) -> Vec<usize> {
        let min_run = if which == 0 { 2 } else { 6 };
        let mut out = Vec::new();
        let mut run_start: Option<usize> = None;
        let mut run = 0;
        let mut last_beat: Option<usize> = None;
        for w in self.windows(from, to) {
            let tone = w.tones[which];
            let pure = tone * tone / 2.0 >= 0.5 * w.rms * w.rms;
            if tone >= TONE_MIN && pure {
                run_start.get_or_insert(w.start);
                run += 1;
                if run == min_run {
                    let start = run_start.unwrap_or(w.start);
                    if last_beat.is_none_or(|l| start - l > RATE as usize / 10) {
                        // The onset to the sample: the first loud sample from the window before.
                        let lo = start.saturating_sub(WIN);
                        let seg = &self.pcm[lo..(start + WIN).min(self.pcm.len())];
                        let peak = seg.iter().map(|v| v.unsigned_abs()).max().unwrap_or(0);
                        let first = seg
                            .iter()
                            .position(|v| u32::from(v.unsigned_abs()) * 2 >= u32::from(peak))
                            .unwrap_or(0);
                        out.push(lo + first);
                        last_beat = Some(start);
                    }
                }
            } else {
                run_start = None;
                run = 0;
            }
        }
        out
    }

    /// Stretches of speech (sound away from the pacer's tones, sustained for 100 ms or more,
    /// gaps of up to 30 ms allowed) in `[from, to)`, as sample ranges.
    pub fn speech(&self, from: usize, to: usize) -> Vec<(usize, usize)> {
        let mut segs = Vec::new();
        let mut run: Option<(usize, usize, usize)> = None; // (start, loud windows, last loud end)
        let mut gap = 0;
        for w in self.windows(from, to) {
            let tonal: f64 = w.tones.iter().map(|t| t * t / 2.0).sum();
            let rest = (w.rms * w.rms - tonal).max(0.0).sqrt();
            let beat = w
                .tones
                .iter()
                .any(|&t| t >= TONE_MIN && t * t / 2.0 >= 0.5 * w.rms * w.rms);
            if rest >= SPEECH_RMS && !beat {
                run = Some(match run {
                    Some((s, n, _)) => (s, n + 1, w.start + WIN),
                    None => (w.start, 1, w.start + WIN),
                });
                gap = 0;
            } else if let Some((s, n, end)) = run {
                gap += 1;
                if gap > 3 {
                    if n >= 10 {
                        segs.push((s, end));
                    }
                    run = None;
                }
            }
        }
        if let Some((s, n, end)) = run {
            if n >= 10 {
                segs.push((s, end));
            }
        }
        segs
    }

    /// Whether `[from, to)` is silent.
    pub fn silent(&self, from: usize, to: usize) -> bool {
        self.windows(from, to).iter().all(|w| w.rms <= SILENCE_RMS)
    }

    /// Writes the recording as a WAV file (for a person to listen to).
    pub fn save_wav(&self, path: &Path) -> Result<PathBuf> {
        let data: Vec<u8> = self.pcm.iter().flat_map(|s| s.to_le_bytes()).collect();
        let len = u32::try_from(data.len()).map_err(|_| "recording too long")?;
        let mut out = Vec::with_capacity(data.len() + 44);
        out.extend_from_slice(b"RIFF");
        out.extend_from_slice(&(36 + len).to_le_bytes());
        out.extend_from_slice(b"WAVEfmt ");
        out.extend_from_slice(&16u32.to_le_bytes());
        out.extend_from_slice(&1u16.to_le_bytes());
        out.extend_from_slice(&1u16.to_le_bytes());
        out.extend_from_slice(&RATE.to_le_bytes());
        out.extend_from_slice(&(RATE * 2).to_le_bytes());
        out.extend_from_slice(&2u16.to_le_bytes());
        out.extend_from_slice(&16u16.to_le_bytes());
        out.extend_from_slice(b"data");
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&data);
        std::fs::write(path, out)?;
        Ok(path.to_path_buf())
    }
}

/// Stops a Speech Dispatcher that the app started under `runtime_dir` (its `XDG_RUNTIME_DIR`).
pub fn stop_speech_dispatcher(runtime_dir: &Path) {
    let pid_file = runtime_dir
        .join("speech-dispatcher")
        .join("pid")
        .join("speech-dispatcher.pid");
    let Ok(text) = std::fs::read_to_string(pid_file) else {
        return;
    };
    if let Ok(pid) = text.trim().parse::<u32>() {
        let _ = Command::new("kill").arg(pid.to_string()).status();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(hz: f64, ms: usize) -> Vec<i16> {
        let n = RATE as usize * ms / 1000;
        (0..n)
            .map(|i| {
                let t = i as f64 / f64::from(RATE);
                (8000.0 * (2.0 * std::f64::consts::PI * hz * t).sin()) as i16
            })
            .collect()
    }

    #[test]
    fn finds_beats_speechlike_noise_and_silence() {
        let mut pcm = vec![0i16; 1600];
        let beat_at = pcm.len();
        pcm.extend(tone(1000.0, 40));
        pcm.extend(vec![0i16; 8000]);
        let breath_at = pcm.len();
        pcm.extend(tone(660.0, 160));
        pcm.extend(vec![0i16; 4000]);
        let noise_at = pcm.len();
        // Pseudo-random noise stands in for speech.
        let mut x: u32 = 1;
        pcm.extend((0..4000).map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            ((x >> 16) as i16) / 8
        }));
        pcm.extend(vec![0i16; 1600]);
        let r = Recording {
            pcm,
            t0: Instant::now(),
            marks: Vec::new(),
        };
        let n = r.pcm.len();
        let near = |got: Vec<usize>, want: usize| got.len() == 1 && got[0].abs_diff(want) < 20;
        assert!(near(r.tone_onsets(0, 0, n), beat_at));
        assert!(near(r.tone_onsets(1, 0, n), breath_at));
        let speech = r.speech(0, n);
        assert_eq!(speech.len(), 1);
        assert!(speech[0].0.abs_diff(noise_at) < WIN);
        assert!(r.silent(0, beat_at));
        assert!(!r.silent(0, n));
    }
}
