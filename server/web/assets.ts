// Versioned asset URLs: the version is a hash of the stylesheet and the client script, set when the web
// plugin starts, so browsers can cache assets and still get a new file after a deploy.
let version = 'dev';

export function setAssetVersion(v: string): void {
  version = v;
}

export function asset(path: string): string {
  return `/assets/${path}?v=${version}`;
}
