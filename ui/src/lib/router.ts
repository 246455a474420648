// Screens are addressed by the URL hash (#/about, #/guide/naloxone-second-dose), so Back and
// Forward work and every screen has an address a test or a link can open.

export const routes = [
  'home',
  'emergency',
  'respond',
  'practice',
  'lines',
  'guides',
  'guide',
  'card',
  'about',
  'setup',
  'recover',
  'history',
  'settings',
  'checkin',
  'plan',
  'kits',
  'visit',
  'visits',
  'visit-summary',
] as const;
export type RouteName = (typeof routes)[number];

export interface Route {
  name: RouteName;
  /** The part after the name, for routes that take one (a guide's id). */
  param: string | null;
}

export interface NavItem {
  route: RouteName;
  label: string;
  /** The label in the phone-size tab bar, where six tabs share 360 px. */
  short: string;
}

export const navItems: readonly NavItem[] = [
  { route: 'home', label: 'Home', short: 'Home' },
  { route: 'emergency', label: 'Overdose help', short: 'Overdose' },
  { route: 'lines', label: 'Phone lines', short: 'Lines' },
  { route: 'guides', label: 'Guides', short: 'Guides' },
  { route: 'settings', label: 'Settings', short: 'Settings' },
  { route: 'about', label: 'About', short: 'About' },
];

const titles: Record<RouteName, string> = {
  home: 'Home',
  emergency: 'Overdose help',
  respond: 'Someone may be overdosing',
  practice: 'Practice',
  lines: 'Phone lines',
  guides: 'Guides',
  guide: 'Guide',
  card: 'Response card',
  about: 'About',
  setup: 'Set up your journal',
  recover: 'Recovery code',
  history: 'Your history',
  settings: 'Settings',
  checkin: 'Daily check-in',
  plan: 'My safety plan',
  kits: 'Naloxone kits',
  visit: 'Peer visit',
  visits: 'Peer visits',
  'visit-summary': 'Visit summary',
};

/** Routes that take a parameter (a guide's id, a visit's id). */
const withParam: ReadonlySet<string> = new Set(['guide', 'visit-summary']);

/** The route a hash names; anything unknown or empty is Home. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('?')[0]?.split('/') ?? [];
  const name = parts[0] ?? '';
  if (!(routes as readonly string[]).includes(name)) return { name: 'home', param: null };
  const param = parts[1] ? decodeURIComponent(parts[1]) : null;
  if (name === 'guide' && !param) return { name: 'guides', param: null };
  if (name === 'visit-summary' && !param) return { name: 'visits', param: null };
  return { name: name as RouteName, param: withParam.has(name) ? param : null };
}

export function hrefFor(name: RouteName, param?: string): string {
  return param ? `#/${name}/${encodeURIComponent(param)}` : `#/${name}`;
}

export function titleFor(route: Route): string {
  return `${titles[route.name]} · Holdfast`;
}

/** The navigation entry a route belongs to (a guide belongs to Guides, practice to help). */
export function navSection(route: Route): RouteName {
  switch (route.name) {
    case 'guide':
      return 'guides';
    case 'practice':
    case 'card':
      return 'emergency';
    case 'setup':
    case 'recover':
    case 'history':
    case 'checkin':
    case 'plan':
    case 'kits':
    case 'visit':
    case 'visits':
    case 'visit-summary':
      return 'home';
    default:
      return route.name;
  }
}
