// The order of the peer visit's steps, shared by the walk-through and the summary. The order is
// core's (`VisitStep::ALL`); the names are in labels.ts.
import type { VisitStep } from './bindings';

/** The six steps, in walk-through order. */
export const visitSteps: readonly VisitStep[] = ['naloxone', 'tolerance', 'never-use-alone', 'treatment', 'safety-plan', 'next-steps'];
