// The server's Node flags are written once, in package.json's start script (SERVER_NODE_FLAGS reads
// them from there for the process tests and the benches); the Dockerfile and `npm run dev` must run it
// with the same ones, or production and development run with other memory figures than measured.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, SERVER_NODE_FLAGS, serverNodeFlags } from '../helpers/server-process.js';

const read = (file: string) => readFileSync(join(REPO_ROOT, file), 'utf8');
const scripts = JSON.parse(read('package.json')).scripts as Record<string, string>;

describe('the server node flags', () => {
  it('are read from the start script, with the ones the README explains', () => {
    expect(SERVER_NODE_FLAGS).toEqual(serverNodeFlags(scripts.start!));
    expect(SERVER_NODE_FLAGS).toContain('--liftoff-only');
    expect(SERVER_NODE_FLAGS.some((f) => f.startsWith('--max-semi-space-size='))).toBe(true);
    const readme = read('README.md');
    for (const flag of SERVER_NODE_FLAGS) expect(readme).toContain(flag);
  });

  it('are the same in the Dockerfile and in npm run dev', () => {
    const cmd = /^CMD (\[.*\])$/m.exec(read('Dockerfile'));
    expect(cmd).not.toBeNull();
    const argv = JSON.parse(cmd![1]!) as string[];
    expect(argv[0]).toBe('node');
    expect(argv.at(-1)).toBe('dist/server/main.js');
    expect(argv.slice(1, -1)).toEqual(SERVER_NODE_FLAGS);
    const dev = /^tsx watch((?: --\S+)*) server\/main\.ts$/.exec(scripts.dev!);
    expect(dev).not.toBeNull();
    expect(dev![1]!.trim().split(' ')).toEqual(SERVER_NODE_FLAGS);
  });

  it('refuses a start command without the server entry', () => {
    expect(() => serverNodeFlags('node --liftoff-only other.js')).toThrow(/dist\/server\/main\.js/);
    expect(serverNodeFlags('npm run build && node dist/server/main.js')).toEqual([]);
  });
});
