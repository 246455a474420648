// The privacy curtain: one tap hides the person's own figures and words (days since last use,
// kits, plan, people) while a screen is shown to someone else. Hidden parts are not rendered at
// all, so nothing personal is in the page while it is down. It is lifted again whenever the
// journal locks, so it never outlives a visit by surprise.

class Curtain {
  down = $state(false);

  toggle(): void {
    this.down = !this.down;
  }

  lift(): void {
    this.down = false;
  }
}

export const curtain = new Curtain();

/** Visit step names, for headings and the summary. */
export const stepNames: Record<string, string> = {
  naloxone: 'Naloxone',
  tolerance: 'Tolerance',
  'never-use-alone': 'Never use alone',
  treatment: 'Treatment',
  'safety-plan': 'Safety plan',
  'next-steps': 'Next steps',
};

/** Treatment answers, in the order they are offered. */
export const treatmentNames: Record<string, string> = {
  methadone: 'Methadone',
  buprenorphine: 'Buprenorphine',
  naltrexone: 'Naltrexone',
  'talk-first': 'Talk it over with a doctor or service first',
  'not-now': 'Not right now',
};
