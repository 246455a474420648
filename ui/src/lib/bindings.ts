// Generated from the Rust types in core/ by ts-rs. Do not edit by hand:
// run `UPDATE_BINDINGS=1 cargo test -p holdfast-app --lib bindings` instead.

export type AppInfo = { 
/**
 * The app's version, from the workspace manifest (for example `0.1.0`).
 */
version: string, 
/**
 * `debug` or `release`.
 */
profile: string, 
/**
 * The short git commit the build came from, or `unknown` when built outside a checkout.
 */
commit: string, 
/**
 * The target the binary was built for (for example `x86_64-linux`).
 */
target: string, 
/**
 * The data folder in use, or `None` when it could not be used (see `dataDirError`).
 */
dataDir: string | null, 
/**
 * Why the data folder could not be used, in words a person can act on.
 */
dataDirError: string | null, };

export type StartupMark = { name: string, atMs: number, };

export type StartupTimeline = { nowMs: number, marks: Array<StartupMark>, };

export type BootData = { 
/**
 * The path chosen at first run (None until then).
 */
mode: AppMode | null, 
/**
 * The region the emergency screens use, as `region_state` answers.
 */
region: RegionState, };

export type ErrorCode = "invalid_input" | "data_dir" | "settings" | "internal" | "already_exists" | "not_created" | "wrong_passphrase" | "wrong_recovery_code" | "damaged" | "newer_version" | "locked" | "storage_full" | "storage" | "not_found" | "conflict";

export type IpcError = { code: ErrorCode, message: string, };

export type Region = "US" | "CA" | "UK" | "IE" | "AU" | "NZ";

export type RegionScope = "US" | "CA" | "UK" | "IE" | "AU" | "NZ" | "ALL";

export type Confidence = "V" | "V2";

export type Topic = "recognise" | "respond" | "naloxone" | "new-drugs" | "never-use-alone" | "test-strips" | "treatment" | "good-samaritan" | "talking" | "support-for-you" | "first-aid" | "restart" | "withdrawal-and-pain" | "recovery" | "more-on-overdose";

export type LawStatus = "law" | "varies" | "none_known";

export type ResourceKind = "emergency" | "crisis" | "drugs" | "treatment" | "never-use-alone" | "health" | "family";

export type Source = { title: string, organisation: string, 
/**
 * The year the source gives; `None` when it shows no date ("n.d.").
 */
year: number | null, 
/**
 * An `https:` address, shown only as data (opening it needs internet). `None` when the fact
 * sheet recorded no address; `notes` then says why.
 */
url: string | null, 
/**
 * The fact-sheet rows this source supports (for example `"3.2a"`, `"5 US: 988 ..."`), or
 * `"added"` for an official source found while writing that is not yet in the fact sheet.
 */
factIds: Array<string>, confidence: Confidence, notes: string | null, };

export type StepAction = "check" | "call" | "naloxone" | "breathe" | "cpr" | "recovery" | "stay";

export type Step = { title: string, text: string, 
/**
 * The id of the picture the UI shows with this step (the drawings are not part of this pack).
 */
illustration: string | null, 
/**
 * What the step asks the helper to do. Every overdose response step names one, so the
 * content checks can hold each region's flow to the life-critical rules
 * (`validate::life_critical`).
 */
action: StepAction | null, 
/**
 * The id of a guide that shows how to do this step (for example `cpr`); the UI links to it.
 */
guide: string | null, };

export type Advice = { 
/**
 * Where it is used: a tolerance rule id, or a screen's name for it (`timer-second-dose-due`).
 */
id: string, text: string, 
/**
 * The fact or item in this pack whose sources back the sentence.
 */
cites: string, };

