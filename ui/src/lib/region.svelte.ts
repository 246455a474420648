// The region in use and its guide, shared by every screen that shows numbers or steps.
import { regionGuide, regionState, setRegion, type Region, type RegionGuide, type RegionState } from './ipc';
import { errorText } from './errors';
import { hrefFor } from './router';
import { boot } from './boot';

/** The advice sentences the screens show (the same list as core's `ADVICE_USED_OUTSIDE_RULES`). */
export type AdviceId =
  | 'response-finished'
  | 'timer-second-dose-due'
  | 'timer-waiting'
  | 'tolerance-longer-break'
  | 'tolerance-restart-count';

class RegionStore {
  /** Known from the start when the shell handed it over (lib/boot.ts). */
  state: RegionState | null = $state(boot?.region ?? null);
  guide: RegionGuide | null = $state(null);
  error: string | null = $state(null);
  private loading: Promise<void> | null = null;

  /** Loads the region and its guide once; later calls wait for the same load. */
  load(): Promise<void> {
    this.loading ??= (async () => {
      try {
        // With the region known from the start, the guide is the only round trip.
        this.state ??= await regionState();
        this.guide = await regionGuide(this.state.region);
        this.error = null;
      } catch (e) {
        this.error = errorText(e);
      }
    })();
    return this.loading;
  }

  /** The address of the region's first guide matching `pick` (by topic, or by id when `pick`
   * is a function), or the guide list when there is none. */
  guideHref(pick: string | ((id: string) => boolean)): string {
    const item = this.guide?.items.find((i) => (typeof pick === 'string' ? i.topic === pick : pick(i.id)));
    return item ? hrefFor('guide', item.id) : hrefFor('guides');
  }

  /** A sentence of safety advice from the content pack (`assets/content/advice.toml`), where its
   * source and wording checks run. The ids a screen uses are listed in core
   * (`ADVICE_USED_OUTSIDE_RULES`), and a test checks that each is in the pack. */
  advice(id: AdviceId): string {
    return this.guide?.advice.find((a) => a.id === id)?.text ?? '';
  }

  /** The words of a step's link to the guide that shows how to do it (`step.guide`). */
  howToText(id: string): string {
    const item = this.guide?.items.find((i) => i.id === id);
    return item ? `${item.title}: step by step` : 'How to do this, step by step';
  }

  /** Switches region (saved when the data folder can be used; shown either way). */
  async choose(region: Region): Promise<void> {
    try {
      this.guide = await regionGuide(region);
      this.error = null;
    } catch (e) {
      this.error = errorText(e);
      return;
    }
    try {
      this.state = await setRegion(region);
    } catch (e) {
      // Not saved, but the guide on screen is the one asked for.
      if (this.state) this.state = { ...this.state, region, source: 'chosen', problem: errorText(e) };
    }
  }
}

export const region = new RegionStore();
