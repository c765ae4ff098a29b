// Report templates: pure builders from the result model to pdfmake document definitions, and the
// chart configurations they use. No I/O; the report service (server/reports) renders them.

import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { ResultModel } from '../scans/result-model.js';
import { buildClientReport } from './client-report.js';
import type { ReportOptions } from './components.js';
import { buildDirectorSummary } from './director-summary.js';

export { buildClientReport } from './client-report.js';
export { buildDirectorSummary } from './director-summary.js';
export type { ReportBranding, ReportOptions } from './components.js';
export type { ChartRenderer, ChartSpec } from './charts.js';
export { CONTENT_WIDTH } from './charts.js';
export { DEFAULT_ACCENT, themeFor } from './theme.js';
export { stringsFor } from './i18n.js';

export const REPORT_TYPES = ['client', 'director'] as const;
export type ReportType = (typeof REPORT_TYPES)[number];

/** The builder for a report type. */
export function buildReport(type: ReportType, model: ResultModel, options: ReportOptions): TDocumentDefinitions {
  return type === 'client' ? buildClientReport(model, options) : buildDirectorSummary(model, options);
}
export { buildDialogueCanvas } from './dialogue-canvas.js';