export type Item = { id: string, topic: Topic, title: string, summary: string, regions: Array<RegionScope>, 
/**
 * Only for `good-samaritan` items.
 */
lawStatus: LawStatus | null, body: Array<string>, steps: Array<Step>, sources: Array<Source>, 
/**
 * ISO date (`YYYY-MM-DD`) of the last content review.
 */
reviewed: string, confidence: Confidence, 
/**
 * Why a `V2` item needs review when none of its sources is itself `V2`.
 */
reviewNote: string | null, };

export type Fact = { id: string, text: string, sources: Array<Source>, reviewed: string, confidence: Confidence, };

export type Phone = { 
/**
 * National format, as the source writes it (for example `1-800-662-4357`, `0300 123 6600`).
 */
number: string, label: string | null, 
/**
 * An emergency or short number (911, 988, 116 123) that is not a full national number.
 */
shortCode: boolean, 
/**
 * `tel:+18006624357`, or `tel:988` for a short code. Always computed when the pack loads
 * (anything a file puts here is overwritten).
 */
telUri: string, };

export type TextLine = { number: string, 
/**
 * The word to send to start a conversation (for example `HOME`), if the service asks for one.
 */
keyword: string | null, label: string | null, shortCode: boolean, 
/**
 * `sms:741741?body=HOME`. Always computed when the pack loads (anything a file puts here
 * is overwritten).
 */
smsUri: string, };

export type Resource = { id: string, region: Region, 
/**
 * A province, state or territory, when the line serves only that area.
 */
area: string | null, kind: ResourceKind, name: string, 
/**
 * What it is for, in plain words.
 */
purpose: string, phones: Array<Phone>, 
/**
 * Numbers that take texts; empty when the sources do not say it takes texts.
 */
texts: Array<TextLine>, 
/**
 * Whether the line takes texts (`texts` is not empty). Always computed when the pack loads.
 */
sms: boolean, web: string | null, 
/**
 * Hours as the sources give them; `None` when they do not say.
 */
hours: string | null, 
/**
 * Languages as the sources give them; empty when they do not say.
 */
languages: Array<string>, sources: Array<Source>, reviewed: string, confidence: Confidence, };

export type ContentPack = { items: Array<Item>, facts: Array<Fact>, resources: Array<Resource>, advice: Array<Advice>, };

export type RegionOption = { region: Region, name: string, };

export type RegionSource = "chosen" | "system" | "fallback";

export type RegionState = { region: Region, source: RegionSource, options: Array<RegionOption>, 
/**
 * A problem reading the saved choice, in words for the person.
 */
problem: string | null, };

export type AppMode = "personal" | "helper";

export type NaloxoneTimer = { 
/**
 * Seconds after a dose at which the app prompts for another if there is no response.
 */
secondDoseAfterSecs: number, 
/**
 * The content item that states the interval (and cites its source).
 */
sourceItem: string, };

export type RegionGuide = { region: Region, regionName: string, 
/**
 * The emergency number to call on every step.
 */
emergencyNumber: Phone, 
/**
 * The overdose response steps, in the order this region teaches.
 */
response: Item, 
/**
 * Every other item that applies to this region, in file order.
 */
items: Array<Item>, 
/**
 * The region's lines, emergency first.
 */
resources: Array<Resource>, timer: NaloxoneTimer, 
/**
 * The sentences of safety advice the screens show outside an item (the naloxone timer's
 * prompts, the last response screen), from `assets/content/advice.toml`.
 */
advice: Array<Advice>, };

export type HitKind = "guide" | "step" | "line";

export type Segment = { text: string, hit: boolean, };

export type SearchHit = { kind: HitKind, 
/**
 * The guide's id (for a step, the guide it belongs to), or the line's id.
 */
id: string, 
/**
 * For a step: its place in the guide, from 0.
 */
step: number | null, 
/**
 * The guide's, step's or line's title, with the matching words marked.
 */
title: Array<Segment>, 
/**
 * For a step: the title of its guide.
 */
within: string | null, 
/**
 * The summary, or a short extract of the text around the matching words.
 */
text: Array<Segment>, 
/**
 * The words of the pack that matched, as the pack writes them, lower case.
 */
matched: Array<string>, };

