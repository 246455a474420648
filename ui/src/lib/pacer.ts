// The pacer of the guided response: rescue breaths (one every 5 seconds) or CPR (30 compressions
// at 110 a minute, then a pause for 2 breaths). The beats come from the engine's `Pacer`
// (core/domain/src/response.rs), which holds the sources' figures; `beats` here is the same
// arithmetic as `Pacer::beats` there, and the tests compare the two.
//
// Sound: short tones scheduled on the Web Audio clock, a little ahead of time, so a busy page or a
// slow frame cannot make a beat late. Sight: the screen reads the same clock on every frame.
import type { Pacer } from './bindings';

export type BeatKind = 'compression' | 'breath';

export interface Beat {
  atMs: number;
  kind: BeatKind;
  /** 1 to 30 for compressions (31 for the breaths); 0 for rescue breaths. */
  count: number;
}

/** The length of one CPR cycle (30 beats and the pause), or of one breath. */
export function cycleMs(p: Pacer): number {
  if (p.kind === 'breaths') return Math.max(1, p.everyMs);
  if (p.kind === 'handsOnly') return Math.floor(60_000 / Math.max(1, p.perMinute));
  const beat = Math.floor(60_000 / Math.max(1, p.perMinute));
  return Math.max(1, p.perCycle) * beat + p.pauseMs;
}

/** The beats in [fromMs, toMs), counted from the pacer's start. */
export function beats(p: Pacer, fromMs: number, toMs: number): Beat[] {
  const out: Beat[] = [];
  if (p.kind === 'breaths') {
    const every = Math.max(1, p.everyMs);
    for (let n = Math.ceil(fromMs / every); n * every < toMs; n++) {
      out.push({ atMs: n * every, kind: 'breath', count: 0 });
    }
    return out;
  }
  if (p.kind === 'handsOnly') {
    const beat = cycleMs(p);
    for (let n = Math.ceil(fromMs / beat); n * beat < toMs; n++) {
      out.push({ atMs: n * beat, kind: 'compression', count: 0 });
    }
    return out;
  }
  const perCycle = Math.max(1, p.perCycle);
  const beat = Math.floor(60_000 / Math.max(1, p.perMinute));
  const cycle = cycleMs(p);
  for (let c = Math.floor(fromMs / cycle); c * cycle < toMs; c++) {
    const start = c * cycle;
    for (let k = 0; k <= perCycle; k++) {
      const at = start + k * beat;
      const kind: BeatKind = k < perCycle ? 'compression' : 'breath';
      if (at >= fromMs && at < toMs) out.push({ atMs: at, kind, count: k + 1 });
    }
  }
  return out;
}

/** Where the pacer is at `elapsedMs`: the last beat, and the phase of the pulse (0 at a beat). */
export function position(p: Pacer, elapsedMs: number): { beat: Beat | null; sinceMs: number } {
  const window = cycleMs(p);
  const recent = beats(p, Math.max(0, elapsedMs - window), elapsedMs + 1);
  const beat = recent[recent.length - 1] ?? null;
  return { beat, sinceMs: beat ? elapsedMs - beat.atMs : 0 };
}

/** The tone of each beat: compressions a short 1 kHz tick, breaths a longer, lower tone. */
export const TONES: Record<BeatKind, { hz: number; ms: number }> = {
  compression: { hz: 1000, ms: 40 },
  breath: { hz: 660, ms: 160 },
};

/** How far ahead beats are handed to the audio clock, and how often more are added. */
const AHEAD_MS = 1500;
const EVERY_MS = 250;

type Ctor = typeof AudioContext;

function audioContextClass(): Ctor | null {
  const w = window as unknown as { AudioContext?: Ctor; webkitAudioContext?: Ctor };
  return w.AudioContext ?? w.webkitAudioContext ?? null;
}

/** Plays a pacer's beats until stopped; `onBeat` hears each beat at its time (for cues). */
export class PacerSound {
  private ctx: AudioContext | null = null;
  private gain: GainNode | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private cueTimers: ReturnType<typeof setTimeout>[] = [];
  private startAt = 0;
  private scheduledTo = 0;
  private muted = false;
  /** Why there is no sound, if there is none (the screen says it once). */
  problem: string | null = null;

  constructor(private readonly onBeat: (beat: Beat) => void = () => undefined) {}

  /** Milliseconds since the pacer started, on the audio clock (or the page's, without sound). */
  elapsedMs(): number {
    if (this.ctx) return Math.max(0, (this.ctx.currentTime - this.startAt) * 1000);
    return Math.max(0, performance.now() - this.startAt);
  }

  start(p: Pacer, muted: boolean): void {
    this.stop();
    this.muted = muted;
    const Ctx = audioContextClass();
    if (Ctx) {
      try {
        this.ctx = this.ctx ?? new Ctx();
        void this.ctx.resume();
        this.gain = this.ctx.createGain();
        this.gain.gain.value = muted ? 0 : 1;
        this.gain.connect(this.ctx.destination);
        this.startAt = this.ctx.currentTime + 0.15;
      } catch {
        this.ctx = null;
        this.problem = 'This device cannot play the pacer’s sound. Follow the moving mark.';
      }
    } else {
      this.problem = 'This device cannot play the pacer’s sound. Follow the moving mark.';
    }
    if (!this.ctx) this.startAt = performance.now() + 150;
    this.scheduledTo = 0;
    this.fill(p);
    this.timer = setInterval(() => this.fill(p), EVERY_MS);
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    if (this.gain) this.gain.gain.value = muted ? 0 : 1;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const t of this.cueTimers) clearTimeout(t);
    this.cueTimers = [];
    if (this.gain) {
      this.gain.gain.value = 0;
      this.gain.disconnect();
    }
    this.gain = null;
  }

  /** Ends the audio context too (when the guide closes). */
  close(): void {
    this.stop();
    void this.ctx?.close();
    this.ctx = null;
  }

  private fill(p: Pacer): void {
    const now = this.elapsedMs();
    const to = now + AHEAD_MS;
    // Beats whose time passed while the page was too busy to schedule them are skipped, never
    // played late.
    const from = Math.max(this.scheduledTo, now);
    for (const beat of beats(p, from, to)) {
      this.tone(beat);
      // The spoken cue comes just after its tone, so the two never cover each other.
      const wait = beat.atMs - now + TONES[beat.kind].ms + 30;
      this.cueTimers.push(setTimeout(() => this.onBeat(beat), Math.max(0, wait)));
    }
    this.cueTimers = this.cueTimers.slice(-64);
    this.scheduledTo = to;
  }

  private tone(beat: Beat): void {
    if (!this.ctx || !this.gain || this.muted) return;
    const { hz, ms } = TONES[beat.kind];
    const at = this.startAt + beat.atMs / 1000;
    const osc = this.ctx.createOscillator();
    const env = this.ctx.createGain();
    osc.frequency.value = hz;
    env.gain.setValueAtTime(0, at);
    env.gain.linearRampToValueAtTime(0.6, at + 0.005);
    env.gain.setValueAtTime(0.6, at + ms / 1000 - 0.005);
    env.gain.linearRampToValueAtTime(0, at + ms / 1000);
    osc.connect(env);
    env.connect(this.gain);
    osc.start(at);
    osc.stop(at + ms / 1000 + 0.01);
  }
}
