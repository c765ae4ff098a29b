export * from './definitions.js';
export * from './open-answers.js';
export * from './scoring.js';
export * from './learns-less.js';
