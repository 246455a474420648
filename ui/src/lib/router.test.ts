import { describe, expect, it } from 'vitest';
import { hrefFor, parseRoute, routes, titleFor } from './router';

describe('router', () => {
  it('maps every route to a hash and back', () => {
    for (const r of routes) {
      expect(parseRoute(hrefFor(r))).toBe(r);
    }
  });

  it('treats empty, unknown and malformed hashes as home', () => {
    expect(parseRoute('')).toBe('home');
    expect(parseRoute('#')).toBe('home');
    expect(parseRoute('#/nowhere')).toBe('home');
    expect(parseRoute('#/__proto__')).toBe('home');
  });

  it('ignores trailing parts', () => {
    expect(parseRoute('#/about/extra')).toBe('about');
    expect(parseRoute('#about?x=1')).toBe('about');
  });

  it('titles each screen', () => {
    expect(titleFor('about')).toBe('About · Holdfast');
  });
});
