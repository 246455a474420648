import { describe, expect, it } from 'vitest';
import { hrefFor, navSection, parseRoute, routes, titleFor } from './router';

describe('router', () => {
  it('maps every route to a hash and back', () => {
    for (const r of routes.filter((r) => r !== 'guide' && r !== 'visit-summary')) {
      expect(parseRoute(hrefFor(r))).toEqual({ name: r, param: null });
    }
    expect(parseRoute(hrefFor('guide', 'naloxone-second-dose'))).toEqual({
      name: 'guide',
      param: 'naloxone-second-dose',
    });
  });

  it('treats empty, unknown and malformed hashes as home', () => {
    expect(parseRoute('').name).toBe('home');
    expect(parseRoute('#').name).toBe('home');
    expect(parseRoute('#/nowhere').name).toBe('home');
    expect(parseRoute('#/__proto__').name).toBe('home');
  });

  it('sends a guide without an id to the list, and drops params elsewhere', () => {
    expect(parseRoute('#/guide')).toEqual({ name: 'guides', param: null });
    expect(parseRoute('#/visit-summary')).toEqual({ name: 'visits', param: null });
    expect(parseRoute(hrefFor('visit-summary', '12'))).toEqual({ name: 'visit-summary', param: '12' });
    expect(parseRoute('#/visit/3')).toEqual({ name: 'visit', param: null });
    expect(parseRoute('#/about/extra')).toEqual({ name: 'about', param: null });
    expect(parseRoute('#about?x=1').name).toBe('about');
  });

  it('titles each screen and files it under a navigation entry', () => {
    expect(titleFor({ name: 'about', param: null })).toBe('About · Holdfast');
    expect(navSection({ name: 'guide', param: 'x' })).toBe('guides');
    expect(navSection({ name: 'history', param: null })).toBe('home');
    expect(navSection({ name: 'setup', param: null })).toBe('home');
    expect(navSection({ name: 'settings', param: null })).toBe('settings');
    expect(navSection({ name: 'practice', param: null })).toBe('emergency');
  });
});
