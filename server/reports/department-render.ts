// Rendering a department report (issue 18 item 3) and the one dispatch the render pool and its worker
// threads use: a department input goes to the department template, every other input to the round
// reports' ReportRenderer. Same pdfmake configuration (fonts, deny-by-default access policies).
import pdfmake from 'pdfmake';
import { buildDepartmentReport } from '../../report-templates/department-report.js';
import type { ResultModel } from '../../scans/result-model.js';
import type { Language } from '../../scans/types.js';
import { brandingFor, configurePdfmake, type BrandingInput, type RenderInput } from './render.js';

export interface DepartmentRenderInput {
  type: 'department';
  lang: Language;
  /** The round's published unfiltered view. */
  model: ResultModel;
  /** The round's published `department:<key>` view. */
  department: ResultModel;
  branding: BrandingInput;
  date?: string;
}

/** What the render pool accepts: a round report or a department report. */
export type AnyRenderInput = RenderInput | DepartmentRenderInput;

export async function renderDepartmentReport(input: DepartmentRenderInput): Promise<Buffer> {
  configurePdfmake();
  const doc = buildDepartmentReport(input.model, {
    lang: input.lang,
    department: input.department,
    branding: brandingFor(input.branding),
    // The department report draws its pictures in pdfmake's vector canvas; it asks for no chart.
    renderChart: () => {
      throw new Error('the department report renders no chart.js charts');
    },
    ...(input.date ? { date: input.date } : {}),
  });
  return Buffer.from(await pdfmake.createPdf(doc).getBuffer());
}

/** Renders either kind of input; `round` renders round reports (a ReportRenderer). */
export function renderAny(round: { render(input: RenderInput): Promise<Buffer> }, input: AnyRenderInput): Promise<Buffer> {
  return input.type === 'department' ? renderDepartmentReport(input) : round.render(input);
}
