// The person's own care records: check-ins, triggers, the safety plan, support people, naloxone
// kits, trends, nudges and reminders. Thin typed calls; Rust validates everything.
import { callCommand } from './ipc';
import type {
  Checkin,
  MakingSafer,
  NaloxoneKit,
  Nudge,
  PlanItem,
  ReminderSettings,
  SafetyPlan,
  Stored,
  SupportPerson,
  Trend,
  Trigger,
} from './bindings';

export const checkinOn = (date: string) => callCommand<Stored<Checkin> | null>('checkin_on', { date });
/** The saved check-in's id, and the id of the use it recorded when "used since last" was yes. */
export interface CheckinSaved {
  id: number;
  use_id: number | null;
}
export const addCheckin = (entry: Checkin) => callCommand<CheckinSaved>('add_checkin', { entry });
export const updateCheckin = (id: number, entry: Checkin) => callCommand<CheckinSaved>('update_checkin', { id, entry });
export const listTriggers = () => callCommand<Stored<Trigger>[]>('list_triggers');
export const addTrigger = (trigger: Trigger) => callCommand<number>('add_trigger', { trigger });
export const safetyPlan = () => callCommand<SafetyPlan>('safety_plan');
export const addPlanItem = (item: PlanItem) => callCommand<number>('add_plan_item', { item });
export const setMakingSafer = (safer: MakingSafer) => callCommand<void>('set_making_safer', { safer });
export const listSupportPeople = () => callCommand<Stored<SupportPerson>[]>('list_support_people');
export const addSupportPerson = (person: SupportPerson) => callCommand<number>('add_support_person', { person });
export const listKits = () => callCommand<Stored<NaloxoneKit>[]>('list_kits');
export const addKit = (kit: NaloxoneKit) => callCommand<number>('add_kit', { kit });
export const markKitUsed = (id: number, day: string) => callCommand<void>('mark_kit_used', { id, day });
export const deletePlanItem = (id: number) => callCommand<void>('delete_plan_item', { id });
export const deleteKit = (id: number) => callCommand<void>('delete_kit', { id });
export const trend = () => callCommand<Trend>('trend');
export const nudge = () => callCommand<Nudge | null>('nudge');
export const reminderSettings = () => callCommand<ReminderSettings>('reminder_settings');
export const setReminderSettings = (settings: ReminderSettings) => callCommand<void>('set_reminder_settings', { settings });
