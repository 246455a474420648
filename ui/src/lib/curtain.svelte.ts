// The privacy curtain: one tap hides the person's own figures and words (days since last use,
// kits, plan, people) while a screen is shown to someone else. Hidden parts are not rendered at
// all, so nothing personal is in the page while it is down. It stays as the person set it (in
// memory only) until they lift it or Holdfast closes.

class Curtain {
  down = $state(false);

  toggle(): void {
    this.down = !this.down;
  }
}

export const curtain = new Curtain();
