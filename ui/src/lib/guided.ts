// Words for the guided response's buttons and practice summary. (What is said and the steps
// come from the content pack through Rust; these are the screen's own labels.)
import type { Choice, ChoiceKey, Goal, Phase, Prompt } from './bindings';

/** The label of an answer, which depends on the question it answers. */
export function choiceLabel(choice: Choice, phase: Phase, prompt: Prompt | null): string {
  if (prompt === 'recheck' && (choice === 'yes' || choice === 'no')) {
    return choice === 'yes' ? 'Yes, breathing normally' : 'No, or I am not sure';
  }
  switch (choice) {
    case 'yes':
      if (phase === 'check') return 'Yes, they wake up and talk';
      if (phase === 'any-breaths') return 'Yes, they take some breaths';
      return 'Yes, breathing normally';
    case 'no':
      if (phase === 'any-breaths') return 'No breaths, only gasps, or not sure';
      return 'No, or I am not sure';
    case 'done':
      if (phase === 'call') return 'I called, or someone is calling';
      if (phase === 'naloxone') return 'I gave naloxone';
      return 'They are on their side';
    case 'no-naloxone':
      return 'I have no naloxone';
    case 'give-naloxone':
      return 'Naloxone is here: give it';
    case 'gave-another-dose':
      return 'I gave another dose';
    case 'no-more-naloxone':
      return 'I have no more naloxone';
    case 'breathing-normally':
      return 'They breathe normally now';
    case 'started-breathing':
      return 'They wake up or breathe normally';
    case 'stopped-breathing':
      return 'They stopped breathing, or only gasp';
    case 'worse-again':
      return 'They are not breathing normally';
    case 'help-arrived':
      return 'The crew has taken over';
    case 'hands-only':
      return 'I cannot give breaths: hands only';
    case 'with-breaths':
      return 'Give breaths again (30 pushes, 2 breaths)';
  }
}

/** The key that answers, as shown on the button. */
export function keyHint(key: ChoiceKey): string {
  return key === 'main' ? 'Space' : key.toUpperCase();
}

/** "1:05" for 65,000 ms. */
export function minutesAndSeconds(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${s.toString().padStart(2, '0')}`;
}

/** One line of the practice summary. */
export function goalLabel(goal: Goal): string {
  const target = minutesAndSeconds(goal.targetMs);
  const at = goal.atMs == null ? null : minutesAndSeconds(goal.atMs);
  switch (goal.milestone) {
    case 'called':
      return at ? `You called at ${at} (goal: by ${target}).` : `You did not reach the call (goal: by ${target}).`;
    case 'breathing-support':
      return at ? `You started breaths or CPR at ${at} (goal: by ${target}).` : `You did not start breaths or CPR (goal: by ${target}).`;
    case 'naloxone':
      return at ? `You gave naloxone at ${at} (goal: by ${target}).` : 'You did not give naloxone in this practice.';
    case 'second-dose-answered':
      return at
        ? `You answered the second-dose prompt in ${at} (goal: within ${target}).`
        : 'You did not answer the second-dose prompt.';
  }
}