export type Correction = { typed: string, instead: Array<string>, };

export type SearchResults = { hits: Array<SearchHit>, 
/**
 * Words corrected to the nearest words in the pack.
 */
corrected: Array<Correction>, 
/**
 * Words found nowhere, even after correction.
 */
unknown: Array<string>, 
/**
 * Whether every word had to match (`false`: no result had them all, so any one counts).
 */
allWords: boolean, };

export type PracticeStep = { title: string, done: boolean, 
/**
 * 1 for the first step done, 2 for the next, … (None when not done).
 */
doneAs: number | null, 
/**
 * Done, and no step that comes after it in the guide was done before it.
 */
inOrder: boolean, };

export type PracticeResult = { steps: Array<PracticeStep>, done: number, inOrder: number, total: number, 
/**
 * One encouraging sentence about the run.
 */
summary: string, };

export type Illustration = { 
/**
 * The id a content step names in `illustration = "..."`.
 */
id: string, 
/**
 * The text alternative: what the picture shows, in one plain sentence.
 */
alt: string, 
/**
 * The SVG markup (its `<title>` holds the same text as `alt`).
 */
svg: string, };

export type Strength = { 
/**
 * zxcvbn's score, 0 (very easy to guess) to 4 (very hard to guess).
 */
score: number, 
/**
 * The score in words.
 */
label: string, 
/**
 * Whether it may be used (at least [`MIN_PASSPHRASE_CHARS`] characters and score ≥ [`MIN_SCORE`]).
 */
acceptable: boolean, 
/**
 * What is wrong, in plain words, when something is.
 */
warning: string | null, 
/**
 * What would make it stronger.
 */
suggestions: Array<string>, };

export type LockState = { "state": "first_run" } | { "state": "locked" } | { "state": "unlocked" } | { "state": "damaged", reason: string, };

export type SessionInfo = { lock: LockState, 
/**
 * Minutes without activity before the journal locks itself.
 */
idleMinutes: number, 
/**
 * The choices for `idle_minutes`.
 */
idleChoices: Array<number>, 
/**
 * Where backups are written and looked for; `None` when there is no such folder.
 */
backupFolder: string | null, 
/**
 * The word to type to erase everything.
 */
eraseWord: string, };

export type SetupCode = { 
/**
 * The code in groups of four, `XXXX-XXXX-...`. Shown once.
 */
code: string, 
/**
 * Which groups (1-based) the person is asked to type back.
 */
checkGroups: Array<number>, };

export type BackupFile = { path: string, name: string, bytes: number, modified: string | null, };

export type JournalView = { uses: Array<Stored<UseEntry>>, breaks: Array<Stored<BreakEntry>>, };

export type Status = { "state": "first_run" } | { "state": "locked" } | { "state": "damaged", reason: string, };

export type EventTime = { 
/**
 * The instant, in UTC (RFC 3339 in JSON).
 */
utc: string, 
/**
 * The local offset from UTC at that moment, in seconds east of Greenwich.
 */
offset_seconds: number, };

export type Substance = "heroin" | "fentanyl" | "pills" | "other_opioid" | "benzodiazepines" | "alcohol" | "stimulants" | "other";

export type UseEntry = { at: EventTime, substance: Substance | null, 
/**
 * Private note, at most `MAX_NOTE_CHARS` characters.
 */
note: string | null, };

export type BreakKind = { "kind": "prison_release" } | { "kind": "detox_discharge" } | { "kind": "residential_treatment_discharge" } | { "kind": "hospital_discharge" } | { "kind": "stopped_methadone" } | { "kind": "stopped_buprenorphine" } | { "kind": "stopped_naltrexone" } | { "kind": "missed_methadone_doses", days: number, } | { "kind": "missed_buprenorphine_doses", days: number, } | { "kind": "paused_prescribed_opioid" } | { "kind": "paused_prescribed_benzodiazepine" };

