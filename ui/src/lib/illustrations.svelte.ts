// The step illustrations, loaded once from Rust and shown as images with their text alternatives.
import { illustrations, type Illustration } from './ipc';

class IllustrationStore {
  byId: Map<string, Illustration> = $state(new Map());
  private loading: Promise<void> | null = null;

  load(): Promise<void> {
    this.loading ??= illustrations()
      .then((list) => {
        this.byId = new Map(list.map((i) => [i.id, i]));
      })
      .catch(() => {
        // Pictures are a help, not a need: every step's text stands on its own.
      });
    return this.loading;
  }
}

/** A `data:` URL for an SVG document (shown through <img>, so it can never run script). */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

export const pictures = new IllustrationStore();
