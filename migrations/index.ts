// The ordered list of migrations. The app imports this list; migrations import nothing of the app.
import type { Migration } from 'kysely';
import * as initial from './2026-11-21-0001-initial.js';

export const migrations: Record<string, Migration> = {
  '2026-11-21-0001-initial': initial,
};
