// The words the screens show for the app's kinds and states, in one place so each is written once:
// kit kinds and states, break kinds, plan sections, visit steps and treatment answers.
import type { BreakKind, KitKind, KitStatus, NaloxoneKit, PlanSection, TreatmentInterest, VisitStep } from './bindings';
import { formatDate } from './time';

export const kitKindNames: Record<KitKind, string> = {
  nasal: 'Nasal spray',
  injection: 'Injection',
};

const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

// The kits screen and the peer visit word a kit's state differently on purpose: the kits screen
// says what to do ("Replace it."), the visit reads one line per kit aloud with where it is kept.

/** A kit's state on the kits screen (the same 30-day rule as the expiry reminder, from core). */
export function kitStatusText(s: KitStatus): string {
  switch (s.state) {
    case 'used':
      return `Used on ${formatDate(s.on)}. Get a new one.`;
    case 'no_expiry':
      return 'No expiry date noted.';
    case 'expired':
      return `Expired on ${formatDate(s.on)}. Replace it.`;
    case 'expires_today':
      return 'Expires today. Replace it soon.';
    case 'expires_soon':
      return `Expires in ${days(s.days)} (${formatDate(s.on)}). Time to get a new one.`;
    case 'good':
      return `Good until ${formatDate(s.until)}.`;
  }
}

/** A kit on the peer visit's naloxone step: its kind, where it is kept and its state. */
export function kitVisitLine(k: NaloxoneKit, s: KitStatus): string {
  const where = k.kept_at ? `, kept in: ${k.kept_at}` : ', place not noted';
  const until =
    s.state === 'expired'
      ? `Expired on ${formatDate(s.on)}. Time for a new one`
      : s.state === 'expires_today'
        ? 'Expires today. Time for a new one'
        : s.state === 'expires_soon'
          ? `Expires in ${days(s.days)}. Time for a new one`
          : s.state === 'good'
            ? `Good until ${formatDate(s.until)}`
            : 'No expiry date noted';
  return `${kitKindNames[k.kind]}${where}. ${until}.`;
}

export const breakNames: Record<BreakKind['kind'], string> = {
  prison_release: 'Released from jail or prison',
  detox_discharge: 'Left detox or withdrawal management',
  residential_treatment_discharge: 'Left residential treatment',
  hospital_discharge: 'Left hospital',
  stopped_methadone: 'Stopped methadone',
  stopped_buprenorphine: 'Stopped buprenorphine',
  stopped_naltrexone: 'Stopped naltrexone (or an injection ran out)',
  missed_methadone_doses: 'Missed methadone doses',
  missed_buprenorphine_doses: 'Missed buprenorphine doses',
  paused_prescribed_opioid: 'Paused a prescribed opioid',
  paused_prescribed_benzodiazepine: 'Paused a prescribed benzodiazepine',
};

/** The safety plan's sections as the plan itself titles them, numbered as printed. */
export const planSectionTitles: Record<PlanSection, string> = {
  warning_signs: '1. My warning signs',
  coping_steps: '2. Things I can do on my own',
  distractions: '3. People and places that take my mind off it',
  help_people: '4. People I can ask for help',
  professionals: '5. Professionals and services',
};

/** The same sections as the peer visit reads them back (unnumbered, in the visit's words). */
export const visitPlanTitles: Record<PlanSection, string> = {
  warning_signs: 'Warning signs',
  coping_steps: 'Things I can do on my own',
  distractions: 'People and places that take my mind off it',
  help_people: 'People I can ask for help',
  professionals: 'Services and professionals',
};

/** Visit step names, for headings and the summary. */
export const stepNames: Record<VisitStep, string> = {
  naloxone: 'Naloxone',
  tolerance: 'Tolerance',
  'never-use-alone': 'Never use alone',
  treatment: 'Treatment',
  'safety-plan': 'Safety plan',
  'next-steps': 'Next steps',
};

/** Treatment answers, in the order they are offered. */
export const treatmentNames: Record<TreatmentInterest, string> = {
  methadone: 'Methadone',
  buprenorphine: 'Buprenorphine',
  naltrexone: 'Naltrexone',
  'talk-first': 'Talk it over with a doctor or service first',
  'not-now': 'Not right now',
};
