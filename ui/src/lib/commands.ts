// Generated from holdfast-commands' list by holdfast-app. Do not edit by hand:
// run `UPDATE_BINDINGS=1 cargo test -p holdfast-app --lib bindings` instead.

import type {
  AppInfo,
  AppMode,
  AutostartState,
  BackupFile,
  BackupSummary,
  BreakEntry,
  Checkin,
  CheckinSaved,
  Choice,
  GuidedView,
  Illustration,
  JournalView,
  KitView,
  MakingSafer,
  Medicine,
  NaloxoneKit,
  Nudge,
  PacerCue,
  PlanItem,
  PlanSection,
  PracticeResult,
  PracticeSummary,
  RecordKind,
  RegionGuide,
  RegionState,
  Reminder,
  ReminderSettings,
  RestartView,
  SafetyPlan,
  SearchResults,
  SessionInfo,
  SetAside,
  SetupCode,
  StartupTimeline,
  Stored,
  Strength,
  SupportPerson,
  ToleranceView,
  Treatment,
  Trend,
  Trigger,
  UseEntry,
  Visit,
  VoiceSettings,
  Walkthrough,
} from './bindings';

/** Every command: its arguments (as Tauri names them) and what it returns. */
export type Commands = {
  app_info: { args: Record<string, never>; result: AppInfo };
  first_render: { args: { timeline: StartupTimeline }; result: number };
  first_step_shown: { args: Record<string, never>; result: number };
  region_state: { args: Record<string, never>; result: RegionState };
  set_region: { args: { region: string }; result: RegionState };
  app_mode: { args: Record<string, never>; result: AppMode | null };
  set_app_mode: { args: { mode: string }; result: AppMode };
  region_guide: { args: { region: string }; result: RegionGuide };
  search_guides: { args: { region: string; query: string }; result: SearchResults };
  score_practice: { args: { region: string; doneOrder: Array<number> }; result: PracticeResult };
  illustrations: { args: Record<string, never>; result: Array<Illustration> };
  guided_start: { args: { region: string; practice: boolean }; result: GuidedView };
  guided_answer: { args: { choice: Choice }; result: GuidedView };
  guided_tick: { args: Record<string, never>; result: GuidedView };
  guided_voice: { args: { voice: VoiceSettings }; result: GuidedView };
  guided_repeat: { args: Record<string, never>; result: GuidedView };
  guided_cue: { args: { cue: PacerCue }; result: void };
  guided_end: { args: Record<string, never>; result: PracticeSummary };
  open_link: { args: { uri: string }; result: void };
  refused: { args: { reason: string }; result: void };
  session_info: { args: Record<string, never>; result: SessionInfo };
  passphrase_strength: { args: { passphrase: string }; result: Strength };
  suggest_passphrase: { args: Record<string, never>; result: string };
  begin_setup: { args: { passphrase: string }; result: SetupCode };
  finish_setup: { args: { answers: Array<string> }; result: SessionInfo };
  cancel_setup: { args: Record<string, never>; result: SessionInfo };
  unlock: { args: { passphrase: string }; result: SessionInfo };
  recover: { args: { code: string; newPassphrase: string }; result: SetupCode };
  lock: { args: Record<string, never>; result: SessionInfo };
  touch: { args: Record<string, never>; result: void };
  set_idle_minutes: { args: { minutes: number }; result: SessionInfo };
  change_passphrase: { args: { old: string; new: string }; result: void };
  begin_key_change: { args: { old: string; new: string }; result: SetupCode };
  begin_new_code: { args: { passphrase: string }; result: SetupCode };
  confirm_new_code: { args: { answers: Array<string> }; result: void };
  erase: { args: { confirmation: string; passphrase: string }; result: SessionInfo };
  set_aside: { args: Record<string, never>; result: string };
  list_set_aside: { args: Record<string, never>; result: Array<SetAside> };
  put_back: { args: { name: string }; result: SessionInfo };
  delete_set_aside: { args: { name: string; passphrase: string }; result: Array<SetAside> };
  export_backup: { args: { passphrase: string; backupPassphrase: string }; result: BackupFile };
  list_backups: { args: Record<string, never>; result: Array<BackupFile> };
  inspect_backup: { args: { path: string; passphrase: string }; result: BackupSummary };
  import_backup: { args: { path: string; passphrase: string; backupPassphrase: string }; result: BackupSummary };
  journal_view: { args: Record<string, never>; result: JournalView };
  add_use: { args: { entry: UseEntry }; result: number };
  update_use: { args: { id: number; entry: UseEntry }; result: void };
  add_break: { args: { entry: BreakEntry }; result: number };
  update_break: { args: { id: number; entry: BreakEntry }; result: void };
  delete_record: { args: { kind: RecordKind; id: number }; result: void };
  tolerance: { args: Record<string, never>; result: ToleranceView };
  set_treatment: { args: { treatment: Treatment }; result: ToleranceView };
  restart_advice: { args: { medicine: Medicine; lastDose: string }; result: RestartView };
  checkin_today: { args: Record<string, never>; result: Stored<Checkin> | null };
  checkin_on: { args: { date: string }; result: Stored<Checkin> | null };
  list_checkins: { args: Record<string, never>; result: Array<Stored<Checkin>> };
  add_checkin: { args: { entry: Checkin }; result: CheckinSaved };
  update_checkin: { args: { id: number; entry: Checkin }; result: CheckinSaved };
  list_triggers: { args: Record<string, never>; result: Array<Stored<Trigger>> };
  add_trigger: { args: { trigger: Trigger }; result: number };
  rename_trigger: { args: { id: number; trigger: Trigger }; result: void };
  reorder_triggers: { args: { ids: Array<number> }; result: void };
  delete_trigger: { args: { id: number }; result: void };
  list_support_people: { args: Record<string, never>; result: Array<Stored<SupportPerson>> };
  add_support_person: { args: { person: SupportPerson }; result: number };
  update_support_person: { args: { id: number; person: SupportPerson }; result: void };
  reorder_support_people: { args: { ids: Array<number> }; result: void };
  delete_support_person: { args: { id: number }; result: void };
  safety_plan: { args: Record<string, never>; result: SafetyPlan };
  add_plan_item: { args: { item: PlanItem }; result: number };
  update_plan_item: { args: { id: number; item: PlanItem }; result: void };
  reorder_plan: { args: { section: PlanSection; ids: Array<number> }; result: void };
  set_making_safer: { args: { safer: MakingSafer }; result: SafetyPlan };
  delete_plan_item: { args: { id: number }; result: void };
  list_kits: { args: Record<string, never>; result: Array<KitView> };
  add_kit: { args: { kit: NaloxoneKit }; result: number };
  update_kit: { args: { id: number; kit: NaloxoneKit }; result: void };
  mark_kit_used: { args: { id: number; day: string }; result: void };
  delete_kit: { args: { id: number }; result: void };
  trend: { args: Record<string, never>; result: Trend };
  nudge: { args: Record<string, never>; result: Nudge | null };
  reminder_settings: { args: Record<string, never>; result: ReminderSettings };
  set_reminder_settings: { args: { settings: ReminderSettings }; result: ReminderSettings };
  upcoming_reminders: { args: Record<string, never>; result: Array<Reminder> };
  launch_at_login: { args: Record<string, never>; result: AutostartState };
  set_launch_at_login: { args: { enabled: boolean }; result: AutostartState };
  visit_walkthrough: { args: Record<string, never>; result: Walkthrough };
  open_visit: { args: Record<string, never>; result: Stored<Visit> | null };
  start_visit: { args: Record<string, never>; result: Stored<Visit> };
  save_visit: { args: { id: number; visit: Visit }; result: Stored<Visit> };
  finish_visit: { args: { id: number }; result: Stored<Visit> };
  get_visit: { args: { id: number }; result: Stored<Visit> };
  list_visits: { args: Record<string, never>; result: Array<Stored<Visit>> };
  delete_visit: { args: { id: number }; result: void };
};

export type Command = keyof Commands;