export type BreakEntry = { kind: BreakKind, 
/**
 * First local calendar day of the break.
 */
start: string, 
/**
 * Last local calendar day (release, discharge...); `None` while it goes on.
 */
end: string | null, note: string | null, };

export type Checkin = { 
/**
 * The local calendar day it is about (one check-in per day).
 */
date: string, 
/**
 * 0 (none) to 10 (overwhelming).
 */
cravings: number, 
/**
 * 1 (very low) to 5 (very good).
 */
mood: number, 
/**
 * How last night's sleep was, 1 (very poorly) to 5 (very well); `None` when not answered.
 */
sleep: number | null, 
/**
 * Hungry, angry, lonely, tired.
 */
halt: Halt, 
/**
 * Triggers met today: ids from the person's own trigger list, no repeats.
 */
triggers: Array<number>, 
/**
 * Warning signs noticed: ids of warning signs on the person's safety plan, no repeats.
 */
warning_signs: Array<number>, 
/**
 * "Used since the last check-in?" The shell records the use itself; this keeps the answer.
 */
used_since_last: boolean, 
/**
 * "Naloxone with you?"; `None` when not answered.
 */
naloxone_with_me: boolean | null, note: string | null, 
/**
 * When it was written.
 */
recorded: EventTime, };

export type RecordKind = "use" | "break" | "checkin";

export type Stored<T> = { id: number, record: T, };

export type BackupSummary = { format_version: number, exported_at: string, uses: number, breaks: number, checkins: number, settings: number, triggers: number, support_people: number, 
/**
 * Lines on the safety plan (the making-things-safer answers not counted).
 */
plan_items: number, naloxone_kits: number, 
/**
 * Peer visits (format 3 on; 0 in older files).
 */
visits: number, 
/**
 * Earliest local calendar day any record is about.
 */
first_date: string | null, 
/**
 * Latest local calendar day any record is about.
 */
last_date: string | null, };

export type SetAsideReason = "lock_screen" | "damaged" | "swapped" | "unknown";

export type SetAside = { 
/**
 * The folder's name (`set-aside-20261201T101500Z`), which names it in every command.
 */
name: string, 
/**
 * When it was set aside (from the name), if the name says.
 */
at: string | null, reason: SetAsideReason, 
/**
 * Whether it still has its key file (without it, nobody can open it).
 */
hasKeyFile: boolean, };

export type Treatment = "none" | "methadone" | "buprenorphine" | "naltrexone";

export type Level = "not_set" | "usual" | "raised" | "high" | "highest";

export type Action = "naloxone" | "never_use_alone" | "treatment" | "crisis_lines" | "talk_to_prescriber" | "see_clinic_before_dose";

export type Medicine = "opioid_pain_medicine" | "benzodiazepine" | "methadone" | "buprenorphine";

export type Reason = { 
/**
 * The rule that matched (see `docs/tolerance.md`).
 */
ruleId: string, 
/**
 * A fact in `assets/content/facts.toml`; the UI shows it with its sources as the "why".
 */
factId: string, 
/**
 * Plain words for the person.
 */
text: string, level: Level, 
/**
 * The day number the rule matched on, when it is about a date: days since the release,
 * discharge or stop, days since the last opioid use, or the number of missed days.
 */
day: number | null, };

export type LastUse = { at: EventTime, 
/**
 * Its local calendar day, with the offset stored with it.
 */
localDate: string, substance: Substance | null, 
/**
 * Its instant is after `now`: the device clock has probably moved backwards.
 */
inFuture: boolean, };

export type Milestone = { 
/**
 * One of `MILESTONE_DAYS`: the largest not above the days since last use.
 */
days: number, 
/**
 * Reached today exactly (time to celebrate), rather than earlier.
 */
today: boolean, 
/**
 * Pair it with the reminder that tolerance is lower after a longer break.
 */
remindLowerTolerance: boolean, };

