// Names and order of the peer visit's steps and treatment answers, shared by the walk-through
// and the summary. The order is core's (`VisitStep::ALL`, `TreatmentInterest::ALL`).
import type { TreatmentInterest, VisitStep } from './bindings';

/** The six steps, in walk-through order. */
export const visitSteps: readonly VisitStep[] = ['naloxone', 'tolerance', 'never-use-alone', 'treatment', 'safety-plan', 'next-steps'];

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
