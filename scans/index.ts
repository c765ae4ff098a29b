// Public surface of the scans domain: instruments, published figures, scoring, anonymity and the
// methodology text. Everything here is pure (no I/O), so the API, the web app and the PDF score alike.

export * from './types.js';
export * from './instruments/schemas.js';
export * from './instruments/answer-options.js';
export * from './instruments/background.js';
export * from './instruments/culture-scan-v1.js';
export * from './instruments/culture-scan-v2.js';
export * from './instruments/version-map.js';
export * from './instruments/respondent-pages.js';
export * from './instruments/sme-checklist.js';
export * from './instruments/dialogue-model.js';
export * from './instruments/factors.js';
export * from './instruments/registry.js';
export * from './benchmarks/published.js';
export * from './scoring/stats.js';
export * from './scoring/scales.js';
export * from './scoring/reliability.js';
export * from './scoring/benchmark.js';
export * from './scoring/dialogue.js';
export * from './anonymity.js';
export * from './methodology.js';
