// The results room: result model assembly, pool, benchmark sets, CSV in/out and snapshots.
export { buildResultModel, parseSegmentParam, partitionDimensions, type BuildResultOptions } from './build.js';
export { aggregateRound, type SegmentFilter } from './aggregate.js';
export { contributeToPool, comparePool, MIN_POOL_OTHERS } from './pool.js';
export { saveRoundSnapshot, loadSnapshot } from './snapshots.js';
export { resultsToCsv, rawAnswersCsv } from './export.js';
export { importResponses, parseImportCsv } from './import.js';
export { parseBenchmarkCsv, createBenchmarkSet, listBenchmarkSets } from './benchmark-sets.js';
export { onRoundClosed, registerResultHooks } from './hooks.js';
