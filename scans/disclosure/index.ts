// Disclosure control: the one layer that decides which figures of a round may be published.
export * from './bits.js';
export * from './decide.js';
export * from './model.js';