export type ToleranceStatus = { 
/**
 * Today's local calendar day in the time zone given.
 */
today: string, 
/**
 * Local calendar days since the last use of anything logged; `None` when no use is logged
 * ("not set yet"). Never negative.
 */
daysSinceLastUse: number | null, 
/**
 * The same, counting only opioid uses (and uses with no substance recorded). The tolerance
 * rule uses this one.
 */
daysSinceLastOpioidUse: number | null, lastUse: LastUse | null, 
/**
 * The longest gap, in local calendar days, between two uses in a row or between the last
 * use and today; `None` when no use is logged.
 */
longestStretchDays: number | null, 
/**
 * How many uses came after a gap of at least `RESTART_GAP_DAYS` days.
 */
restarts: number, level: Level, 
/**
 * Highest level first, then in table order.
 */
reasons: Array<Reason>, 
/**
 * `ALWAYS_OFFERED` plus every matched rule's actions, each once, in `Action` order.
 */
actions: Array<Action>, milestone: Milestone | null, };

export type RestartAdvice = { medicine: Medicine, 
/**
 * Local calendar days since the last dose (0 when the date is today or later).
 */
daysOff: number, reasons: Array<Reason>, 
/**
 * Always includes `TalkToPrescriber`.
 */
actions: Array<Action>, };

export type Halt = { hungry: boolean, angry: boolean, lonely: boolean, tired: boolean, };

export type Trigger = { name: string, };

export type SupportPerson = { name: string, 
/**
 * Sister, sponsor, friend, key worker...
 */
relation: string | null, 
/**
 * As typed on the way in; stored and returned in E.164 (`+15551234567`).
 */
phone: string | null, };

export type PlanSection = "warning_signs" | "coping_steps" | "distractions" | "help_people" | "professionals";

export type PlanItem = { "kind": "warning_sign", text: string, } | { "kind": "coping_step", text: string, } | { "kind": "distraction", text: string, } | { "kind": "help_person", person: number, } | { "kind": "professional", name: string | null, phone: string | null, resource_id: string | null, };

export type MakingSafer = { 
/**
 * Where my naloxone is.
 */
naloxone_where: string | null, 
/**
 * My never-use-alone plan.
 */
never_use_alone: string | null, 
/**
 * Test strips: where they are, how I use them.
 */
test_strips: string | null, };

export type SafetyPlan = { warning_signs: Array<Stored<PlanItem>>, coping_steps: Array<Stored<PlanItem>>, distractions: Array<Stored<PlanItem>>, help_people: Array<Stored<PlanItem>>, professionals: Array<Stored<PlanItem>>, safer: MakingSafer, };

export type KitKind = "nasal" | "injection";

export type NaloxoneKit = { kind: KitKind, 
/**
 * Where it is kept ("my bag", "kitchen drawer").
 */
kept_at: string | null, 
/**
 * The expiry date printed on it; `None` when not known.
 */
expires: string | null, 
/**
 * The day it was used ("I used it"); `None` while it is unused.
 */
used_on: string | null, note: string | null, };

export type ListKind = "trigger" | "support_person" | "plan_item" | "naloxone_kit";

export type KitStatus = { "state": "used", on: string, } | { "state": "no_expiry" } | { "state": "expired", on: string, } | { "state": "expires_today" } | { "state": "expires_soon", days: number, on: string, } | { "state": "good", until: string, };

export type KitView = { id: number, record: NaloxoneKit, status: KitStatus, };

export type VisitStep = "naloxone" | "tolerance" | "never-use-alone" | "treatment" | "safety-plan" | "next-steps";

export type TreatmentInterest = "methadone" | "buprenorphine" | "naltrexone" | "talk-first" | "not-now";

