// Screens are addressed by the URL hash (#/about), so Back and Forward work and every screen has
// an address a test or a link can open.

export const routes = ['home', 'about'] as const;
export type Route = (typeof routes)[number];

export interface NavItem {
  route: Route;
  label: string;
}

export const navItems: readonly NavItem[] = [
  { route: 'home', label: 'Home' },
  { route: 'about', label: 'About' },
];

/** The route a hash names; anything unknown or empty is Home. */
export function parseRoute(hash: string): Route {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return (routes as readonly string[]).includes(name) ? (name as Route) : 'home';
}

export function hrefFor(route: Route): string {
  return `#/${route}`;
}

export function titleFor(route: Route): string {
  const item = navItems.find((n) => n.route === route);
  return item ? `${item.label} · Holdfast` : 'Holdfast';
}
