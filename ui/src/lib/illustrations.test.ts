import { describe, expect, it } from 'vitest';
import { svgDataUrl } from './illustrations.svelte';

describe('svgDataUrl', () => {
  it('encodes the whole document so it cannot break out of the attribute', () => {
    const url = svgDataUrl('<svg role="img"><title>A "quoted" #1</title></svg>');
    expect(url.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    expect(url).not.toContain('"');
    expect(url).not.toContain('#');
    expect(decodeURIComponent(url.split(',')[1] ?? '')).toContain('A "quoted" #1');
  });
});