export type Visit = { 
/**
 * When the visit began, with the local offset then.
 */
started: EventTime, 
/**
 * When it was finished; `None` while it is open.
 */
finished: string | null, 
/**
 * The step to resume at.
 */
at_step: VisitStep, 
/**
 * The steps talked through, in walk-through order, each once.
 */
covered: Array<VisitStep>, 
/**
 * What the person wants to try or learn about, in the order offered.
 */
treatment: Array<TreatmentInterest>, 
/**
 * The next steps, in the person's and worker's words.
 */
next_steps: string | null, 
/**
 * The date of the next visit, if one was planned (a reminder comes that day).
 */
next_visit: string | null, 
/**
 * The peer worker's name, if the person wants it kept.
 */
worker: string | null, };

export type StepGuide = { step: VisitStep, 
/**
 * The step's heading.
 */
title: string, 
/**
 * One or two sentences to read together.
 */
intro: string, 
/**
 * Questions to talk through, in order.
 */
questions: Array<string>, 
/**
 * Sourced facts (`facts.toml`) to read on this step, with their sources.
 */
facts: Array<Fact>, 
/**
 * Content item ids to offer (the region's own first).
 */
guides: Array<string>, 
/**
 * Resource ids: lines to call for this step, in the region.
 */
lines: Array<string>, };

export type Walkthrough = { region: Region, steps: Array<StepGuide>, };

export type Phase = "check" | "call" | "naloxone" | "breathing" | "any-breaths" | "breaths" | "cpr" | "recovery" | "stay" | "arrived";

export type Choice = "yes" | "no" | "done" | "no-naloxone" | "give-naloxone" | "gave-another-dose" | "no-more-naloxone" | "breathing-normally" | "started-breathing" | "stopped-breathing" | "worse-again" | "help-arrived" | "hands-only" | "with-breaths";

export type ChoiceKey = "main" | "y" | "n";

export type ChoiceView = { choice: Choice, key: ChoiceKey | null, };

export type Prompt = "second-dose" | "recheck";

export type Pacer = { "kind": "breaths", everyMs: number, } | { "kind": "handsOnly", perMinute: number, } | { "kind": "compressions", perMinute: number, perCycle: number, breaths: number, pauseMs: number, };

export type Line = "ask-wakes" | "awake-stay" | "call-taker-first" | "hands-only" | "ask-breathing-normally" | "ask-any-breaths" | "second-dose" | "recheck" | "arrived";

export type PacerCue = "breath" | "two-breaths" | "push";

export type ResponseView = { phase: Phase, 
/**
 * The content step shown (its title, text and illustration), 0-based.
 */
stepIndex: number, 
/**
 * A question or prompt said before (or instead of) the step's text.
 */
line: Line | null, 
/**
 * Whether the step's own text is said (questions that have a step of their own say it too).
 */
saysStep: boolean, 
/**
 * Goes up by one every time there is something new to say.
 */
saySeq: number, choices: Array<ChoiceView>, pacer: Pacer | null, prompt: Prompt | null, doses: number, 
/**
 * When another dose is due if there is no response (ms since the start).
 */
nextDoseDueMs: number | null, 
/**
 * When [`Response::tick`] next has something to do (ms since the start).
 */
nextDueMs: number | null, called: boolean, ended: boolean, practice: boolean, };

export type PracticeMilestone = "called" | "breathing-support" | "naloxone" | "second-dose-answered";

export type Goal = { milestone: PracticeMilestone, 
/**
 * When it was reached (for a prompt: how long it took to answer); None if never.
 */
atMs: number | null, targetMs: number, inTime: boolean, };

export type PracticeSummary = { goals: Array<Goal>, 
/**
 * The run got to "stay with them" or "help has arrived".
 */
reachedEnd: boolean, elapsedMs: number, };

export type VoiceStatus = { "state": "starting" } | { "state": "ready" } | { "state": "unavailable", reason: string, };

export type VoiceSettings = { muted: boolean, slower: boolean, };

export type CueText = { cue: PacerCue, text: string, };

export type GuidedView = { state: ResponseView, 
/**
 * The content step shown (title, text, illustration, how-to guide).
 */
step: Step, 
/**
 * The question or prompt, when there is one.
 */
lineText: string | null, 
/**
 * Everything said for this step or prompt, in order.
 */
said: string, region: Region, regionName: string, emergencyNumber: Phone, 
/**
 * Milliseconds since the guide started (the engine's clock).
 */
elapsedMs: number, 
/**
 * When each naloxone dose was given, ms since the start.
 */
doseTimesMs: number[], voice: VoiceSettings, voiceStatus: VoiceStatus, 
/**
 * The spoken cues of the pacer ("give 2 breaths", ...), to say at their beats.
 */
cueTexts: Array<CueText>, };

export type TrendPoint = { date: string, cravings: number | null, mood: number | null, sleep: number | null, };

export type Trend = { from: string, to: string, points: Array<TrendPoint>, 
/**
 * Days in the range with a check-in.
 */
days_with_checkin: number, };

export type NudgeReason = { "kind": "cravings_rising", from: string, to: string, 
/**
 * The cravings on those days, oldest first.
 */
cravings: Array<number>, } | { "kind": "warning_signs_marked", date: string, signs: Array<string>, };

export type Nudge = { reasons: Array<NudgeReason>, 
/**
 * One plain sentence to lead with.
 */
message: string, 
/**
 * The person's own coping steps, in their plan's order.
 */
coping_steps: Array<string>, 
/**
 * The people on the plan's "people I can ask for help", in plan order; every support
 * person when the plan names none.
 */
support_people: Array<Stored<SupportPerson>>, };

export type QuietHours = { start: string, end: string, };

export type ReminderSettings = { 
/**
 * The one switch: `false` turns every reminder off.
 */
enabled: boolean, 
/**
 * Local time for the daily check-in reminder; `None` for no daily reminder.
 */
daily_checkin: string | null, 
/**
 * Detailed text (what the reminder is about) instead of the discreet default.
 */
detailed_text: boolean, quiet_hours: QuietHours | null, 
/**
 * Kit expiry reminders.
 */
naloxone_expiry: boolean, 
/**
 * Low-tolerance reminders after a break.
 */
low_tolerance: boolean, };

export type ReminderKind = "daily_checkin" | "kit_expires_soon" | "kit_expired" | "low_tolerance" | "next_visit" | "missed";

export type Reminder = { 
/**
 * Stable: the same reminder has the same id every time the schedule is worked out
 * (`checkin:2026-11-23`, `kit-soon:4:2027-01-01`, `tolerance:7:3`, `missed:<latest id>`).
 */
id: string, kind: ReminderKind, due: string, summary: string, body: string, 
/**
 * For a missed group, the ids of the reminders it stands for; otherwise just its own id.
 */
covers: Array<string>, };

export type TimelineBreak = { kind: BreakKind, 
/**
 * First day shown (the break's start, or the timeline's first day).
 */
from: string, 
/**
 * Last day shown (the break's end, or today while it goes on).
 */
to: string, 
/**
 * Whether the break still goes on (no end date).
 */
ongoing: boolean, };

export type Timeline = { firstDay: string, lastDay: string, 
/**
 * Local calendar days with at least one use, oldest first, without repeats.
 */
useDays: Array<string>, breaks: Array<TimelineBreak>, };

export type ToleranceView = { status: ToleranceStatus, treatment: Treatment, 
/**
 * The facts the reasons cite, each with its sources, in the order first cited.
 */
facts: Array<Fact>, timeline: Timeline, };

export type RestartView = { advice: RestartAdvice, facts: Array<Fact>, };

export type CheckinSaved = { id: number, use_id: number | null, };

export type AutostartState = { enabled: boolean, 
/**
 * The autostart file's full path (shown so the person can remove it by hand too).
 */
path: string, };
